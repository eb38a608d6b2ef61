#!/usr/bin/env bash
# Runs all lockdep4j benchmarks and writes BENCHMARKS.md (machine, JDK, date, commit, the tables):
# micro (JMH), macro (the sample NFS server under its load driver), and the analyzer benchmarks.
#
#   ./bench.sh                 # everything (~11 min micro + ~12 min macro on 2 cores, plus any waits for a busy machine)
#   QUICK=1 ./bench.sh         # smoke run: JMH 1 warmup x 1 s, 1 measurement x 1 s; macro 1 rep, 5 s warm-up + 5 s
#   MICRO=0 QUICK=1 ./bench.sh # quick macro-only run (1-2 minutes, plus up to IDLE_WAIT s if the machine is busy)
#   MICRO=0 ./bench.sh         # skip the JMH part     MACRO=0 ./bench.sh     # skip the macro part
#   ANALYZER=0 ./bench.sh      # skip benchmarks/analyzer-bench.sh (also skipped, with a log line, if absent)
#   STARTUP=0 ./bench.sh       # skip the start-up part (benchmarks/startup.py: hello world, agent + JFR
#                              # against JFR alone, STARTUP_RUNS interleaved pairs, default 10; ~1 min)
#   REAL_SUITE=0 ./bench.sh    # skip benchmarks/real-suite.sh: Apache Commons Pool's tests plain and with
#                              # the agent in surefire's argLine (needs Maven Central; ~5-10 min; not in CI)
#   MICRO=0 MACRO=0 ANALYZER=0 REAL_SUITE=0 ./bench.sh   # start-up only
# The report opens with the targets (start-up, known edge, macro, real suite) and their verdicts.
#   MACRO_REPS=3 MACRO_WARMUP=30 MACRO_SECONDS=20   # macro repetitions and seconds per run (these are the
#                              # full-run defaults; QUICK=1 makes them 1, 5, 5). The warm-up is long because,
#                              # on a busy 2-core machine, the server under the agent ramped up for ~30 s
#                              # after its port opened; the report's "trend" column flags runs still ramping
#   MACRO_CONFIGS=baseline,jfr,lockdep4j,lockdep4j-nfs   # macro configurations, run interleaved in this order
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java ./bench.sh   # another JDK (all parts)
#   BENCH_OUT=path.md ./bench.sh   # where the report goes (default BENCHMARKS.md at the repository root)
#   BREAKDOWN=0 ./bench.sh     # skip the hot-path breakdown (HotPathBench, ~1.5 minutes)
#   IDLE_WAIT=0 ./bench.sh     # do not wait (up to IDLE_WAIT seconds, default 120) for the 1-minute
#                              # load average to drop below nproc before each JMH configuration, each
#                              # macro repetition, the start-up part and the real suite
#
# Macro (benchmarks/macro.py; details in its header): NfsServerMain (hazards off) in the configuration's
# JVM, NfsLoadDriverMain in a separate JVM without agent or JFR; per run a warm-up (excluded), then
# the measured phase: RPCs/s, RPC p50/p99, server CPU per RPC, start-up to the first served RPC.
#   baseline       no agent, no JFR
#   jfr            JFR settings=default
#   lockdep4j      agent (default options) + JFR settings=default + lockdep4j.jfc (as `lockdep4j run`)
#   lockdep4j-nfs  the same with samples/lockdep4j-agent.properties (as `lockdep4j demo`)
#
# Micro configurations (one JMH run each, same benchmark code, configuration set by JVM options):
#   baseline   no agent, no JFR (also runs the Guava CycleDetectingLockFactory variants)
#   lockdep4j  -javaagent:lockdep4j-agent.jar + JFR with default + lockdep4j.jfc
#   jfr0       JFR with default + jdk.JavaMonitorEnter/jdk.ThreadPark at threshold 0
#   blockhound BlockHound.install() in @Setup (+ -XX:+AllowRedefinitionToAddDeleteMethods)
#   fld        jenkins file-leak-detector 1.13 as -javaagent (FileBench only)
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
JAVA=${JAVA:-java}
OUT=${BENCH_OUT:-$ROOT/BENCHMARKS.md}
MICRO=${MICRO:-1}
MACRO=${MACRO:-1}
ANALYZER=${ANALYZER:-1}
STARTUP=${STARTUP:-1}
REAL_SUITE=${REAL_SUITE:-1}
if [ "${QUICK:-0}" = 1 ]; then
    JMH_TIMES=(-wi 1 -w 1s -i 1 -r 1s -f 1)
    MACRO_REPS=${MACRO_REPS:-1} MACRO_WARMUP=${MACRO_WARMUP:-5} MACRO_SECONDS=${MACRO_SECONDS:-5}
