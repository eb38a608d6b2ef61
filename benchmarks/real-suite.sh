#!/usr/bin/env bash
# A real project's concurrent unit tests under the agent: Apache Commons Pool 2.12.0's own test suite,
# run plain and with the agent as users get it from the Maven plugin (prepare-agent: the agent and a
# recording in every forked test JVM's argLine), first with the project's own fork setting (one JVM), then
# with a JVM per test class. Prints the wall and CPU ratios (goal <= 1.3x) and, with OUTDIR, writes
# OUTDIR/real-suite.md for bench.sh's report.
#
#   benchmarks/real-suite.sh [OUTDIR]      # ./bench.sh runs it (REAL_SUITE=0 skips it); ~20 min on 2 cores
#
# Needs the Maven plugin (and the agent it depends on) installed from this checkout:
# `mvn -B install -DskipTests -pl maven-plugin -am` (bench.sh does it). The sources and test sources come
# from Maven Central (classifiers sources / test-sources), unpacked into benchmarks/target/real-suite/ next to
# a small generated pom with the project's test dependencies. Every run calls `mvn surefire:test` on the
# already compiled tests, so the ratio is the test run alone (Maven's own start-up is in both). CPU is user +
# system of the whole process tree (Maven and the forks).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUTDIR=${1:-}
LOCKDEP4J_VERSION=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)
W=$ROOT/benchmarks/target/real-suite
VERSION=2.12.0
SUREFIRE=3.2.5
log() { echo "real-suite.sh: $*" >&2; }
PLUGIN_JAR=~/.m2/repository/io/lockdep4j/lockdep4j-maven-plugin/$LOCKDEP4J_VERSION/lockdep4j-maven-plugin-$LOCKDEP4J_VERSION.jar
[ -f "$PLUGIN_JAR" ] || { log "the Maven plugin $LOCKDEP4J_VERSION is not installed (mvn -B install -DskipTests -pl maven-plugin -am)"; exit 1; }

rm -rf "$W"; mkdir -p "$W"
cat >"$W/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.lockdep4j.bench</groupId><artifactId>commons-pool2-suite</artifactId><version>1</version>
  <properties>
    <maven.compiler.release>8</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <!-- commons-pool2's own java16 profile (cglib proxies); the plugin's prepare-agent appends to it -->
    <argLine>--add-opens java.base/java.lang=ALL-UNNAMED</argLine>
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

