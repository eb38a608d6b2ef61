#!/usr/bin/env bash
# Analyzer throughput and peak heap on large synthetic recordings (issue 7, analyzer part).
#
#   benchmarks/analyzer-bench.sh OUTDIR          # full: 10^7 events, 8 merged, ~1 GB; 3 runs each
#   QUICK=1 benchmarks/analyzer-bench.sh OUTDIR  # smoke: 10^6 events, 8 merged, ~128 MB; 1 run each
#
# Writes OUTDIR/analyzer.md (section "## Analyzer throughput and heap") and keeps the raw data
# (GC logs, /usr/bin/time output, analyzer stderr, profile) in OUTDIR/analyzer/.
#
# Environment:
#   QUICK=1              fewer events, one run per configuration
#   EVENTS=N             events of recordings (a) and (b)   (default 10000000, QUICK 1000000)
#   BIG_MB=M             size of recording (c) in MB          (default 1024, QUICK 128); the file comes out
#                        up to ~25% bigger (JFR's in-memory buffers are not counted while it is written)
#   PARTS=N              recordings that (b) is split into    (default 8)
#   REPS=N               runs per configuration, median wall time reported (default 3, QUICK 1)
#   JAVA=path            the default JDK's java               (default: java on PATH, JDK 17 here)
#   JAVA25=path          a second JDK; default /usr/lib/jvm/temurin-25-jdk-amd64/bin/java when present,
#                        JAVA25=none to skip
#   REC_DIR=dir          where recordings are written and reused if already there with the same
#                        parameters (default OUTDIR/analyzer/recordings, deleted at the end unless
#                        KEEP_RECORDINGS=1 or REC_DIR is given)
#   GEN_OPTS="..."       JVM options of the generator; the default gives JFR 256 MB of global buffers, without
#                        which a starved JFR recorder thread (busy machine) drops events; events are counted
#                        by the analyzer anyway, and a difference to the generator's count is reported
#   PROFILE=0            skip the JFR profile of the analyzer on recording (a) (default 1)
#   BUILD=0              do not build (use the jars already in analyzers/target and benchmarks/target)
set -uo pipefail
[ $# -eq 1 ] || { echo "usage: benchmarks/analyzer-bench.sh OUTDIR" >&2; exit 2; }
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mkdir -p "$1" || exit 2
OUT="$(cd "$1" && pwd)"
RAW=$OUT/analyzer
mkdir -p "$RAW"
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
    EVENTS=${EVENTS:-1000000}; BIG_MB=${BIG_MB:-128}; REPS=${REPS:-1}
else
    EVENTS=${EVENTS:-10000000}; BIG_MB=${BIG_MB:-1024}; REPS=${REPS:-3}
fi
PARTS=${PARTS:-8}
GEN_OPTS=${GEN_OPTS:--XX:FlightRecorderOptions:globalbuffersize=4m,numglobalbuffers=64}
JAVA=${JAVA:-java}
if [ -z "${JAVA25:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    JAVA25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
fi
[ "${JAVA25:-}" = none ] && JAVA25=
KEEP=${KEEP_RECORDINGS:-0}
[ -n "${REC_DIR:-}" ] && KEEP=1
REC=${REC_DIR:-$RAW/recordings}
mkdir -p "$REC"
CLI=$ROOT/analyzers/target/lockdep4j-analyzers-cli.jar
GEN_CP=$ROOT/benchmarks/target/classes
TARGET_RATE=2000000
HEAP=512m

log() { echo "analyzer-bench: $*" >&2; }
die() { log "$*"; exit 1; }

# ---- build (reactor package without tests, then the benchmark classes; never mvn install)
if [ "${BUILD:-1}" = 1 ]; then
    log "building the analyzer CLI jar and the recording generator"
    (cd "$ROOT" && mvn -B -q -ntp -pl analyzers -am package -DskipTests) >"$RAW/build.log" 2>&1 \
        || die "analyzer build failed (see $RAW/build.log)"
    (cd "$ROOT" && mvn -B -q -ntp -f benchmarks/pom.xml compile) >>"$RAW/build.log" 2>&1 \
        || die "benchmarks build failed (see $RAW/build.log)"
fi
[ -f "$CLI" ] || die "missing $CLI (run without BUILD=0)"
[ -f "$GEN_CP/io/lockdep4j/benchmarks/SyntheticRecording.class" ] || die "missing the generator classes in $GEN_CP"
# a private copy: someone may rebuild the analyzer while we measure
cp "$CLI" "$RAW/lockdep4j-analyzers-cli.jar"; CLI=$RAW/lockdep4j-analyzers-cli.jar

jdk_name() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- recordings: generate(name, generator args...) -> $REC/name.jfr, event count in name.events
generate() {
    local name=$1; shift
    local key="$GEN_OPTS $*"
    if [ -s "$REC/$name.jfr" ] && [ "$(cat "$REC/$name.key" 2>/dev/null)" = "$key" ]; then
        log "reusing $REC/$name.jfr"
        return 0
    fi
    log "generating $name.jfr ($key; load $(load))"
    local line
    # shellcheck disable=SC2086 # GEN_OPTS is a list of JVM options
    line=$("$JAVA" $GEN_OPTS -cp "$GEN_CP" io.lockdep4j.benchmarks.SyntheticRecording "$REC/$name.jfr" "$@") \
        || die "generator failed for $name"
    echo "$line" >"$REC/$name.gen"
    sed -n 's/.*events=\([0-9]*\).*/\1/p' <<<"$line" >"$REC/$name.events"
    echo "$key" >"$REC/$name.key"
    log "  $line"
}

generate single --events "$EVENTS" --seed 1
PER_PART=$(( (EVENTS + PARTS - 1) / PARTS ))
MERGED=()
for i in $(seq 1 "$PARTS"); do
    generate "part$i" --events "$PER_PART" --seed $((100 + i))
    MERGED+=("$REC/part$i.jfr")
done
generate big --mb "$BIG_MB" --seed 7

sum_events() { local t=0 f; for f in "$@"; do t=$((t + $(cat "${f%.jfr}.events"))); done; echo $t; }
sum_bytes() { local t=0 f; for f in "$@"; do t=$((t + $(stat -c %s "$f"))); done; echo $t; }

# ---- one analyzer run: analyze_once LABEL JAVA XMX(or '') FILES... ; prints "wall rc events used live rss"
analyze_once() {
    local label=$1 java=$2 xmx=$3; shift 3
    local tag
    tag="$(tr -c 'A-Za-z0-9' _ <<<"$label")jdk$(jdk_name "$java" | cut -d. -f1 | cut -d+ -f1)_${xmx:-default}_$RANDOM"
    local heap=(); [ -n "$xmx" ] && heap=(-Xmx"$xmx")
    local t0 t1 rc
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$RAW/$tag.time" "$java" "${heap[@]}" -Xlog:gc:file="$RAW/$tag.gc" \
        -jar "$CLI" analyze -q -o "$RAW/$tag.txt" "$@" 2>"$RAW/$tag.err"
    rc=$?
    t1=$(date +%s.%N)
    # the report's first line: "... N recordings, 12,345 events (12,345 lockdep4j), ..."
    local events
    events=$(head -1 "$RAW/$tag.txt" 2>/dev/null | sed -n 's/.*, \([0-9,]*\) events (.*/\1/p' | tr -d ,)
    # GC log lines end in "USEDM->LIVEM(HEAPM) 1.234ms": peak used before a GC, largest live set after one
    local used live
    used=$(grep -o '[0-9]*M->[0-9]*M' "$RAW/$tag.gc" | awk -F'M->|M' 'BEGIN{m=0}{if($1+0>m)m=$1+0}END{print m}')
    live=$(grep -o '[0-9]*M->[0-9]*M' "$RAW/$tag.gc" | awk -F'M->|M' 'BEGIN{m=0}{if($2+0>m)m=$2+0}END{print m}')
    local rss cpu
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$RAW/$tag.time")
    cpu=$(awk -F': ' '/User time|System time/{c+=$2} END{printf "%.1f", c}' "$RAW/$tag.time")
    echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') $rc ${events:-0} ${used:-0} ${live:-0} $((${rss:-0} / 1024)) ${cpu:-0}"
}

ROWS=$RAW/rows.tsv
: >"$ROWS"
# measure LABEL JAVA XMX FILES... : REPS runs, the median wall time's run is reported
measure() {
    local label=$1 java=$2 xmx=$3; shift 3
    local jdk; jdk=$(jdk_name "$java")
    local runs=() r
    for r in $(seq 1 "$REPS"); do
        log "analyze $label on $jdk ${xmx:+-Xmx$xmx} (run $r/$REPS, load $(load))"
        runs+=("$(analyze_once "$label" "$java" "$xmx" "$@")")
        log "  wall/rc/events/usedMB/liveMB/rssMB/cpu: ${runs[-1]}"
    done
    local median
    median=$(printf '%s\n' "${runs[@]}" | sort -n -k1,1 | sed -n "$(( (REPS + 1) / 2 ))p" | cut -d' ' -f1)
    local gen_events; gen_events=$(sum_events "$@") # the generator's count; the analyzer's is in the runs
    local bytes; bytes=$(sum_bytes "$@")
    local maxused maxlive maxrss
    maxused=$(printf '%s\n' "${runs[@]}" | awk 'BEGIN{m=0}{if($4>m)m=$4}END{print m}')
    maxlive=$(printf '%s\n' "${runs[@]}" | awk 'BEGIN{m=0}{if($5>m)m=$5}END{print m}')
    maxrss=$(printf '%s\n' "${runs[@]}" | awk 'BEGIN{m=0}{if($6>m)m=$6}END{print m}')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$gen_events" "$bytes" "$jdk" "${xmx:-default}" \
        "$median" "$maxused" "$maxlive" "$maxrss" "$(load)" "$#" "$(printf '%s,' "${runs[@]}")" >>"$ROWS"
}

JAVAS=("$JAVA"); [ -n "${JAVA25:-}" ] && JAVAS+=("$JAVA25")
for j in "${JAVAS[@]}"; do
    measure "(a) single" "$j" "$HEAP" "$REC/single.jfr"
    measure "(b) $PARTS merged" "$j" "$HEAP" "${MERGED[@]}"
    measure "(c) large (--mb $BIG_MB)" "$j" "$HEAP" "$REC/big.jfr"
done
measure "(a) single" "$JAVA" "" "$REC/single.jfr"

# ---- profile: where the analyzer spends its time on (a), default JDK, -Xmx512m
PROF=""
PHASES=""
if [ "${PROFILE:-1}" = 1 ]; then
    log "profiling the analyzer on (a) with JFR"
    "$JAVA" -Xmx$HEAP -XX:StartFlightRecording:filename="$RAW/profile.jfr",settings=profile \
        -jar "$CLI" analyze -q -o /dev/null "$REC/single.jfr" >/dev/null 2>"$RAW/profile.err"
    JFR_TOOL="$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jfr"
    if [ -x "$JFR_TOOL" ] && [ -s "$RAW/profile.jfr" ]; then
        "$JFR_TOOL" print --events jdk.ExecutionSample --stack-depth 1 "$RAW/profile.jfr" >"$RAW/profile.txt" 2>/dev/null
        PROF=$(awk '/stackTrace = \[/{getline; sub(/^[ \t]+/, ""); sub(/[ \t]+line:.*/, ""); n[$0]++; t++}
                    END{for (f in n) printf "%d\t%.1f%%\t%s\n", n[f], 100*n[f]/t, f}' "$RAW/profile.txt" | sort -rn | head -15)
        "$JFR_TOOL" print --events jdk.ExecutionSample --stack-depth 64 "$RAW/profile.jfr" >"$RAW/profile-deep.txt" 2>/dev/null
        PHASES=$(awk -f "$ROOT/benchmarks/analyzer-profile.awk" "$RAW/profile-deep.txt" | sort -rn)
    fi
fi

# ---- report
python3 - "$ROWS" "$OUT/analyzer.md" "$TARGET_RATE" "$REPS" "$PROF" "$PHASES" "$HEAP" <<'PY'
import sys
rows_path, out_path, target, reps, prof, phases, heap = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6], sys.argv[7]
lines = ["## Analyzer throughput and heap", "",
         "Synthetic lockdep4j recordings (`benchmarks/src/main/java/io/lockdep4j/benchmarks/SyntheticRecording.java`:",
         "the high-volume release-path and contention events of a long run, a lock graph over 3,000 lock classes, and",
         "one planted hazard per rule) analyzed by `analyzers/target/lockdep4j-analyzers-cli.jar analyze`.",
         f"Wall time is the median of {reps} run(s) of the whole CLI process (JVM start, read, rules, text report).",
         "Events: the analyzer's own count (its report's summary line), checked against what the generator committed.",
         "Peak heap: the largest heap occupancy before a GC, from `-Xlog:gc` (live: the largest after a GC);",
         "RSS: `/usr/bin/time -v` maximum resident set size. Target: 2 M events/s, and a 1 GB recording within -Xmx512m.",
         "",
         "CPU s: user + system CPU of that run (both cores; a busy machine inflates wall time far more than CPU time).",
         "",
         "| recording | events | size | JDK | -Xmx | wall s | events/s | CPU s | peak heap | live after GC | peak RSS | exit | vs 2 M/s | load (1/5/15 min) |",
         "|---|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
notes = []
verdicts = []
for line in open(rows_path):
    label, generated, size, jdk, xmx, wall, used, live, rss, load, nfiles, runs = line.rstrip("\n").split("\t")
    generated, size, wall = int(generated), int(size), float(wall)
    runs = [r.split() for r in runs.strip(",").split(",") if r]
    rcs = sorted({r[1] for r in runs})
    counted = sorted({int(r[2]) for r in runs})
    events = max(counted)  # what the analyzer read: the rate is about those
    if counted != [generated]:
        notes.append(f"- {label} on {jdk}: the analyzer read {', '.join(f'{c:,}' for c in counted)} events, the generator "
                     f"committed {generated:,} (JFR drops events when its recorder thread starves; see GEN_OPTS)")
    rate = events / wall if wall > 0 else 0
    median_run = sorted(runs, key=lambda r: float(r[0]))[(len(runs) - 1) // 2]
    cpu = median_run[6] if len(median_run) > 6 else "?"
    lines.append(f"| {label} | {events:,} | {size / 2**20:,.0f} MB | {jdk} | {xmx} | {wall:.1f} | {rate / 1e6:.2f} M | {cpu} | "
                 f"{used} MB | {live} MB | {rss} MB | {'/'.join(rcs)} | {rate / target:.2f} | {load} |")
    if xmx == heap:
        ok = all(r[1] == "1" for r in runs)
        verdicts.append((label, jdk, rate >= target, ok, size))
lines += [""]
if verdicts:
    fast = [f"{l} on {j.split('+')[0]}" for l, j, r, ok, sz in verdicts if r]
    slow = [f"{l} on {j.split('+')[0]}" for l, j, r, ok, sz in verdicts if not r]
    big = [(l, j, ok, sz) for l, j, r, ok, sz in verdicts if l.startswith("(c)")]
    lines.append("Targets: throughput >= 2 M events/s " + (f"met for {', '.join(fast)}" if fast else "not met")
                 + (f"; not met for {', '.join(slow)}" if slow and fast else "") + ". "
                 + "; ".join(f"{l} ({sz / 2**20:,.0f} MB) on {j.split('+')[0]} within -Xmx{heap}: "
                             + ("analyzed (exit 1, findings reported)" if ok else "FAILED") for l, j, ok, sz in big) + ".")
    lines.append("")
lines += ["Exit code 1 is expected: the recordings hold findings (12 planted hazards); 2 or 3 would be a failure."]
lines += notes
lines += ["", "Commands (per run; `REC` holds the recordings):", "", "```",
          "G=\"java -XX:FlightRecorderOptions:globalbuffersize=4m,numglobalbuffers=64 -cp benchmarks/target/classes io.lockdep4j.benchmarks.SyntheticRecording\"",
          "$G REC/single.jfr --events N --seed 1",
          "$G REC/partI.jfr --events N/8 --seed 100+I     # I = 1..8",
          "$G REC/big.jfr --mb M --seed 7",
          "/usr/bin/time -v java -Xmx512m -Xlog:gc:file=gc.log -jar analyzers/target/lockdep4j-analyzers-cli.jar analyze -q -o report.txt REC/...",
          "```"]
if phases:
    total = sum(int(p.split("\t")[0]) for p in phases.splitlines())
    lines += ["", "Where the time goes, by thread and phase (JFR execution samples of the analyzer on (a), default JDK, -Xmx512m;",
              "the parser thread and the main thread run at the same time; GC threads are not sampled):", "",
              "| samples | share | thread: phase |", "|---:|---:|---|"]
    for p in phases.splitlines():
        n, what = p.split("\t", 1)
        lines.append(f"| {n} | {100 * int(n) / total:.1f}% | {what} |")
if prof:
    lines += ["", "Where the time goes (JFR execution samples of the analyzer on (a), default JDK, innermost frame):", "",
              "| samples | share | method |", "|---:|---:|---|"]
    for p in prof.splitlines():
        n, share, method = p.split("\t", 2)
        lines.append(f"| {n} | {share} | `{method}` |")
open(out_path, "w").write("\n".join(lines) + "\n")
PY
log "wrote $OUT/analyzer.md"
if [ "$KEEP" != 1 ]; then
    rm -rf "$REC"
fi
cat "$OUT/analyzer.md"
