#!/usr/bin/env bash
# Two gateway binaries side by side against one fake upstream: rounds of wrk against the upstream directly
# and through each gateway, every request a cache miss (unique prompts).
#
#   A=/tmp/reprise-before B=/tmp/reprise-after LAT=0ms ROUNDS="1 2 3" scripts/bench-ab.sh
#   SPECS="direct,unique,UP,32 before,unique,GA,32 after,unique,GB,32" scripts/bench-ab.sh
#
# A and B are `reprise` release binaries (the fake upstream is the `reprise-dev` beside B, or DEV); LAT is the upstream's latency;
# DURATION each wrk run's length; SPECS the runs of a round as name,body-kind,target,connections with the
# target UP (upstream), GA (gateway A) or GB (gateway B). Prints one line per run with wrk's JSON summary.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/bench/common.sh
A=${A:?set A to the first reprise binary}; B=${B:?set B to the second reprise binary}
DEV=${DEV:-$(dirname "$B")/reprise-dev}
D=${DURATION:-4s}
UP=$(free_port); GA=$(free_port); GB=$(free_port)
PIDS=(); trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
"$DEV" fake-upstream --port "$UP" --latency "${LAT:-20ms}" >/dev/null & PIDS+=($!)
SA=$(mktemp -d); SB=$(mktemp -d)
"$A" serve --port "$GA" --upstream "http://127.0.0.1:$UP" --state-dir "$SA" --log-level error & PIDS+=($!)
"$B" serve --port "$GB" --upstream "http://127.0.0.1:$UP" --state-dir "$SB" --log-level error & PIDS+=($!)
for p in $UP $GA $GB; do wait_for "http://127.0.0.1:$p/v1/models"; done
for g in $GA $GB; do warm_chat "$g"; done
run() { local t=$(( $4 < 2 ? 1 : 2 )); RUN_ID=$RANDOM$RANDOM BODY_KIND=$2 wrk -t$t -c"$4" -d"$D" -s scripts/bench/post.lua "http://127.0.0.1:$3/v1/chat/completions" | tail -n1; }
for round in ${ROUNDS:-1 2 3}; do
  for spec in ${SPECS:-direct,unique,UP,1 before,unique,GA,1 after,unique,GB,1}; do
    IFS=, read -r name kind target connections <<<"$spec"
    case $target in UP) port=$UP ;; GA) port=$GA ;; GB) port=$GB ;; *) port=$target ;; esac
    echo "$round $name c$connections $(run "$name" "$kind" "$port" "$connections")"
  done
done
