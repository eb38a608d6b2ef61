#!/usr/bin/env bash
# The demo (./lockdep4j demo): the sample NFSv3 server runs under the agent with every hazard
# switched on, drives its own NFS load for a bounded time, stops, and the report is printed.
#   ./lockdep4j demo [--seconds N] [--out DIR] [--safe]
#     --seconds N  load duration (default 15)
#     --out DIR    where the recording and reports go (default ./lockdep4j-demo)
#     --safe       hazards off: the clean twin, whose report has no findings
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
OUT="lockdep4j-demo"; SECS=15; HAZARDS="--hazard=all"
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) SECS="${2:?--seconds needs a number}"; shift 2 ;;
    --out) OUT="${2:?--out needs a directory}"; shift 2 ;;
    --safe) HAZARDS=""; shift ;;
    -h|--help) sed -n '2,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      echo "Example: ./lockdep4j demo --seconds 5 --out /tmp/demo   (exit 1: the report has findings)"; exit 0 ;;
    *) echo "lockdep4j: demo: unknown option '$1' (usage: lockdep4j demo [--seconds N] [--out DIR] [--safe])" >&2; exit 2 ;;
  esac
done
[[ "$SECS" =~ ^[0-9]+$ ]] || { echo "lockdep4j: demo: --seconds takes whole seconds" >&2; exit 2; }
mkdir -p "$OUT"
CP="$ROOT/samples/target/lockdep4j-samples.jar:$ROOT/samples/target/lib/*"
# What the sample's code means, in the agent's terms (see README: agent options)
AGENT_OPTS="$(cat "$ROOT/samples/lockdep4j-agent.properties" 2>/dev/null | grep -v '^#' | grep . | paste -sd, -)"

echo "== lockdep4j demo: sample NFSv3 server under the agent, ${HAZARDS:-no hazards}, NFS load for ${SECS}s" >&2
"$ROOT/lockdep4j" run -o "$OUT/demo.jfr" --timeout $((SECS + 90)) ${AGENT_OPTS:+--agent-opts "$AGENT_OPTS"} -- \
  "$JAVA" -cp "$CP" io.lockdep4j.samples.nfs.NfsServerMain --load "$SECS" $HAZARDS
run_rc=$?
if [ ! -s "$OUT/demo.jfr" ]; then
  echo "lockdep4j: demo: the server run left no recording (exit $run_rc)" >&2
  exit 2
fi
echo "== report" >&2
"$ROOT/lockdep4j" analyze "$OUT/demo.jfr" --format json -o "$OUT/report.json" >/dev/null 2>&1
"$ROOT/lockdep4j" analyze "$OUT/demo.jfr" -o "$OUT/report.txt"
rc=$?
cat "$OUT/report.txt"
echo >&2
echo "lockdep4j demo: recording $OUT/demo.jfr, reports $OUT/report.txt and $OUT/report.json" >&2
# 0: clean, 1: findings (expected with hazards on); anything else is a failure of the demo
[ $rc -le 1 ] && exit 0 || exit $rc
