#!/usr/bin/env bash
# Measures exact hits served from each store side by side in one run, on loopback, with wrk: the memory
# store, Redis, Memcached and SQLite (each behind its own gateway process, the memory tier switched off so
# every hit reads the store), at 1 and 32 connections: requests/s, p50 and p99, and each store's
# throughput as a share of the memory store's.
#
# Usage: scripts/bench-stores.sh            (DURATION=10s, CONNECTIONS="1 32", STORES="memory redis memcached sqlite";
#        REDIS_OPTIONS="pool=2" adds options to the Redis URL; WRK_THREADS=1 runs wrk on one thread)
# Installs redis-server, memcached and wrk from Debian when missing; builds the release binary into .build-release.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh

DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-1 32}"
STORES="${STORES:-memory redis memcached sqlite}"
SCRATCH="${SCRATCH:-.build-release}"

for tool in wrk:wrk redis-server:redis-server memcached:memcached curl:curl; do
    command -v "${tool%%:*}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${tool##*:}" >/dev/null; }
done

echo "Building the release binary (this takes a few minutes the first time)..." >&2
swift build -c release --product reprise --scratch-path "$SCRATCH" >&2
swift build -c release --product reprise-dev --scratch-path "$SCRATCH" >&2
BINARY="$SCRATCH/release/reprise"
DEV="$SCRATCH/release/reprise-dev"

STATE=$(mktemp -d)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$STATE"; }
trap cleanup EXIT

UPSTREAM_PORT=$(free_port)
"$DEV" fake-upstream --port "$UPSTREAM_PORT" --latency 20ms >/dev/null & PIDS+=($!)
wait_for "http://127.0.0.1:$UPSTREAM_PORT/v1/models"

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$STATE" >/dev/null & PIDS+=($!)
MEMCACHED_PORT=$(free_port)
user=(); [[ $(id -u) == 0 ]] && user=(-u root)
memcached -l 127.0.0.1 -p "$MEMCACHED_PORT" -U 0 -m 64 "${user[@]}" & PIDS+=($!)
printf 'cache:\n  memory_tier: 0s\n' > "$STATE/reprise.yaml"

store_url() {
    case $1 in
        memory) echo memory ;;
        redis) echo "redis://127.0.0.1:$REDIS_PORT${REDIS_OPTIONS:+?$REDIS_OPTIONS}" ;;
        memcached) echo "memcached://127.0.0.1:$MEMCACHED_PORT" ;;
        sqlite) echo "sqlite://$STATE/bench.db" ;;
    esac
}

echo "| store | connections | requests/s | p50 ms | p99 ms | errors | vs memory |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
declare -A MEMORY_RPS
for store in $STORES; do
    port=$(free_port)
    mkdir -p "$STATE/$store"
    "$BINARY" serve --port "$port" --upstream "http://127.0.0.1:$UPSTREAM_PORT" --state-dir "$STATE/$store" \
        --store "$(store_url "$store")" --config "$STATE/reprise.yaml" --log-level error & PIDS+=($!)
    wait_for "http://127.0.0.1:$port/health"
    warm_chat "$port"
    for connections in $CONNECTIONS; do
        threads=${WRK_THREADS:-$(( connections < 2 ? 1 : 2 ))}
        line=$(BODY_KIND=fixed wrk -t"$threads" -c"$connections" -d"$DURATION" -s scripts/bench/post.lua \
            "http://127.0.0.1:$port/v1/chat/completions" | tail -n 1)
        [[ $store == memory ]] && MEMORY_RPS[$connections]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["requests_per_second"])' "$line")
        python3 - "$store" "$connections" "$line" "${MEMORY_RPS[$connections]:-0}" <<'PY'
import json, sys
store, connections, figures, memory = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), float(sys.argv[4])
share = f"{figures['requests_per_second'] / memory:.2f}×" if memory else "–"
print(f"| {store} | {connections} | {figures['requests_per_second']:,.0f} | {figures['p50_ms']:.3f} | {figures['p99_ms']:.3f} | {figures['errors']} | {share} |")
PY
    done
done
