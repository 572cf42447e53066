#!/usr/bin/env bash
# Soak test: runs `reprise serve` against its own Redis and the built-in fake upstream for a long while
# (SOAK_MINUTES, 20 by default) under mixed traffic from scripts/soak/driver.py (8 threads: cache hits and
# misses, streamed and not, OpenAI chat completions and Anthropic messages, coalesced bursts, client
# disconnects, the upstream's own 500/503s, hostile answers), and kills Redis with SIGKILL every few
# minutes (SOAK_REDIS_KILL_EVERY, 3m by default), restarting it on the same port SOAK_REDIS_DOWN_FOR
# (20s) later. Every answer's text is checked against the fake upstream's; every 30 s the gateway's
# memory (VmRSS), open file descriptors and threads are sampled. Prints a summary, also as Markdown.
#
# Exits non-zero when the driver saw any client-visible error other than the upstream's own scripted
# ones, any wrong answer, or the gateway died.
#
# Usage: REPRISE_BINARY=.build/debug/reprise scripts/soak.sh
#   REPRISE_BINARY          the reprise binary (default .build/debug/reprise; nothing is built here)
#   REPRISE_DEV_BINARY      the reprise-dev binary whose fake upstream answers (default: beside REPRISE_BINARY)
#   SOAK_MINUTES            how long the traffic runs (default 20)
#   SOAK_REDIS_KILL_EVERY   Redis uptime before each kill: 180, 180s or 3m (default 3m; 0 never kills),
#                           so a kill comes every KILL_EVERY + DOWN_FOR seconds
#   SOAK_REDIS_DOWN_FOR     how long Redis stays down (default 20s)
#   SOAK_WORKERS            driver threads (default 8)
#   SOAK_THINK_MS           mean pause between a worker's requests (default 0)
#   SOAK_REPORT             also write the summary to this file
#   SOAK_LOG_DIR            keep the gateway, fake upstream and Redis logs (and failure evidence) here
#   SOAK_MIX                traffic weights, e.g. "new=0,burst=0" (see driver.py --help; default all kinds)
#   SOAK_GATEWAY_ARGS       more `reprise serve` arguments, e.g. "--config soak.yaml" (split on spaces)
#   SOAK_STREAMED_ERROR_BODY  1 (default) also sends model error-body streamed, requiring its error to reach the client; 0 leaves it out
#
# Installs redis-server and redis-tools from Debian (apt-get) when missing; needs python3 (standard
# library only). Everything runs on free loopback ports, in a temp dir removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "soak.sh: $*" >&2; }

# Seconds in 180, 180s or 3m.
to_seconds() {
    case "$1" in
        *m) echo $(( ${1%m} * 60 )) ;;
        *s) echo "${1%s}" ;;
        *) echo "$1" ;;
    esac
}

BINARY="${REPRISE_BINARY:-.build/debug/reprise}"
MINUTES="${SOAK_MINUTES:-20}"
KILL_EVERY=$(to_seconds "${SOAK_REDIS_KILL_EVERY:-3m}")
DOWN_FOR=$(to_seconds "${SOAK_REDIS_DOWN_FOR:-20s}")
WORKERS="${SOAK_WORKERS:-8}"
THINK_MS="${SOAK_THINK_MS:-0}"
REPORT="${SOAK_REPORT:-}"
LOG_DIR="${SOAK_LOG_DIR:-}"
DRIVER_FLAGS=()
[[ "${SOAK_STREAMED_ERROR_BODY:-1}" == 1 ]] && DRIVER_FLAGS+=(--streamed-error-body)
[[ -n "$REPORT" ]] && DRIVER_FLAGS+=(--report "$REPORT")
[[ -n "${SOAK_MIX:-}" ]] && DRIVER_FLAGS+=(--mix "$SOAK_MIX")
read -r -a GATEWAY_ARGS <<< "${SOAK_GATEWAY_ARGS:-}"

[[ -x "$BINARY" ]] || { log "no executable at $BINARY (set REPRISE_BINARY)"; exit 2; }
BINARY=$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")
DEV_BINARY="${REPRISE_DEV_BINARY:-$(dirname "$BINARY")/reprise-dev}"
command -v python3 >/dev/null || { log "python3 is needed"; exit 2; }
if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    log "installing redis-server and redis-tools"
    if ! apt-get install -y -qq redis-server redis-tools >/dev/null 2>&1; then
        apt-get update -qq >/dev/null && apt-get install -y -qq redis-server redis-tools >/dev/null
    fi
fi

# Settings from the caller's environment (REPRISE_CONFIG, REPRISE_STORE, …) must not change the gateway.
for variable in $(compgen -e | grep '^REPRISE_' || true); do unset "$variable"; done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
random_token() { python3 -c 'import secrets; print(secrets.token_hex(16))'; }  # 32 characters

TMP=$(mktemp -d -t reprise-soak.XXXXXX)
REDIS_PORT=$(free_port)
UPSTREAM_PORT=$(free_port)
GATEWAY_PORT=$(free_port)
EVENTS="$TMP/redis-events"
: > "$EVENTS"
mkdir -p "$TMP/redis" "$TMP/state"
UPSTREAM_PID="" GATEWAY_PID="" CHAOS_PID=""

# The pid of the redis-server this script started, when it still runs (its pid file may be stale).
redis_pid() {
    local pid
    pid=$(cat "$TMP/redis/redis.pid" 2>/dev/null || true)
    if [[ -n "$pid" ]] && grep -q redis-server "/proc/$pid/cmdline" 2>/dev/null; then echo "$pid"; fi
}

