"""`reprise model pull --hub-url` as a user runs it: the real binary against a local mirror laid out like the hub."""
import filecmp
import http.server
import os
import subprocess
import threading
from contextlib import contextmanager

import pytest

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")
MODEL_DIR = os.environ.get("REPRISE_TEST_MODEL_DIR")
PREFIX = "/sentence-transformers/all-MiniLM-L6-v2/resolve/main/"
FILES = ["model.safetensors", "vocab.txt", "config.json"]

pytestmark = pytest.mark.skipif(MODEL_DIR is None, reason="REPRISE_TEST_MODEL_DIR is not set; scripts/test.sh installs the model and sets it")


@contextmanager
def mirror(missing=()):
    """Serves the installed model's files under the hub's paths; files in `missing` answer 404."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            name = self.path[len(PREFIX):] if self.path.startswith(PREFIX) else None
            path = os.path.join(MODEL_DIR, name) if name else None
            if name in missing or path is None or not os.path.isfile(path):
                self.send_error(404, "Entry not found")
                return
            with open(path, "rb") as file:
                body = file.read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *arguments):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def pull(hub, directory):
    return subprocess.run([BINARY, "model", "pull", "--hub-url", hub, "--models-directory", str(directory)],
                          capture_output=True, text=True, timeout=300)


def test_pull_from_a_mirror_installs_the_model(tmp_path):
    target = tmp_path / "all-MiniLM-L6-v2"
    with mirror() as hub:
        result = pull(hub, target)
    assert result.returncode == 0, result.stderr
    assert "Installed all-MiniLM-L6-v2 (30522 tokens, 384 dimensions)" in result.stdout
    for name in FILES:
        assert filecmp.cmp(target / name, os.path.join(MODEL_DIR, name), shallow=False), name
    assert sorted(os.listdir(target)) == sorted(FILES)


def test_pull_names_the_file_the_mirror_lacks_and_installs_nothing(tmp_path):
    target = tmp_path / "all-MiniLM-L6-v2"
    with mirror(missing={"vocab.txt"}) as hub:
        result = pull(hub, target)
    assert result.returncode != 0
    assert f"{hub}{PREFIX}vocab.txt" in result.stderr and "404" in result.stderr
    assert os.listdir(target) == []
