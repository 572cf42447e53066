#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (coverage-guided, with AddressSanitizer) and runs each from its seed
# corpus in Fuzz/Corpus/ for a set number of inputs, printing per target the inputs run, the corpus it grew
# and what it found. Not part of CI: about 25 minutes for the build on 2 cores, then FUZZ_RUNS inputs each.
#
#   scripts/fuzz.sh                      # every target, FUZZ_RUNS inputs each (default 200000)
#   FUZZ_RUNS=1000000 scripts/fuzz.sh FuzzJSON FuzzRESP
#
# A crash leaves its input in Fuzz/Crashes/<target>/ and makes the script exit non-zero; turn each into a
# test (the input as a fixture, the expectation the fuzzer's assertion made) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/../Fuzz"

runs="${FUZZ_RUNS:-200000}"
targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(FuzzJSON FuzzServerSentEvents FuzzRESP FuzzMemcached FuzzConfiguration FuzzLogReaders FuzzCacheEntry)
fi

echo "==> Building the fuzz targets (debug, -sanitize=fuzzer,address)"
swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
bin="$(swift build -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library --show-bin-path)"

failed=0
printf '%-22s %10s %8s %8s %s\n' target inputs corpus crashes seconds
for target in "${targets[@]}"; do
    work="$(mktemp -d)"
    mkdir -p "Crashes/$target"
    cp -r "Corpus/$target/." "$work/"
    started=$(date +%s)
    status=0
    "$bin/$target" "$work" -runs="$runs" -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
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