# Stops a process this script started: SIGTERM, then SIGKILL after 10 s.
stop_pid() { # PID
    [[ -n "$1" ]] || return 0
    kill "$1" 2>/dev/null || return 0
    for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
}

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    touch "$TMP/stop"
    stop_pid "$CHAOS_PID"
    stop_pid "$GATEWAY_PID"
    stop_pid "$UPSTREAM_PID"
    stop_pid "$(redis_pid)"
    wait 2>/dev/null || true
    if [[ -n "$LOG_DIR" ]]; then
        mkdir -p "$LOG_DIR"
        cp "$TMP"/*.log "$TMP/redis/redis.log" "$EVENTS" "$LOG_DIR"/ 2>/dev/null || true
        [[ -f "$TMP/evidence.json" ]] && cp "$TMP/evidence.json" "$LOG_DIR"/
    fi
    rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_redis() {
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$TMP/redis" --pidfile "$TMP/redis/redis.pid" \
        --logfile "$TMP/redis/redis.log" --save "" --appendonly no --daemonize no >/dev/null 2>&1 &
    disown $!  # stopped by pid (redis_pid); keeps bash from reporting each SIGKILL
    for _ in $(seq 100); do
        redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && return 0
        sleep 0.1
    done
    log "Redis did not start on port $REDIS_PORT"
    return 1
}

wait_http() { # URL
    python3 - "$1" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1).read()
        sys.exit(0)
    except Exception:
        time.sleep(0.1)
print(f"not answering: {sys.argv[1]}", file=sys.stderr)
sys.exit(1)
PY
}

# Every KILL_EVERY seconds: SIGKILL Redis, wait DOWN_FOR seconds, start it again on the same port.
# Ticks of one second, so that it stops promptly when $TMP/stop appears.
redis_chaos() {
    local next=$(( $(date +%s) + KILL_EVERY )) pid
    while [[ ! -e "$TMP/stop" ]]; do
        if (( $(date +%s) >= next )); then
            pid=$(redis_pid)
            [[ -n "$pid" ]] && kill -KILL "$pid"
            echo "$(date +%s) kill" >> "$EVENTS"
            log "$(date +%T) killed Redis (SIGKILL)"
            local back=$(( $(date +%s) + DOWN_FOR ))
            while [[ ! -e "$TMP/stop" ]] && (( $(date +%s) < back )); do sleep 1; done
            [[ -e "$TMP/stop" ]] && break
            if start_redis; then
                echo "$(date +%s) restart" >> "$EVENTS"
                log "$(date +%T) restarted Redis on port $REDIS_PORT"
            else
                echo "$(date +%s) restart-failed" >> "$EVENTS"
            fi
            next=$(( $(date +%s) + KILL_EVERY ))
        fi
        sleep 1
    done
}

log "binary $BINARY; $MINUTES min; Redis killed every ${KILL_EVERY}s for ${DOWN_FOR}s; temp dir $TMP"
start_redis
"$DEV_BINARY" fake-upstream --port "$UPSTREAM_PORT" > "$TMP/fake-upstream.log" 2>&1 &
UPSTREAM_PID=$!
export REPRISE_SECRET REPRISE_ADMIN_TOKEN
REPRISE_SECRET=$(random_token)
REPRISE_ADMIN_TOKEN=$(random_token)
"$BINARY" serve --port "$GATEWAY_PORT" \
    --upstream "http://127.0.0.1:$UPSTREAM_PORT" --anthropic-upstream "http://127.0.0.1:$UPSTREAM_PORT" \
    --store "redis://127.0.0.1:$REDIS_PORT" --state-dir "$TMP/state" --log-level warning \
    ${GATEWAY_ARGS[@]+"${GATEWAY_ARGS[@]}"} > "$TMP/gateway.log" 2>&1 &
GATEWAY_PID=$!
wait_http "http://127.0.0.1:$UPSTREAM_PORT/v1/models"
wait_http "http://127.0.0.1:$GATEWAY_PORT/health"
log "Redis :$REDIS_PORT, fake upstream :$UPSTREAM_PORT, gateway :$GATEWAY_PORT (pid $GATEWAY_PID)"

if (( KILL_EVERY > 0 )); then
    redis_chaos &
    CHAOS_PID=$!
fi

set +e
python3 scripts/soak/driver.py \
    --gateway "http://127.0.0.1:$GATEWAY_PORT" --upstream "http://127.0.0.1:$UPSTREAM_PORT" \
    --gateway-pid "$GATEWAY_PID" --minutes "$MINUTES" --workers "$WORKERS" --think-ms "$THINK_MS" \
    --admin-token "$REPRISE_ADMIN_TOKEN" --redis-events "$EVENTS" --evidence "$TMP/evidence.json" \
    ${DRIVER_FLAGS[@]+"${DRIVER_FLAGS[@]}"}
rc=$?
set -e

if ! kill -0 "$GATEWAY_PID" 2>/dev/null; then
    log "the gateway (pid $GATEWAY_PID) is no longer running"
    rc=1
fi
echo "gateway log lines by level:"
awk '{print $2}' "$TMP/gateway.log" | sort | uniq -c | sed 's/^/    /' || true
if (( rc != 0 )); then
    log "FAILED (driver exit $rc); last lines of the gateway's log:"
    tail -n 40 "$TMP/gateway.log" >&2 || true
else
    log "passed"
fi
exit "$rc"
