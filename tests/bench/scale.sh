#!/usr/bin/env bash
# Timesheet exports at scale (issue 16), in one run: for each size in SIZES (employees), a release
# `timebridge sandbox --employees N --days 40` serves the month FROM..TO, and this measures
#   floor  one raw transfer of the month (a single JSON-RPC `timesheet` call, curl) piped into a
#          parse of the whole answer (serde_json, examples/json_floor.rs of the reports crate),
#   csv / xlsx / pdf   `timebridge timesheet export --format …` of that month against the sandbox
#          (wall time and peak RSS from /usr/bin/time),
# medians of RUNS runs (formats interleaved within a run), and at 1,000 employees the Python peer
# (tests/peer/timesheet_peer.py), whose rows are checked against ours. Prints a table with the
# ratios to the floor, then how time grows with size.
#
#   bash tests/bench/scale.sh                 build the release CLI (~5–15 min cold), then measure
#   RUNS=1 SIZES="1000 4000" bash tests/bench/scale.sh
#   SKIP_BUILD=1 TIMEBRIDGE_BIN=… JSON_FLOOR_BIN=… bash tests/bench/scale.sh
#
# Needs curl and GNU time (/usr/bin/time; Debian package `time`); the peer needs python3 with
# openpyxl (`pip install openpyxl`) and is skipped without it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SIZES="${SIZES:-1000 4000 10000}"
RUNS="${RUNS:-3}"
DAYS="${DAYS:-40}"
FROM="${FROM:-2026-10-31}"
TO="${TO:-2026-11-30}"
PEER_AT="${PEER_AT:-1000}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="${TIMEBRIDGE_BIN:-$TARGET/release/timebridge}"
FLOOR_BIN="${JSON_FLOOR_BIN:-$TARGET/release/examples/json_floor}"
PEER="$ROOT/tests/peer/timesheet_peer.py"
COMPARE="$ROOT/tests/peer/compare_with_csv.py"

[ -x /usr/bin/time ] || { echo "GNU time is missing: apt-get install time" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 1; }
case "$RUNS" in '' | *[!0-9]* | 0) echo "RUNS must be a positive number, not '$RUNS'" >&2; exit 1 ;; esac

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  (cd "$ROOT" && cargo build --release -p timebridge-cli \
    && cargo build --release -p timebridge-reports --example json_floor)
fi
[ -x "$BIN" ] || { echo "no release CLI at $BIN (set TIMEBRIDGE_BIN)" >&2; exit 1; }
[ -x "$FLOOR_BIN" ] || { echo "no json_floor at $FLOOR_BIN (set JSON_FLOOR_BIN)" >&2; exit 1; }

WORK="$(mktemp -d)"
SANDBOX_PID=""
stop_sandbox() {
  if [ -n "$SANDBOX_PID" ]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
    SANDBOX_PID=""
  fi
}
trap 'stop_sandbox; rm -rf "$WORK"' EXIT

# Starts the sandbox with $1 employees and sets URL.
start_sandbox() {
  "$BIN" sandbox --employees "$1" --days "$DAYS" --port 0 >"$WORK/sandbox.out" 2>&1 &
  SANDBOX_PID=$!
  local waited=0
  URL=""
  while [ -z "$URL" ]; do
    URL="$(grep -o 'sandbox ready on [^ ]*' "$WORK/sandbox.out" | awk '{print $4}' || true)"
    if [ -z "$URL" ]; then
      kill -0 "$SANDBOX_PID" 2>/dev/null || { cat "$WORK/sandbox.out" >&2; exit 1; }
      [ "$waited" -lt 600 ] || { echo "the sandbox did not start in 300 s" >&2; exit 1; }
      sleep 0.5
      waited=$((waited + 1))
    fi
  done
}

# Runs the command under GNU time; prints "seconds peak_kb". Its output goes to $WORK/out.
measure() {
  if ! /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >"$WORK/out" 2>"$WORK/err"; then
    echo "failed: $*" >&2
    cat "$WORK/err" "$WORK/out" >&2
    exit 1
  fi
  tail -n 1 "$WORK/time"
}

floor() {
  local body
  body="{\"jsonrpc\":\"2.0\",\"method\":\"timesheet\",\"params\":{\"startDate\":\"$FROM\",\"endDate\":\"$TO\"},\"id\":1}"
  # shellcheck disable=SC2016 # expanded by the inner shell, from its arguments
  measure bash -c 'set -o pipefail; curl -sS --fail -H "Authorization: Bearer sandbox-key" \
    -H "Content-Type: application/json" -d "$1" "$2/api/v1/json-rpc" | "$3"' \
    floor "$body" "$URL" "$FLOOR_BIN"
}

