#!/usr/bin/env bash
# Measures the gateway side by side in one run, on loopback, with wrk as the load generator:
#   direct    — straight to the fake upstream (fixed latency), the baseline;
#   miss      — through the gateway, every request new (a cache miss, forwarded upstream);
#   hit       — through the gateway, the same request every time (exact hits from memory);
#   stream    — the same streamed request every time (hits replayed as Server-Sent Events);
#   proxy     — through nginx (Debian's, one worker, keep-alive to the upstream, no caching): the reference
#               for what any reverse proxy adds on this machine (not in the default set).
# SCENARIOS and CONNECTIONS choose a subset, e.g. SCENARIOS="direct miss" CONNECTIONS=1.
# For each, requests/s and p50/p99 latency at 1, 32 and 128 connections, then the latency the gateway
# adds on a miss (p50 through the gateway minus p50 direct, at 1 connection), and nginx's when measured.
#
# Usage: scripts/bench-gateway.sh            (DURATION=10s UPSTREAM_LATENCY=20ms by default)
# Builds the release binary into .build-release (its own scratch path, so debug builds are not disturbed).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh

DURATION="${DURATION:-10s}"
UPSTREAM_LATENCY="${UPSTREAM_LATENCY:-20ms}"
CONNECTIONS="${CONNECTIONS:-1 32 128}"
SCRATCH="${SCRATCH:-.build-release}"

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && apt-get install -y -qq curl >/dev/null; }

echo "Building the release binary (this takes a few minutes the first time)..." >&2
swift build -c release --product reprise --scratch-path "$SCRATCH" >&2
swift build -c release --product reprise-dev --scratch-path "$SCRATCH" >&2
BINARY="$SCRATCH/release/reprise"
DEV="$SCRATCH/release/reprise-dev"

UPSTREAM_PORT=$(free_port)
GATEWAY_PORT=$(free_port)
STATE=$(mktemp -d)
cleanup() { kill "${PIDS[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$STATE"; }
PIDS=()
trap cleanup EXIT

"$DEV" fake-upstream --port "$UPSTREAM_PORT" --latency "$UPSTREAM_LATENCY" >/dev/null & PIDS+=($!)
PROXY_PORT=""
if [[ " ${SCENARIOS:-} " == *" proxy "* ]]; then
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { apt-get update -qq && apt-get install -y -qq nginx-light >/dev/null; }
    PROXY_PORT=$(free_port)
    cat > "$STATE/nginx.conf" <<CONF
worker_processes 1;
daemon off;
error_log $STATE/nginx-error.log;
pid $STATE/nginx.pid;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $STATE; proxy_temp_path $STATE; fastcgi_temp_path $STATE; uwsgi_temp_path $STATE; scgi_temp_path $STATE;
    upstream fake { server 127.0.0.1:$UPSTREAM_PORT; keepalive 64; }
    server {
        listen 127.0.0.1:$PROXY_PORT;
        location / { proxy_pass http://fake; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
    }
}
CONF
    PATH="$PATH:/usr/sbin" nginx -p "$STATE" -c "$STATE/nginx.conf" & PIDS+=($!)
fi
"$BINARY" serve --port "$GATEWAY_PORT" --upstream "http://127.0.0.1:$UPSTREAM_PORT" --state-dir "$STATE" \
    --log-level error & PIDS+=($!)
for port in "$UPSTREAM_PORT" "$GATEWAY_PORT" $PROXY_PORT; do
    wait_for "http://127.0.0.1:$port/v1/models"
done

# Warm the entries the hit scenarios read.
for stream in false true; do warm_chat "$GATEWAY_PORT" "$stream"; done

run() { # scenario kind port connections
    local threads=$(( $4 < 2 ? 1 : 2 ))
    RUN_ID="$RANDOM$RANDOM" BODY_KIND="$2" wrk -t"$threads" -c"$4" -d"$DURATION" -s scripts/bench/post.lua \
        "http://127.0.0.1:$3/v1/chat/completions" | tail -n 1
}

echo "| scenario | connections | requests/s | p50 ms | p99 ms | errors |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
declare -A P50
for scenario in ${SCENARIOS:-direct miss hit stream}; do
    case $scenario in
        direct) kind=unique; port=$UPSTREAM_PORT ;;
        miss) kind=unique; port=$GATEWAY_PORT ;;
        hit) kind=fixed; port=$GATEWAY_PORT ;;
        stream) kind=stream; port=$GATEWAY_PORT ;;
        proxy) kind=unique; port=$PROXY_PORT ;;
        *) echo "unknown scenario: $scenario (direct, miss, hit, stream, proxy)" >&2; exit 2 ;;
    esac
    for connections in $CONNECTIONS; do
        line=$(run "$scenario" "$kind" "$port" "$connections")
        python3 - "$scenario" "$connections" "$line" <<'PY'
import json, sys
scenario, connections, figures = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
print(f"| {scenario} | {connections} | {figures['requests_per_second']:,.0f} | {figures['p50_ms']:.3f} | {figures['p99_ms']:.3f} | {figures['errors']} |")
PY
        if [[ "$connections" == "1" ]]; then
            P50[$scenario]=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["p50_ms"])' "$line")
        fi
    done
done
if [[ -n "${P50[direct]:-}" && -n "${P50[miss]:-}" ]]; then
    python3 -c 'import sys; d, m = float(sys.argv[1]), float(sys.argv[2]); print(f"\nLatency the gateway adds on a miss (p50 at 1 connection): {m - d:.3f} ms ({m:.3f} through the gateway, {d:.3f} direct; upstream latency '"$UPSTREAM_LATENCY"')")' "${P50[direct]}" "${P50[miss]}"
fi
if [[ -n "${P50[direct]:-}" && -n "${P50[proxy]:-}" ]]; then
    python3 -c 'import sys; d, m = float(sys.argv[1]), float(sys.argv[2]); print(f"Latency nginx adds (p50 at 1 connection): {m - d:.3f} ms ({m:.3f} through nginx)")' "${P50[direct]}" "${P50[proxy]}"
fi
