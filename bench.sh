#!/usr/bin/env bash
# Runs the lockdep4j JMH benchmarks in every configuration and writes BENCHMARKS.md.
#
#   ./bench.sh                 # full run (~11 minutes on 2 cores, plus any waits for a busy machine)
#   QUICK=1 ./bench.sh         # smoke run: 1 warmup x 1 s, 1 measurement x 1 s
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ./bench.sh   # another JDK
#   BENCH_OUT=path.md ./bench.sh   # where the report goes (default benchmarks/BENCHMARKS.md)
#   BREAKDOWN=0 ./bench.sh     # skip the hot-path breakdown (HotPathBench, ~1.5 minutes)
#   IDLE_WAIT=0 ./bench.sh     # do not wait (up to IDLE_WAIT seconds, default 120) for the 1-minute
#                              # load average to drop below nproc before each configuration
#
# Configurations (one JMH run each, same benchmark code, configuration set by JVM options):
#   baseline   no agent, no JFR (also runs the Guava CycleDetectingLockFactory variants)
#   lockdep4j  -javaagent:lockdep4j-agent.jar + JFR with default + lockdep4j.jfc
#   jfr0       JFR with default + jdk.JavaMonitorEnter/jdk.ThreadPark at threshold 0
#   blockhound BlockHound.install() in @Setup (+ -XX:+AllowRedefinitionToAddDeleteMethods)
#   fld        jenkins file-leak-detector 1.13 as -javaagent (FileBench only)
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
JAVA=${JAVA:-java}
OUT=${BENCH_OUT:-$ROOT/benchmarks/BENCHMARKS.md}
if [ "${QUICK:-0}" = 1 ]; then
    JMH_TIMES=(-wi 1 -w 1s -i 1 -r 1s -f 1)
else
    JMH_TIMES=(-wi 3 -w 1s -i 10 -r 500ms -f 1)
fi

log() { echo "bench.sh: $*" >&2; }

# ---- build
AGENT_SRC=$ROOT/agent/target/lockdep4j-agent.jar
if [ ! -f "$AGENT_SRC" ]; then
    log "building the agent"
    mvn -B -q -pl agent -am package -DskipTests || { log "agent build failed"; exit 1; }
fi
log "building benchmarks/target/benchmarks.jar"
mvn -B -q -f benchmarks/pom.xml package || { log "benchmarks build failed"; exit 1; }
T=$ROOT/benchmarks/target
RES=$T/results
rm -rf "$RES"; mkdir -p "$RES"; : >"$RES/load.properties"
# a private copy: someone may rebuild the agent while we run
cp "$AGENT_SRC" "$T/lockdep4j-agent.jar"
AGENT=$T/lockdep4j-agent.jar
LOCKDEP_JFC=$ROOT/agent/src/main/resources/lockdep4j.jfc
JFR0_JFC=$ROOT/benchmarks/src/main/resources/jfr-threshold0.jfc
FLD=$T/file-leak-detector.jar

run() { # name, jvmArgsAppend ('' for none), then JMH selection arguments
    local name=$1 jvmargs=$2; shift 2
    local extra=()
    [ -n "$jvmargs" ] && extra=(-jvmArgsAppend "$jvmargs")
    local waited=0
    while [ "$waited" -lt "${IDLE_WAIT:-120}" ] && \
          awk -v n="$(nproc)" '{ exit !($1 >= n) }' /proc/loadavg; do
        [ "$waited" = 0 ] && log "load $(cut -d' ' -f1 /proc/loadavg) >= $(nproc) CPUs: waiting for the machine to calm down"
        sleep 10; waited=$((waited + 10))
    done
    log "configuration $name"
    echo "load.$name=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RES/load.properties"
    "$JAVA" -jar "$T/benchmarks.jar" "$@" "${JMH_TIMES[@]}" -bm avgt -tu ns -prof gc \
        -rf json -rff "$RES/$name.json" "${extra[@]}" >"$RES/$name.log" 2>&1
    local rc=$?
    [ $rc -ne 0 ] && log "configuration $name: JMH exited $rc (see $RES/$name.log)"
    grep -E '^(Benchmark|[A-Za-z]+Bench\.[A-Za-z0-9]+ )' "$RES/$name.log" >&2 || true
    return 0
}

START=$(date +%s)
run baseline   "" '.*' -e 'HotPathBench'
run lockdep4j  "-javaagent:$AGENT -XX:StartFlightRecording:settings=default,settings=$LOCKDEP_JFC,filename=$RES/lockdep4j.jfr" '.*' -e '[Cc]dlf|HotPathBench'
run jfr0       "-XX:StartFlightRecording:settings=default,settings=$JFR0_JFC,filename=$RES/jfr0.jfr" '.*' -e '[Cc]dlf|HotPathBench'
run blockhound "-XX:+AllowRedefinitionToAddDeleteMethods -Dlockdep4j.bench.peer=blockhound" '.*' -e '[Cc]dlf|HotPathBench'
# file-leak-detector: one short attempt; on JDK 17 it is expected to fail at JVM start
JMH_TIMES_SAVED=("${JMH_TIMES[@]}")
JMH_TIMES=(-wi 1 -w 1s -i 1 -r 1s -f 1)
run fld "-javaagent:$FLD" 'FileBench'
JMH_TIMES=("${JMH_TIMES_SAVED[@]}")
# the hot path taken apart: the agent's bootstrap classes called directly, no agent, no lock taken
if [ "${BREAKDOWN:-1}" = 1 ]; then
    unzip -p "$AGENT" META-INF/lockdep4j/bootstrap.jar.bin >"$T/lockdep4j-bootstrap.jar"
    run breakdown "-Xbootclasspath/a:$T/lockdep4j-bootstrap.jar" 'HotPathBench'
fi
ELAPSED=$(( $(date +%s) - START ))

# ---- report
{
    echo "nproc=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') ($("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.name = //p'))"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- agent 2>/dev/null || echo ' (agent/ has uncommitted changes)')"
    echo "agent=$(stat -c '%y' "$AGENT_SRC" | cut -d. -f1), $(sha256sum "$AGENT" | cut -c1-12)"
    echo "jmh=${JMH_TIMES[*]} -bm avgt -tu ns -prof gc"
    echo "elapsed=${ELAPSED}s"
    echo "load.end=$(cut -d' ' -f1-3 /proc/loadavg)"
    cat "$RES/load.properties"
} >"$RES/machine.properties"
python3 "$ROOT/benchmarks/report.py" "$RES" "$OUT" || { log "report failed"; exit 1; }
log "wrote $OUT"