# one measured test run: name, then mvn arguments; prints "wall cpu tests failures+errors rc"
suite() {
    local name=$1; shift
    rm -rf target/surefire-reports target/lockdep4j
    /usr/bin/time -f '%e %U %S' -o "target/$name.time" "${MVN[@]}" "$@" >"target/$name.log" 2>&1
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

# the agent as users get it: the Maven plugin's prepare-agent (installed from this checkout; see bench.sh),
# which appends -javaagent, the recording (one per forked JVM, in target/lockdep4j/) and -Xlog:jfr+startup=off
PREPARE=io.lockdep4j:lockdep4j-maven-plugin:$LOCKDEP4J_VERSION:prepare-agent
log "plain run"
read -r P_WALL P_CPU P_TESTS P_FAIL P_RC < <(suite plain surefire:test)
log "plain: ${P_WALL}s wall, ${P_CPU}s CPU, $P_TESTS tests, $P_FAIL failed (mvn exit $P_RC)"
log "agent run ($PREPARE)"
read -r A_WALL A_CPU A_TESTS A_FAIL A_RC < <(suite agent "$PREPARE" surefire:test)
RECORDINGS=$(ls target/lockdep4j/*.jfr 2>/dev/null | wc -l)
log "agent: ${A_WALL}s wall, ${A_CPU}s CPU, $A_TESTS tests, $A_FAIL failed (mvn exit $A_RC), $RECORDINGS recording(s)"
# the same with a JVM per test class (surefire reuseForks=false), as many CI builds fork: start-up shows here.
# Without the four classes that run for minutes on their own (the rest: 24 classes, ~50 s of tests), the one
# the pom excludes (-Dtest overrides its excludes), and PoolTest, which takes 1.3 s or 11.3 s with or without the
# agent (its pool's close waits up to 10 s for the eviction timer's executor: a race in the test), which alone
# moved a run's ratio by 0.15
FORK_TESTS='!TestGenericKeyedObjectPool,!TestGenericObjectPool,!TestPoolUtils,!TestDefaultPooledObject,!TestSoftRefOutOfMemory,!PoolTest'
log "plain run, a JVM per test class"
read -r PF_WALL PF_CPU PF_TESTS PF_FAIL PF_RC < <(suite plain-forks surefire:test -DreuseForks=false "-Dtest=$FORK_TESTS")
log "plain, a JVM per test class: ${PF_WALL}s wall, ${PF_CPU}s CPU, $PF_TESTS tests, $PF_FAIL failed (mvn exit $PF_RC)"
read -r AF_WALL AF_CPU AF_TESTS AF_FAIL AF_RC < <(suite agent-forks "$PREPARE" surefire:test -DreuseForks=false "-Dtest=$FORK_TESTS")
FORK_RECORDINGS=$(ls target/lockdep4j/*.jfr 2>/dev/null | wc -l)
log "agent, a JVM per test class: ${AF_WALL}s wall, ${AF_CPU}s CPU, $AF_TESTS tests, $AF_FAIL failed, $FORK_RECORDINGS recording(s)"

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
WALL_RATIO=$(ratio "$A_WALL" "$P_WALL")
CPU_RATIO=$(ratio "$A_CPU" "$P_CPU")
FWALL_RATIO=$(ratio "$AF_WALL" "$PF_WALL")
FCPU_RATIO=$(ratio "$AF_CPU" "$PF_CPU")
VERDICT=$(python3 -c "print('met' if $A_WALL / $P_WALL <= 1.3 else 'NOT met')")
FVERDICT=$(python3 -c "print('met' if $AF_WALL / $PF_WALL <= 1.3 else 'NOT met')")
REPORT=$(cat <<EOF
## Real suite: Apache Commons Pool $VERSION's tests under the agent

\`benchmarks/real-suite.sh\`: the project's own tests (sources and test sources from Maven Central), \`mvn surefire:test\`
plain, and with the agent as the Maven plugin sets it up (\`$PREPARE surefire:test\`: the agent and a
recording in every forked JVM's argLine); first as the project configures surefire (one JVM for all test
classes), then with a JVM per test class (\`-DreuseForks=false\`), as many CI builds fork, for the 24 test classes
that take seconds (not TestGenericKeyedObjectPool, TestGenericObjectPool, TestPoolUtils, TestDefaultPooledObject, nor PoolTest,
whose duration is 1.3 s or 11.3 s with or without the agent). CPU is user + system
of Maven and its forks.

| run | wall (s) | CPU (s) | tests | failed | recordings |
|---|---:|---:|---:|---:|---:|
| plain | $P_WALL | $P_CPU | $P_TESTS | $P_FAIL | |
| agent + JFR (Maven plugin) | $A_WALL | $A_CPU | $A_TESTS | $A_FAIL | $RECORDINGS |
| **ratio** | **${WALL_RATIO}x** | **${CPU_RATIO}x** | | | |
| plain, a JVM per test class | $PF_WALL | $PF_CPU | $PF_TESTS | $PF_FAIL | |
| agent + JFR, a JVM per test class | $AF_WALL | $AF_CPU | $AF_TESTS | $AF_FAIL | $FORK_RECORDINGS |
| ratio, a JVM per test class | ${FWALL_RATIO}x | ${FCPU_RATIO}x | | | |

Target: at most 1.3x wall: **$VERDICT** (the project's own fork setting); **$FVERDICT** with a JVM per test class.
Load average (1/5/15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg).
EOF
)
echo "$REPORT"
[ -n "$OUTDIR" ] && { mkdir -p "$OUTDIR"; printf '%s\n\n' "$REPORT" >"$OUTDIR/real-suite.md"; }
# a test that fails in both runs is the machine (Commons Pool has timing-sensitive eviction tests that
# fail on an overloaded machine without any agent); one that fails only under the agent is ours to explain
ONLY_AGENT=$(comm -13 <(failed target/plain-reports) <(failed target/agent-reports);
             comm -13 <(failed target/plain-forks-reports) <(failed target/agent-forks-reports))
[ -n "$ONLY_AGENT" ] && log "failed only with the agent: $ONLY_AGENT"
[ "$P_TESTS" = "$A_TESTS" ] && [ "$P_TESTS" -gt 0 ] && [ "$PF_TESTS" = "$AF_TESTS" ] && [ -z "$ONLY_AGENT" ]
