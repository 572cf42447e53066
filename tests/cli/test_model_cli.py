"""`reprise model pull` as a user runs it: the real binary against a local mirror laid out like the hub, and
against files of the wrong model."""
import filecmp
import http.server
import os
import subprocess
import threading
from contextlib import contextmanager

import pytest

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")
MODEL_DIR = os.environ.get("REPRISE_TEST_MODEL_DIR")
MPNET_DIR = os.environ.get("REPRISE_TEST_MPNET_DIR")
MODEL_WHEEL = os.environ.get("REPRISE_TEST_MODEL_WHEEL")
PREFIX = "/sentence-transformers/all-MiniLM-L6-v2/resolve/main/"
MPNET_PREFIX = "/sentence-transformers/all-mpnet-base-v2/resolve/main/"
FILES = ["model.safetensors", "vocab.txt", "config.json"]

pytestmark = pytest.mark.skipif(MODEL_DIR is None, reason="REPRISE_TEST_MODEL_DIR is not set; scripts/test.sh installs the model and sets it")


@contextmanager
def mirror(missing=()):
    """Serves the installed models' files under the hub's paths; files in `missing` answer 404."""
    repositories = {PREFIX: MODEL_DIR, MPNET_PREFIX: MPNET_DIR}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            prefix = next((p for p in repositories if self.path.startswith(p) and repositories[p]), None)
            name = self.path[len(prefix):] if prefix else None
            path = os.path.join(repositories[prefix], name) if name else None
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


def pull(hub, directory, *model):
    return subprocess.run([BINARY, "model", "pull", *model, "--hub-url", hub, "--models-directory", str(directory)],
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


@pytest.mark.skipif(MPNET_DIR is None, reason="REPRISE_TEST_MPNET_DIR is not set; scripts/test.sh installs all-mpnet-base-v2")
def test_pull_of_the_second_model_fetches_its_own_repository(tmp_path):
    target = tmp_path / "all-mpnet-base-v2"
    with mirror() as hub:
        result = pull(hub, target, "all-mpnet-base-v2")
    assert result.returncode == 0, result.stderr
    assert "Installed all-mpnet-base-v2 (30527 tokens, 768 dimensions)" in result.stdout
    for name in FILES:
        assert filecmp.cmp(target / name, os.path.join(MPNET_DIR, name), shallow=False), name


def test_an_unknown_model_is_refused_with_the_choices(tmp_path):
    result = subprocess.run([BINARY, "model", "pull", "bge-small", "--models-directory", str(tmp_path / "m")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "bge-small" in result.stderr and "all-MiniLM-L6-v2 or all-mpnet-base-v2" in result.stderr
    assert not (tmp_path / "m").exists()


@pytest.mark.skipif(MODEL_WHEEL is None, reason="REPRISE_TEST_MODEL_WHEEL is not set; scripts/test.sh sets it")
def test_the_wrong_models_files_are_refused_and_nothing_is_installed(tmp_path):
    target = tmp_path / "all-mpnet-base-v2"
    result = subprocess.run([BINARY, "model", "pull", "all-mpnet-base-v2", "--from", MODEL_WHEEL, "--models-directory", str(target)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert "vocab.txt" in result.stderr and "<s>" in result.stderr and "Nothing was installed" in result.stderr
    assert os.listdir(target) == []
