#!/usr/bin/env bash
# A real project's concurrent unit tests under the agent: Apache Commons Pool 2.12.0's own test suite,
# run once plain and once with the agent and a recording in every forked test JVM (surefire argLine, as
# the Maven plugin sets it up). Prints the wall and CPU ratios (goal <= 1.3x) and, with OUTDIR, writes
# OUTDIR/real-suite.md for bench.sh's report.
#
#   benchmarks/real-suite.sh [OUTDIR]      # REAL_SUITE=1 ./bench.sh runs it; ~5-10 min on 2 cores
#   AGENT=path/lockdep4j-agent.jar JFC=path/lockdep4j.jfc benchmarks/real-suite.sh
#
# The sources and test sources come from Maven Central (classifiers sources / test-sources), unpacked into
# benchmarks/target/real-suite/ next to a small generated pom with the project's test dependencies.
# Both runs call `mvn surefire:test` on the already compiled tests, so the ratio is the test run alone
# (Maven's own start-up is in both). CPU is user + system of the whole process tree (Maven and the fork).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-}
AGENT=${AGENT:-$ROOT/agent/target/lockdep4j-agent.jar}
JFC=${JFC:-$ROOT/agent/src/main/resources/lockdep4j.jfc}
W=$ROOT/benchmarks/target/real-suite
VERSION=2.12.0
SUREFIRE=3.2.5
log() { echo "real-suite.sh: $*" >&2; }
[ -f "$AGENT" ] || { log "no agent jar at $AGENT (build it: mvn -pl agent -am package -DskipTests)"; exit 1; }

rm -rf "$W"; mkdir -p "$W"
cat >"$W/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.lockdep4j.bench</groupId><artifactId>commons-pool2-suite</artifactId><version>1</version>
  <properties>
    <maven.compiler.release>8</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <!-- commons-pool2's own java16 profile (cglib proxies); the agent run appends to it -->
    <argLine>--add-opens java.base/java.lang=ALL-UNNAMED \${lockdep4j.argLine}</argLine>
    <lockdep4j.argLine></lockdep4j.argLine>
  </properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.junit</groupId><artifactId>junit-bom</artifactId><version>5.10.0</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>cglib</groupId><artifactId>cglib</artifactId><version>3.3.0</version></dependency>
    <dependency><groupId>org.ow2.asm</groupId><artifactId>asm-util</artifactId><version>9.5</version></dependency>
    <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>
    <dependency><groupId>org.hamcrest</groupId><artifactId>hamcrest-library</artifactId><version>2.2</version><scope>test</scope></dependency>
    <dependency><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId><version>3.13.0</version><scope>test</scope></dependency>
  </dependencies>
  <build>
    <testResources><testResource><directory>src/test/java</directory><excludes><exclude>**/*.java</exclude></excludes></testResource></testResources>
    <plugins>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
        <configuration><artifactItems>
          <artifactItem><groupId>org.apache.commons</groupId><artifactId>commons-pool2</artifactId><version>$VERSION</version>
            <classifier>sources</classifier><outputDirectory>src/main/java</outputDirectory><excludes>META-INF/**</excludes></artifactItem>
          <artifactItem><groupId>org.apache.commons</groupId><artifactId>commons-pool2</artifactId><version>$VERSION</version>
            <classifier>test-sources</classifier><outputDirectory>src/test/java</outputDirectory><excludes>META-INF/**</excludes></artifactItem>
        </artifactItems></configuration>
      </plugin>
      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>$SUREFIRE</version>
        <configuration>
          <forkedProcessTimeoutInSeconds>1800</forkedProcessTimeoutInSeconds>
          <includes><include>**/Test*.java</include><include>**/*Test.java</include></includes>
          <!-- excluded upstream too: it uses lots of memory -->
          <excludes><exclude>**/TestSoftRefOutOfMemory.java</exclude></excludes>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
EOF
cd "$W" || exit 1
MVN=(mvn -B -ntp -q)
log "fetching commons-pool2 $VERSION sources and test sources, compiling"
"${MVN[@]}" dependency:unpack || { log "could not fetch the sources"; exit 1; }
"${MVN[@]}" test-compile || { log "compile failed"; exit 1; }

