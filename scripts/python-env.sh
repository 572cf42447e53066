#!/usr/bin/env bash
# Creates .venv with the packages the conformance tests use (official SDKs from PyPI, pytest).
# Idempotent: an existing environment with the requirements satisfied is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv 2>/dev/null || {
    echo "python3 -m venv failed; installing the venv module" >&2
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .venv
}
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r tests/conformance/requirements.txt
