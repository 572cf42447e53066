"""The real `reprise` binary with persistent and shared stores: several gateway processes sharing memcached,
memcached dying and coming back under load, and an SQLite store surviving a gateway restart."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid

import pytest

from conftest import BINARY, DEV_BINARY, free_port, wait_until_listening

MEMCACHED = shutil.which("memcached")
needs_memcached = pytest.mark.skipif(
    MEMCACHED is None, reason="memcached is not installed; scripts/test.sh installs it (scripts/services/memcached.sh)")
SECRET = "shared-store-tests-secret-0123456789abcdef"


class Memcached:
    """One memcached server on a fixed loopback port, which the test can kill and start again."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        user = ["-u", "root"] if os.geteuid() == 0 else []
        self.process = subprocess.Popen([MEMCACHED, "-l", "127.0.0.1", "-p", str(self.port), "-U", "0", "-m", "32", *user])
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("memcached did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    @property
    def url(self):
        return f"memcached://127.0.0.1:{self.port}"


@pytest.fixture
def upstream():
    port = free_port()
    process = subprocess.Popen([DEV_BINARY, "fake-upstream", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        wait_until_listening(f"http://127.0.0.1:{port}/v1/models", process, "fake upstream")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def start_gateway(upstream_url, store, extra_config=""):
    port = free_port()
    state = tempfile.mkdtemp(prefix="reprise-stores-")
    config = os.path.join(state, "reprise.yaml")
    # A store deadline a busy test machine keeps (the default, 50 ms, would answer some requests `bypass`).
    deadline = "  store_deadline: 2s\n"
    if extra_config.startswith("cache:\n"):
        extra_config = "cache:\n" + deadline + extra_config[len("cache:\n"):]
    else:
        extra_config = "cache:\n" + deadline + extra_config
    with open(config, "w") as file:
        file.write(extra_config)
    environment = dict(os.environ, REPRISE_SECRET=SECRET)
    process = subprocess.Popen(
        [BINARY, "serve", "--port", str(port), "--upstream", upstream_url, "--state-dir", state, "--store", store,
         "--config", config, "--log-level", "error"],
        env=environment,
    )
    wait_until_listening(f"http://127.0.0.1:{port}/health", process, "gateway")
    return process, f"http://127.0.0.1:{port}"


def chat(gateway, prompt):
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt}]}).encode()
    request = urllib.request.Request(
        f"{gateway}/v1/chat/completions", data=body, method="POST",
        headers={"Content-Type": "application/json", "Authorization": "Bearer sk-shared-store-test"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers["X-Reprise-Status"], json.loads(response.read())["id"]


def hit_through_a_second_gateway(upstream_url, store):
    """A miss through one gateway, then the same request through another sharing `store`: a hit, same answer."""
    first, first_url = start_gateway(upstream_url, store)
    second, second_url = start_gateway(upstream_url, store)
    try:
        prompt = f"Shared between replicas [{uuid.uuid4()}]"
        status, mark, answer = chat(first_url, prompt)
        assert (status, mark) == (200, "miss")
        status, mark, replayed = chat(second_url, prompt)
        assert (status, mark) == (200, "hit")
        assert replayed == answer
    finally:
        stop(first)
        stop(second)


def survive_the_store_dying(upstream_url, server, store, extra_config=""):
    """`server` (with start() and kill()) killed at request 20 of 60: every request answered, `bypass` while
    it is down, and hits again once it is back, without restarting the gateway."""
    config = "cache:\n  store_retry_backoff: 100ms\n  store_max_retry_backoff: 400ms\n" + extra_config
    gateway, url = start_gateway(upstream_url, store, config)
    try:
        marks = []
        for round_ in range(60):
            if round_ == 20:
                server.kill()
            status, mark, _ = chat(url, f"Question {round_ % 5} [{uuid.uuid4() if round_ >= 20 else 'warm'}]")
            assert status == 200
            marks.append(mark)
        assert "hit" in marks[:20], marks[:20]
        assert set(marks[20:]) == {"bypass"}, marks[20:]

        server.start()
        prompt = f"After the restart [{uuid.uuid4()}]"
        deadline = time.monotonic() + 15
        seen = []
        while time.monotonic() < deadline:
            status, mark, _ = chat(url, prompt)
            assert status == 200
            seen.append(mark)
            if mark == "hit":
                break
            time.sleep(0.1)
        assert seen[-1] == "hit", seen
        assert gateway.poll() is None, "the gateway was never restarted"
    finally:
        stop(gateway)
        server.kill()


@needs_memcached
def test_answer_stored_through_one_gateway_is_a_hit_through_another(upstream):
    memcached = Memcached()
    memcached.start()
    try:
        hit_through_a_second_gateway(upstream, memcached.url)
    finally:
        memcached.kill()


@needs_memcached
def test_memcached_dying_mid_stream_costs_no_client_errors_and_caching_resumes(upstream):
    memcached = Memcached()
    memcached.start()
    survive_the_store_dying(upstream, memcached, memcached.url)


def test_sqlite_store_serves_hits_after_a_gateway_restart(upstream):
    directory = tempfile.mkdtemp(prefix="reprise-sqlite-")
    store = f"sqlite://{directory}/cache.db"
    prompt = f"Kept across restarts [{uuid.uuid4()}]"
    try:
        gateway, url = start_gateway(upstream, store)
        try:
            status, mark, answer = chat(url, prompt)
            assert (status, mark) == (200, "miss")
        finally:
            stop(gateway)
        gateway, url = start_gateway(upstream, store)
        try:
            status, mark, replayed = chat(url, prompt)
            assert (status, mark) == (200, "hit")
            assert replayed == answer
        finally:
            stop(gateway)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
