#!/usr/bin/env bash
# Gateway CPU per store-backed hit, side by side: for each NAME=BINARY[:ENV=VALUE] given, starts a gateway on
# one shared Redis (memory tier off) and, round after round, drives `wrk -t1 -c32` hits at each while
# `perf stat -e task-clock` counts the gateway's CPU time; prints requests/s, p50/p99 and CPU µs per hit.
# CPU per hit holds up on a noisy machine far better than latency does.
#
# Usage: scripts/bench-store-cpu.sh before=/tmp/reprise-before after=.build-release/release/reprise
#        (DURATION=5 seconds, ROUNDS="1 2 3", C=32 connections; STORE=URL for another store)
# Needs perf (linux-perf), wrk and redis-server (installed from Debian when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh
for tool in wrk:wrk redis-server:redis-server perf:linux-perf curl:curl; do
    command -v "${tool%%:*}" >/dev/null || { apt-get update -qq && apt-get install -y -qq "${tool##*:}" >/dev/null; }
done
(( $# > 0 )) || { echo "usage: $0 NAME=BINARY[:ENV=VALUE] ..." >&2; exit 2; }
FIRST=${1#*=}; FIRST=${FIRST%%:*}
DEV=${DEV:-$(dirname "$FIRST")/reprise-dev}  # the fake upstream's binary
D=${DURATION:-5}
UP=$(free_port); RP=$(free_port)
ST=$(mktemp -d)
PIDS=(); trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf $ST' EXIT
"$DEV" fake-upstream --port $UP --latency 20ms >/dev/null & PIDS+=($!)
redis-server --port $RP --bind 127.0.0.1 --save "" --appendonly no --dir $ST >/dev/null & PIDS+=($!)
printf 'cache:\n  memory_tier: 0s\n' > $ST/reprise.yaml
declare -A PORT GPID
for spec in "$@"; do
  name=${spec%%=*}; rest=${spec#*=}; bin=${rest%%:*}; envs=""; [[ $rest == *:* ]] && envs=${rest#*:}
  p=$(free_port); mkdir -p $ST/$name
  env ${envs:-NOTHING=1} $bin serve --port $p --upstream http://127.0.0.1:$UP --state-dir $ST/$name --store ${STORE:-redis://127.0.0.1:$RP} --config $ST/reprise.yaml --log-level error & PIDS+=($!)
  PORT[$name]=$p; GPID[$name]=$!
done
for name in "${!PORT[@]}"; do wait_for "http://127.0.0.1:${PORT[$name]}/health"; warm_chat "${PORT[$name]}"; done
for round in ${ROUNDS:-1 2 3}; do
  for spec in "$@"; do
    name=${spec%%=*}; p=${PORT[$name]}
    BODY_KIND=fixed wrk -t1 -c${C:-32} -d${D}s -s scripts/bench/post.lua http://127.0.0.1:$p/v1/chat/completions | tail -n1 > $ST/wrk.json &
    w=$!
    perf stat -x, -e task-clock -p ${GPID[$name]} -- sleep $D 2> $ST/perf.txt
    wait $w
    python3 - "$round" "$name" "$ST/wrk.json" "$ST/perf.txt" <<'PY'
import json, sys
r, name, w, p = sys.argv[1:]
f = json.load(open(w)); ms = float(open(p).read().split(",")[0])
print(f"{r} {name}: {f['requests_per_second']:,.0f}/s p50 {f['p50_ms']:.3f} p99 {f['p99_ms']:.3f}  gateway CPU {1000*ms/f['requests']:.1f} µs/hit")
PY
  done
done
