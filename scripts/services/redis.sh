#!/usr/bin/env bash
# Starts the Redis servers the Redis store tests run against, all on free loopback ports in a temp dir:
#   - a standalone server without a password          → REPRISE_TEST_REDIS_URL
#   - a server with a password and an ACL user        → REPRISE_TEST_REDIS_AUTH_URL (password only),
#                                                       REPRISE_TEST_REDIS_ACL_URL (user + password)
#   - a 3-primary Redis Cluster                        → REPRISE_TEST_REDIS_CLUSTER_URL
#   - a TLS-only server with a certificate from a CA   → REPRISE_TEST_REDIS_TLS_URL (trusting that CA),
#     made here for localhost                            REPRISE_TEST_REDIS_TLS_UNTRUSTED_URL (system roots)
# and REPRISE_TEST_REDIS_SERVER (the redis-server binary, for tests that start and kill their own).
#
#   eval "$(scripts/services/redis.sh start)"    # prints `export …` lines
#   scripts/services/redis.sh stop [DIR]          # DIR defaults to $REPRISE_REDIS_SERVICES_DIR
#
# Installs redis-server and redis-tools from Debian when they are missing. Progress goes to stderr.
set -euo pipefail

log() { echo "redis.sh: $*" >&2; }

install_if_missing() {
    if command -v redis-server >/dev/null && command -v redis-cli >/dev/null && command -v openssl >/dev/null; then return; fi
    log "installing redis-server, redis-tools and openssl"
    if ! apt-get install -y -qq redis-server redis-tools openssl >/dev/null 2>&1; then
        apt-get update -qq >/dev/null && apt-get install -y -qq redis-server redis-tools openssl >/dev/null
    fi
}

# A port that is free, and whose cluster bus port (port + 10000) is free too.
free_port() {
    python3 - <<'PY'
import random, socket
def free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False
while True:
    port = random.randint(20000, 50000)
    if free(port) and free(port + 10000):
        print(port)
        break
PY
}

# start_server NAME PORT [extra redis-server arguments…]
start_server() {
    local name=$1 port=$2
    shift 2
    mkdir -p "$DIR/$name"
    redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$DIR/$name" \
        --pidfile "$DIR/$name/redis.pid" --logfile "$DIR/$name/redis.log" --save "" --appendonly no "$@"
}

wait_ready() {
    local port=$1 password=${2:-}
    for _ in $(seq 1 100); do
        if REDISCLI_AUTH="$password" redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then return; fi
        sleep 0.1
    done
    log "the server on port $port did not start; see its log under $DIR"
    exit 1
}

# A CA and a certificate it signed for localhost and 127.0.0.1, in $DIR/tls.
make_certificates() {
    local tls=$DIR/tls
    mkdir -p "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Reprise test CA" \
        -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$tls/san.ext"
    openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial -days 2 \
        -extfile "$tls/san.ext" -out "$tls/server.pem" 2>/dev/null
}

start() {
    install_if_missing
    DIR=$(mktemp -d "${TMPDIR:-/tmp}/reprise-redis.XXXXXX")
    local plain auth password=reprise-test-password acl_password=reprise-acl-password
    plain=$(free_port)
    start_server standalone "$plain"
    auth=$(free_port)
    start_server auth "$auth" --requirepass "$password" \
        --user default on ">$password" '~*' '&*' +@all --user reprise on ">$acl_password" '~*' '&*' +@all
    wait_ready "$plain"
    wait_ready "$auth" "$password"
    make_certificates
    local tls
    tls=$(free_port)
    start_server tls 0 --tls-port "$tls" --tls-cert-file "$DIR/tls/server.pem" --tls-key-file "$DIR/tls/server.key" \
        --tls-ca-cert-file "$DIR/tls/ca.pem" --tls-auth-clients no
    for attempt in $(seq 1 100); do
        if redis-cli --tls --cacert "$DIR/tls/ca.pem" -h localhost -p "$tls" ping 2>/dev/null | grep -q PONG; then break; fi
        if [[ $attempt == 100 ]]; then log "the TLS server did not start; see $DIR/tls/redis.log"; exit 1; fi
        sleep 0.1
    done

    local nodes=() port
    for index in 1 2 3; do
        port=$(free_port)
        start_server "cluster-$index" "$port" --cluster-enabled yes \
            --cluster-config-file "$DIR/cluster-$index/nodes.conf" --cluster-node-timeout 5000
        nodes+=("127.0.0.1:$port")
    done
    for node in "${nodes[@]}"; do wait_ready "${node##*:}"; done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$DIR/cluster-create.log" 2>&1
    for node in "${nodes[@]}"; do
        for attempt in $(seq 1 200); do
            if redis-cli -p "${node##*:}" cluster info | grep -q 'cluster_state:ok'; then break; fi
            if [[ $attempt == 200 ]]; then log "the cluster did not reach cluster_state:ok"; exit 1; fi
            sleep 0.1
        done
    done
    log "standalone :$plain, auth :$auth, tls :$tls, cluster ${nodes[*]} (state in $DIR)"

    local seeds
    seeds=$(IFS=,; echo "${nodes[*]}")
    cat <<ENV | tee "$DIR/env"
export REPRISE_REDIS_SERVICES_DIR=$DIR
export REPRISE_TEST_REDIS_SERVER=$(command -v redis-server)
export REPRISE_TEST_REDIS_URL=redis://127.0.0.1:$plain
export REPRISE_TEST_REDIS_AUTH_URL=redis://:$password@127.0.0.1:$auth
export REPRISE_TEST_REDIS_ACL_URL=redis://reprise:$acl_password@127.0.0.1:$auth
export REPRISE_TEST_REDIS_CLUSTER_URL=redis+cluster://$seeds
export REPRISE_TEST_REDIS_TLS_URL=rediss://localhost:$tls?tls_ca=$DIR/tls/ca.pem
export REPRISE_TEST_REDIS_TLS_UNTRUSTED_URL=rediss://localhost:$tls
ENV
}

stop() {
    local dir=${1:-${REPRISE_REDIS_SERVICES_DIR:-}}
    if [[ -z $dir || ! -d $dir ]]; then log "nothing to stop"; return; fi
    for pidfile in "$dir"/*/redis.pid; do
        [[ -f $pidfile ]] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    sleep 0.2
    rm -rf "$dir"
    log "stopped the servers of $dir"
}

case "${1:-}" in
start) start ;;
stop) stop "${2:-}" ;;
*) echo "usage: $0 start | stop [DIR]" >&2; exit 2 ;;
esac