else
    JMH_TIMES=(-wi 3 -w 1s -i 10 -r 500ms -f 1)
    MACRO_REPS=${MACRO_REPS:-3} MACRO_WARMUP=${MACRO_WARMUP:-30} MACRO_SECONDS=${MACRO_SECONDS:-20}
fi
MACRO_CONFIGS=${MACRO_CONFIGS:-baseline,jfr,lockdep4j,lockdep4j-nfs}

log() { echo "bench.sh: $*" >&2; }

# ---- build
AGENT_SRC=$ROOT/agent/target/lockdep4j-agent.jar
if [ ! -f "$AGENT_SRC" ]; then
    log "building the agent"
    mvn -B -q -pl agent -am package -DskipTests || { log "agent build failed"; exit 1; }
fi
SAMPLES_JAR=$ROOT/samples/target/lockdep4j-samples.jar
if [ "$MACRO" = 1 ] && { [ ! -f "$SAMPLES_JAR" ] || [ -n "$(find samples/src/main samples/pom.xml -newer "$SAMPLES_JAR" -print -quit)" ]; }; then
    log "building samples/target/lockdep4j-samples.jar (missing or older than samples/src)"
    mvn -B -q -pl samples -am package -DskipTests || { log "samples build failed"; exit 1; }
fi
T=$ROOT/benchmarks/target
if [ "$MICRO" = 1 ]; then
    log "building benchmarks/target/benchmarks.jar"
    mvn -B -q -f benchmarks/pom.xml package || { log "benchmarks build failed"; exit 1; }
fi
RES=$T/results
rm -rf "$RES"; mkdir -p "$RES"; : >"$RES/load.properties"
# private copies: someone may rebuild the agent or the samples while we run
cp "$AGENT_SRC" "$T/lockdep4j-agent.jar"
AGENT=$T/lockdep4j-agent.jar
LOCKDEP_JFC=$ROOT/agent/src/main/resources/lockdep4j.jfc
JFR0_JFC=$ROOT/benchmarks/src/main/resources/jfr-threshold0.jfc
FLD=$T/file-leak-detector.jar

wait_idle() { # up to IDLE_WAIT seconds for the 1-minute load average to drop below the CPU count
    local waited=0
    while [ "$waited" -lt "${IDLE_WAIT:-120}" ] && \
          awk -v n="$(nproc)" '{ exit !($1 >= n) }' /proc/loadavg; do
        [ "$waited" = 0 ] && log "load $(cut -d' ' -f1 /proc/loadavg) >= $(nproc) CPUs: waiting for the machine to calm down"
        sleep 10; waited=$((waited + 10))
    done
}

