#!/usr/bin/env bash
# Measures `reprise analyze` on a generated log (exact and normalized repeats, the full TTL and capacity
# replay, provider prefix caching, advice): wall time, lines per second and peak memory.
# Usage: scripts/bench-analyzer.sh [LINES]   (1,000,000 by default; the log is written to a temporary file)
set -euo pipefail
cd "$(dirname "$0")/.."
LINES="${1:-1000000}"
SCRATCH="${SCRATCH:-.build-release}"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }

echo "Building the release binary..." >&2
swift build -c release --product reprise --scratch-path "$SCRATCH" >&2
LOG=$(mktemp --suffix=.jsonl)
trap 'rm -f "$LOG" "$LOG.time"' EXIT
echo "Generating $LINES lines..." >&2
python3 scripts/generate-usage-log.py "$LINES" > "$LOG"
SIZE=$(stat -c %s "$LOG")

/usr/bin/time -f "%e %M %U %S" -o "$LOG.time" "$SCRATCH/release/reprise" analyze --json "$LOG" > /dev/null
read -r SECONDS_TAKEN PEAK_KB USER_SECONDS SYSTEM_SECONDS < "$LOG.time"
python3 - "$LINES" "$SIZE" "$SECONDS_TAKEN" "$PEAK_KB" "$USER_SECONDS" "$SYSTEM_SECONDS" "$(cat /proc/loadavg)" <<'PY'
import sys
lines, size, seconds, peak_kb = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
cpu = float(sys.argv[5]) + float(sys.argv[6])
print(f"lines: {lines:,}  input: {size / 2**20:,.0f} MiB")
print(f"wall time: {seconds:.1f} s  lines/s: {lines / seconds:,.0f}  peak memory: {peak_kb / 1024:,.0f} MiB")
print(f"CPU time: {cpu:.1f} s  load average when done: {sys.argv[7].split()[0]} (other work on the machine stretches wall time)")
PY
