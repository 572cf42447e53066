#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (coverage-guided, with AddressSanitizer) and runs each from its seed
# corpus in Fuzz/Corpus/ for a set number of inputs, printing per target the inputs run, the corpus it grew
# and what it found. Not part of CI: about 25 minutes for the build on 2 cores, then FUZZ_RUNS inputs each.
#
#   scripts/fuzz.sh                      # every target, FUZZ_RUNS inputs each (default 200000)
#   FUZZ_RUNS=1000000 scripts/fuzz.sh FuzzJSON FuzzRESP
#   FUZZ_SECONDS=240 scripts/fuzz.sh     # each target for 4 minutes instead (inputs unbounded)
#
# A crash leaves its input in Fuzz/Crashes/<target>/ and makes the script exit non-zero; turn each into a
# test (the input as a fixture, the expectation the fuzzer's assertion made) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

runs="${FUZZ_RUNS:-200000}"
limit=(-runs="$runs")
[[ -n "${FUZZ_SECONDS:-}" ]] && limit=(-runs=-1 -max_total_time="$FUZZ_SECONDS")
# Leaks inside Foundation itself (see the file) are not Reprise's.
export LSAN_OPTIONS="suppressions=$PWD/lsan-suppressions.txt${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(FuzzJSON FuzzServerSentEvents FuzzRESP FuzzMemcached FuzzConfiguration FuzzLogReaders FuzzCacheEntry)
fi

# SwiftPM passes --sanitize=fuzzer to the linker (libFuzzer's main) but not to the Swift compiler, whose
# code would then carry no coverage for libFuzzer to follow: the coverage flags are given explicitly.
flags=(--sanitize=fuzzer --sanitize=address -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp)
echo "==> Building the fuzz targets (debug, ${flags[*]})"
swift build "${flags[@]}" >&2
bin="$(swift build "${flags[@]}" --show-bin-path)"

failed=0
printf '%-22s %10s %8s %8s %s\n' target inputs corpus crashes seconds
for target in "${targets[@]}"; do
    work="$(mktemp -d)"
    mkdir -p "Crashes/$target"
    cp -r "Corpus/$target/." "$work/"
    started=$(date +%s)
    status=0
    "$bin/$target" "$work" "${limit[@]}" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="Crashes/$target/" >"$work.log" 2>&1 || status=$?
    seconds=$(( $(date +%s) - started ))
    executed=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work.log" | grep -o '[0-9]*$' || echo "?")
    corpus=$(find "$work" -type f | wc -l)
    crashes=$(find "Crashes/$target" -type f | wc -l)
    printf '%-22s %10s %8s %8s %s\n' "$target" "$executed" "$corpus" "$crashes" "$seconds"
    if [[ $status -ne 0 || $crashes -gt 0 ]]; then
        failed=1
        grep -E "ERROR|Fatal error|SUMMARY|==[0-9]+==" "$work.log" | head -20 >&2 || true
    fi
    rm -rf "$work" "$work.log"
done
exit $failed