export_as() {
  local extra=()
  # A comma-separated CSV, which the peer check reads.
  # shellcheck disable=SC2054
  [ "$1" = csv ] && extra=(--delimiter ,)
  measure "$BIN" timesheet export --sandbox-url "$URL" --from "$FROM" --to "$TO" --timeout 600 \
    --format "$1" --out "$WORK/export.$1" "${extra[@]}"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A SECS PEAK ROWS
FORMATS="floor csv xlsx pdf"
PEER_LINE=""
for n in $SIZES; do
  echo "== $n employees × $DAYS days, $FROM..$TO, $RUNS run(s)" >&2
  start_sandbox "$n"
  floor >/dev/null # warm-up: the sandbox builds its answers on first use
  : >"$WORK/samples"
  for run in $(seq "$RUNS"); do
    for f in $FORMATS; do
      if [ "$f" = floor ]; then r="$(floor)"; else r="$(export_as "$f")"; fi
      echo "$f $r" >>"$WORK/samples"
      echo "   run $run $f: $r (s, peak KB)" >&2
      if [ "$f" = csv ]; then
        ROWS[$n]="$(grep -o '[0-9]* rows' "$WORK/out" | awk '{print $1}')"
        cp "$WORK/export.csv" "$WORK/ours.csv"
      fi
    done
  done
  for f in $FORMATS; do
    SECS[$n,$f]="$(awk -v f="$f" '$1 == f { print $2 }' "$WORK/samples" | median)"
    PEAK[$n,$f]="$(awk -v f="$f" '$1 == f { print $3 }' "$WORK/samples" | median)"
  done
  if [ "$n" = "$PEER_AT" ]; then
    if python3 -c 'import openpyxl' 2>/dev/null; then
      : >"$WORK/peer"
      for run in $(seq "$RUNS"); do
        r="$(measure python3 "$PEER" "$URL/api/v1/json-rpc" sandbox-key "$FROM" "$TO" "$WORK/peer.xlsx")"
        echo "$r" >>"$WORK/peer"
        echo "   run $run peer: $r (s, peak KB)" >&2
      done
      peer_secs="$(awk '{print $1}' "$WORK/peer" | median)"
      peer_peak="$(awk '{print $2}' "$WORK/peer" | median)"
      check="$(python3 "$COMPARE" "$WORK/peer.xlsx" "$WORK/ours.csv" || true)"
      PEER_LINE="$(awk -v p="$peer_secs" -v k="$peer_peak" -v fl="${SECS[$n,floor]}" \
        -v x="${SECS[$n,xlsx]}" -v n="$n" 'BEGIN {
          printf "Python peer (one timesheet call, openpyxl write-only) at %d employees: %.2f s (%.1f× the floor), peak %d MB; timebridge XLSX %.2f s: %.1f× faster", n, p, p / fl, k / 1024, x, p / x }')
${check}"
    else
      PEER_LINE="Python peer skipped: python3 with openpyxl is missing (pip install openpyxl)"
    fi
  fi
  stop_sandbox
done

echo
echo "Timesheet export of $FROM..$TO by $BIN, median of $RUNS; time (× the floor) and peak RSS"
printf '%-9s %-8s %-16s %-24s %-24s %-24s\n' employees rows floor csv xlsx pdf
for n in $SIZES; do
  line="$(printf '%-9s %-8s ' "$n" "${ROWS[$n]}")"
  line+="$(awk -v s="${SECS[$n,floor]}" -v k="${PEAK[$n,floor]}" 'BEGIN { printf "%-16s ", sprintf("%.2f s %d MB", s, k / 1024) }')"
  for f in csv xlsx pdf; do
    line+="$(awk -v s="${SECS[$n,$f]}" -v fl="${SECS[$n,floor]}" -v k="${PEAK[$n,$f]}" \
      'BEGIN { printf "%-24s ", sprintf("%.2f s (%.1f×) %d MB", s, s / fl, k / 1024) }')"
  done
  echo "$line"
done
# shellcheck disable=SC2086 # one word per size
set -- $SIZES
prev=""
for n in "$@"; do
  if [ -n "$prev" ]; then
    line="$(awk -v a="$prev" -v b="$n" 'BEGIN { printf "%d → %d employees (%.1f× the data): time ×", a, b, b / a }')"
    for f in floor csv xlsx pdf; do
      line+="$(awk -v f="$f" -v a="${SECS[$prev,$f]}" -v b="${SECS[$n,$f]}" 'BEGIN { printf " %s %.2f", f, b / a }')"
    done
    echo "$line"
  fi
  prev="$n"
done
[ -z "$PEER_LINE" ] || echo "$PEER_LINE"
echo "Goals (issue 16): CSV/XLSX ≤ 1.5× the floor at 1,000 and ≤ 2× at 4,000, PDF ≤ 3×; 4× the data ≤ 4.5× the time; peak < 250 MB at 4,000, < 400 MB at 10,000"
