"""Starts the fake upstream and the gateway (the real `reprise` binary) for the SDK conformance tests."""
import os
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest

BINARY = os.environ.get("REPRISE_BINARY", ".build/debug/reprise")
# The development tools binary (the fake upstream), built beside `reprise`.
DEV_BINARY = os.environ.get("REPRISE_DEV_BINARY", os.path.join(os.path.dirname(BINARY), "reprise-dev"))


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
    upstream = subprocess.Popen([DEV_BINARY, "fake-upstream", "--port", str(upstream_port)], stdout=subprocess.DEVNULL)
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


class FakeUpstream:
    """One `reprise-dev fake-upstream` process, whose calls a test can count (`GET /fake/calls`)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([DEV_BINARY, "fake-upstream", "--port", str(self.port)], stdout=subprocess.DEVNULL)
        wait_until_listening(f"{self.url}/v1/models", self.process, "fake upstream")

    def calls(self):
        import json
        with urllib.request.urlopen(f"{self.url}/fake/calls", timeout=5) as answer:
            return json.load(answer)

    def calls_for(self, model):
        return self.calls()["models"].get(model, 0)

    def total(self):
        return sum(self.calls()["paths"].values())

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def four_upstreams():
    """One gateway in front of four upstreams, as configured in the providers issue: OpenAI for every model,
    a local OpenAI-compatible server for `llama-*`, Gemini and Azure OpenAI — each a fake of its own, so a
    test can tell which one a request reached. Yields (gateway root URL, {name: FakeUpstream})."""
    fakes = {name: FakeUpstream() for name in ("openai", "local", "gemini", "azure")}
    state = tempfile.mkdtemp(prefix="reprise-four-upstreams-")
    config = os.path.join(state, "reprise.yaml")
    with open(config, "w") as file:
        file.write(f"""upstreams:
  - name: openai
    provider: openai
    url: {fakes['openai'].url}
  - name: local
    provider: openai
    url: {fakes['local'].url}
    models: ["llama-*"]
  - name: gemini
    provider: gemini
    url: {fakes['gemini'].url}
  - name: azure
    provider: azure
    url: {fakes['azure'].url}
""")
    port = free_port()
    server = subprocess.Popen(
        [BINARY, "serve", "--port", str(port), "--config", config, "--anthropic-upstream", fakes["openai"].url,
         "--state-dir", state, "--log-level", "warning"],
        stdout=subprocess.DEVNULL)
    try:
        wait_until_listening(f"http://127.0.0.1:{port}/health", server, "gateway")
        yield f"http://127.0.0.1:{port}", fakes
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        for fake in fakes.values():
            fake.stop()
