#!/usr/bin/env bash
# Starts or stops the memcached servers the tests use.
#
#   eval "$(scripts/services/memcached.sh start)"   # installs memcached if missing, starts 3 servers on
#                                                   # free loopback ports, prints
#                                                   # export REPRISE_TEST_MEMCACHED_URL=memcached://…
#   scripts/services/memcached.sh stop              # stops them and removes their directory
#
# The servers run with a 2 MiB item size limit (-I 2m), which the tests rely on. Their pid files live in
# $REPRISE_MEMCACHED_DIR (default: a directory under /tmp named after this checkout), so `stop` finds
# exactly the servers `start` made.
set -euo pipefail
cd "$(dirname "$0")/../.."

count="${REPRISE_MEMCACHED_SERVERS:-3}"
directory="${REPRISE_MEMCACHED_DIR:-/tmp/reprise-memcached-$(pwd | cksum | cut -d' ' -f1)}"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    if ! command -v memcached >/dev/null; then
        echo "==> Installing memcached" >&2
        apt-get update -qq >&2 && apt-get install -y -qq memcached >/dev/null
    fi
    stop
    mkdir -p "$directory"
    local user_flag=()
    if [[ "$(id -u)" == "0" ]]; then user_flag=(-u root); fi
    local servers=()
    for _ in $(seq "$count"); do
        local port
        port="$(free_port)"
        memcached -d -l 127.0.0.1 -p "$port" -U 0 -m 64 -I 2m -c 1024 "${user_flag[@]}" -P "$directory/$port.pid"
        servers+=("127.0.0.1:$port")
    done
    for server in "${servers[@]}"; do
        local port="${server##*:}"
        for _ in $(seq 50); do
            if python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2).close()" 2>/dev/null; then break; fi
            sleep 0.1
        done
    done
    local url
    url="memcached://$(IFS=,; echo "${servers[*]}")"
    echo "$url" >"$directory/url"
    echo "==> memcached running: $url" >&2
    echo "export REPRISE_TEST_MEMCACHED_URL=$url"
}

stop() {
    [[ -d "$directory" ]] || return 0
    for pidfile in "$directory"/*.pid; do
        [[ -f "$pidfile" ]] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    rm -rf "$directory"
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