run() { # name, jvmArgsAppend ('' for none), then JMH selection arguments
    local name=$1 jvmargs=$2; shift 2
    local extra=()
    [ -n "$jvmargs" ] && extra=(-jvmArgsAppend "$jvmargs")
    wait_idle
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
if [ "$MICRO" = 1 ]; then
run baseline   "" '.*' -e 'HotPathBench|NewEdgeBench'
run lockdep4j  "-javaagent:$AGENT -XX:StartFlightRecording:settings=default,settings=$LOCKDEP_JFC,filename=$RES/lockdep4j.jfr" '.*' -e '[Cc]dlf|HotPathBench|NewEdgeBench'
run jfr0       "-XX:StartFlightRecording:settings=default,settings=$JFR0_JFC,filename=$RES/jfr0.jfr" '.*' -e '[Cc]dlf|HotPathBench|NewEdgeBench'
run blockhound "-XX:+AllowRedefinitionToAddDeleteMethods -Dlockdep4j.bench.peer=blockhound" '.*' -e '[Cc]dlf|HotPathBench|NewEdgeBench'
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
# the slow path, a new chain and edge per op, with the online cycle check off and on (agent option
# onCycle); NewEdgeBench sets its own single-shot batches (each op uses up a pair of lock classes)
if [ "${NEWEDGE:-1}" = 1 ]; then
    for oc in off report; do
        log "configuration newedge-$oc"
        "$JAVA" -jar "$T/benchmarks.jar" NewEdgeBench -rf json -rff "$RES/newedge-$oc.json" \
            -jvmArgsAppend "-javaagent:$AGENT=onCycle=$oc -XX:StartFlightRecording:settings=default,settings=$LOCKDEP_JFC,filename=$RES/newedge-$oc.jfr" \
            >"$RES/newedge-$oc.log" 2>&1 || log "configuration newedge-$oc: JMH failed (see $RES/newedge-$oc.log)"
        grep -E '^NewEdgeBench' "$RES/newedge-$oc.log" >&2 || true
    done
fi
else
    log "MICRO=0: skipping the JMH benchmarks"
fi
ELAPSED_MICRO=$(( $(date +%s) - START ))

# ---- macro: the sample NFS server under its load driver
if [ "$MACRO" = 1 ]; then
    rm -rf "$T/samples"; mkdir -p "$T/samples"
    cp "$SAMPLES_JAR" "$T/samples/" && cp -r "$ROOT/samples/target/lib" "$T/samples/lib"
    log "macro: $MACRO_CONFIGS interleaved, $MACRO_REPS rep(s) x (${MACRO_WARMUP}s warm-up + ${MACRO_SECONDS}s measured)"
    python3 "$ROOT/benchmarks/macro.py" --results "$RES" --java "$JAVA" \
        --cp "$T/samples/lockdep4j-samples.jar:$T/samples/lib/*" --agent "$AGENT" --jfc "$LOCKDEP_JFC" \
        --nfs-opts "$ROOT/samples/lockdep4j-agent.properties" --reps "$MACRO_REPS" \
        --warmup "$MACRO_WARMUP" --seconds "$MACRO_SECONDS" --configs "$MACRO_CONFIGS" \
        --idle-wait "${IDLE_WAIT:-120}" || log "macro: some runs failed (see $RES/macro/ and the report)"
else
    log "MACRO=0: skipping the macro benchmark"
fi

# ---- start-up: hello world, agent + JFR against JFR alone (benchmarks/startup.py writes startup.md)
if [ "$STARTUP" = 1 ]; then
    wait_idle # the macro part leaves the load high: an agent's extra CPU is wall time on busy cores
    log "start-up: ${STARTUP_RUNS:-10} interleaved rounds"
    python3 "$ROOT/benchmarks/startup.py" --java "$JAVA" --agent "$AGENT" --jfc "$LOCKDEP_JFC" \
        --work "$T/startup" --runs "${STARTUP_RUNS:-10}" --out "$RES/startup.md" >&2 || log "start-up: failed"
else
    log "STARTUP=0: skipping the start-up benchmark"
fi

# ---- a real project's test suite under the agent (benchmarks/real-suite.sh writes real-suite.md)
if [ "$REAL_SUITE" = 1 ]; then
    log "real suite: benchmarks/real-suite.sh (Apache Commons Pool's tests, plain and with the agent from the Maven plugin)"
    JAVA_HOME_FOR_MVN=$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")
    # the plugin as users get it, with the agent it ships, installed from this checkout
    wait_idle
    if JAVA_HOME="$JAVA_HOME_FOR_MVN" mvn -B -q -pl maven-plugin -am install -DskipTests >"$RES/real-suite-install.log" 2>&1; then
        JAVA_HOME="$JAVA_HOME_FOR_MVN" "$ROOT/benchmarks/real-suite.sh" "$RES" >&2 \
            || log "real suite: failed or some tests failed (see benchmarks/target/real-suite/target/*.log)"
    else
        log "real suite: could not install the Maven plugin (see $RES/real-suite-install.log)"
    fi
fi

# ---- analyzer benchmarks (benchmarks/analyzer-bench.sh OUTDIR writes OUTDIR/analyzer.md)
ANALYZER_RAN=0
if [ "$ANALYZER" != 1 ]; then
    log "ANALYZER=0: skipping the analyzer benchmarks"
elif [ -x "$ROOT/benchmarks/analyzer-bench.sh" ]; then
    log "analyzer: benchmarks/analyzer-bench.sh"
    JAVA="$JAVA" QUICK="${QUICK:-0}" "$ROOT/benchmarks/analyzer-bench.sh" "$RES" || log "analyzer-bench.sh exited $?"
    ANALYZER_RAN=1
else
    log "no executable benchmarks/analyzer-bench.sh: skipping the analyzer benchmarks"
fi
ELAPSED=$(( $(date +%s) - START ))

# ---- report
{
    echo "nproc=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    echo "jdk=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') ($("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.vm.name = //p'))"
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- agent samples 2>/dev/null || echo ' (agent/ or samples/ has uncommitted changes)')"
    echo "agent=$(stat -c '%y' "$AGENT_SRC" | cut -d. -f1), $(sha256sum "$AGENT" | cut -c1-12)"
    echo "jmh=${JMH_TIMES[*]} -bm avgt -tu ns -prof gc"
    echo "micro=$MICRO"
    echo "macro=$MACRO"
    echo "analyzer=$ANALYZER_RAN"
    echo "startup=$STARTUP"
    echo "realsuite=$REAL_SUITE"
    echo "quick=${QUICK:-0}"
    echo "elapsed=${ELAPSED}s"
    echo "elapsed.micro=${ELAPSED_MICRO}s"
    echo "load.end=$(cut -d' ' -f1-3 /proc/loadavg)"
    cat "$RES/load.properties"
} >"$RES/machine.properties"
python3 "$ROOT/benchmarks/report.py" "$RES" "$OUT" || { log "report failed"; exit 1; }
log "wrote $OUT"