# one measured test run: name, extra argLine; prints "wall cpu tests failures+errors"
suite() {
    local name=$1 extra=$2
    rm -rf target/surefire-reports target/lockdep4j; mkdir -p target/lockdep4j
    /usr/bin/time -f '%e %U %S' -o "target/$name.time" "${MVN[@]}" surefire:test "-Dlockdep4j.argLine=$extra" \
        >"target/$name.log" 2>&1
    local rc=$?
    local counts
    counts=$(python3 - <<'PY'
import glob, xml.etree.ElementTree as ET
t = f = 0
for p in glob.glob("target/surefire-reports/TEST-*.xml"):
    r = ET.parse(p).getroot()
    t += int(r.get("tests", 0)); f += int(r.get("failures", 0)) + int(r.get("errors", 0))
print(t, f)
PY
)
    # the last line: /usr/bin/time puts "Command exited with non-zero status N" before it on failures
    read -r wall user sys < <(tail -n 1 "target/$name.time")
    rm -rf "target/$name-reports"; cp -r target/surefire-reports "target/$name-reports" 2>/dev/null
    echo "$wall $(python3 -c "print(round($user + $sys, 2))") $counts $rc"
}

failed() { # the failed or errored test cases in a surefire reports directory, sorted
    python3 - "$1" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
out = set()
for p in glob.glob(sys.argv[1] + "/TEST-*.xml"):
    for c in ET.parse(p).getroot().iter("testcase"):
        if c.find("failure") is not None or c.find("error") is not None:
            out.add(c.get("classname") + "." + c.get("name"))
print("\n".join(sorted(out)))
PY
}

log "plain run"
read -r P_WALL P_CPU P_TESTS P_FAIL P_RC < <(suite plain "")
log "plain: ${P_WALL}s wall, ${P_CPU}s CPU, $P_TESTS tests, $P_FAIL failed (mvn exit $P_RC)"
AGENT_ARGS="-javaagent:$AGENT -XX:StartFlightRecording:settings=default,settings=$JFC,filename=target/lockdep4j/%p.jfr -Xlog:jfr+startup=off"
log "agent run"
read -r A_WALL A_CPU A_TESTS A_FAIL A_RC < <(suite agent "$AGENT_ARGS")
RECORDINGS=$(ls target/lockdep4j/*.jfr 2>/dev/null | wc -l)
log "agent: ${A_WALL}s wall, ${A_CPU}s CPU, $A_TESTS tests, $A_FAIL failed (mvn exit $A_RC), $RECORDINGS recording(s)"

WALL_RATIO=$(python3 -c "print(f'{$A_WALL / $P_WALL:.2f}')")
CPU_RATIO=$(python3 -c "print(f'{$A_CPU / $P_CPU:.2f}')")
VERDICT=$(python3 -c "print('met' if $A_WALL / $P_WALL <= 1.3 else 'NOT met')")
REPORT=$(cat <<EOF
## Real suite: Apache Commons Pool $VERSION's tests under the agent

\`benchmarks/real-suite.sh\`: the project's own tests (sources and test sources from Maven Central), \`mvn surefire:test\`
once plain and once with \`-javaagent:lockdep4j-agent.jar -XX:StartFlightRecording:settings=default,settings=lockdep4j.jfc,filename=target/lockdep4j/%p.jfr\`
in surefire's argLine (one recording per forked JVM). CPU is user + system of Maven and its fork.

| run | wall (s) | CPU (s) | tests | failed |
|---|---:|---:|---:|---:|
| plain | $P_WALL | $P_CPU | $P_TESTS | $P_FAIL |
| agent + JFR | $A_WALL | $A_CPU | $A_TESTS | $A_FAIL |
| **ratio** | **${WALL_RATIO}x** | **${CPU_RATIO}x** | | |

Target: at most 1.3x wall: **$VERDICT**. Recordings written: $RECORDINGS. Load average (1/5/15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg).
EOF
)
echo "$REPORT"
[ -n "$OUTDIR" ] && { mkdir -p "$OUTDIR"; printf '%s\n\n' "$REPORT" >"$OUTDIR/real-suite.md"; }
# a test that fails in both runs is the machine (Commons Pool has timing-sensitive eviction tests that
# fail on an overloaded machine without any agent); one that fails only under the agent is ours to explain
ONLY_AGENT=$(comm -13 <(failed target/plain-reports) <(failed target/agent-reports))
[ -n "$ONLY_AGENT" ] && log "failed only with the agent: $ONLY_AGENT"
[ "$P_TESTS" = "$A_TESTS" ] && [ "$P_TESTS" -gt 0 ] && [ -z "$ONLY_AGENT" ]
