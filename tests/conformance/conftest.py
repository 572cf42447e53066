"""Starts the fake upstream and the gateway (the real `reprise` binary) for the SDK conformance tests."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_listening(url: str, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited early with status {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # It answered: it is listening.
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} did not start listening at {url}")


@pytest.fixture(scope="session")
def gateway():
    """Yields the gateway's base URL (ending in /v1) with a fake upstream behind it, serving both the
    OpenAI and the Anthropic routes."""
    upstream_port, gateway_port = free_port(), free_port()
    state = tempfile.mkdtemp(prefix="reprise-conformance-")
    upstream = subprocess.Popen([BINARY, "fake-upstream", "--port", str(upstream_port)], stdout=subprocess.DEVNULL)
    environment = dict(os.environ, REPRISE_ADMIN_TOKEN="conformance-admin")
    server = subprocess.Popen(
        [BINARY, "serve", "--port", str(gateway_port), "--upstream", f"http://127.0.0.1:{upstream_port}",
         "--anthropic-upstream", f"http://127.0.0.1:{upstream_port}", "--state-dir", state, "--log-level", "warning"],
        env=environment,
    )
    try:
        wait_until_listening(f"http://127.0.0.1:{upstream_port}/v1/models", upstream, "fake upstream")
        wait_until_listening(f"http://127.0.0.1:{gateway_port}/health", server, "gateway")
        yield f"http://127.0.0.1:{gateway_port}/v1"
    finally:
        for process in (server, upstream):
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
