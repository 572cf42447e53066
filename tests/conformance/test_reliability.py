"""The real `reprise` binary under hostile clients and careless operators: idle floods and slow heads never
lock it up, `Expect: 100-continue` is answered, an oversize body is refused before it is sent, and gateways
started together on one state directory agree on one server secret."""
import json
import os
import resource
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import urllib.request

import pytest

from conftest import BINARY, DEV_BINARY, free_port, wait_until_listening

CHAT = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hi."}]}).encode()


class Gateway:
    """`reprise serve` against the fake upstream, with its own environment and file-descriptor limit."""

    def __init__(self, upstream_url, environment=None, descriptor_limit=None, state=None, extra=()):
        self.port = free_port()
        self.state = state or tempfile.mkdtemp(prefix="reprise-reliability-")
        self.log = tempfile.TemporaryFile()
        environment = dict(os.environ, **(environment or {}))

        def limit_descriptors():
            if descriptor_limit:
                resource.setrlimit(resource.RLIMIT_NOFILE, (descriptor_limit, descriptor_limit))

        self.process = subprocess.Popen(
            [BINARY, "serve", "--port", str(self.port), "--upstream", upstream_url, "--anthropic-upstream", upstream_url,
             "--state-dir", self.state, "--log-level", "warning", *extra],
            env=environment, preexec_fn=limit_descriptors, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self):
        wait_until_listening(f"http://127.0.0.1:{self.port}/health", self.process, "gateway")
        return self

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def health(self, timeout=5.0):
        started = time.monotonic()
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=timeout) as answer:
            assert answer.status == 200
        return time.monotonic() - started

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)


@pytest.fixture(scope="module")
def upstream():
    port = free_port()
    process = subprocess.Popen([DEV_BINARY, "fake-upstream", "--port", str(port)], stdout=subprocess.DEVNULL)
    try:
        wait_until_listening(f"http://127.0.0.1:{port}/v1/models", process, "fake upstream")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def closed_by_peer(connection, within):
    """Whether the peer closes `connection` within `within` seconds (reading nothing else)."""
    connection.settimeout(within)
    try:
        return connection.recv(4096) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_an_idle_flood_beyond_the_descriptor_limit_leaves_health_answering(upstream):
    gateway = Gateway(upstream, descriptor_limit=256).wait()
    flood = []
    try:
        for _ in range(300):
            try:
                flood.append(gateway.connect())
            except OSError:
                break
        time.sleep(0.5)
        for _ in range(5):
            assert gateway.health(timeout=5) < 5
        # And the API answers too.
        request = urllib.request.Request(
            f"http://127.0.0.1:{gateway.port}/v1/chat/completions", data=CHAT, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 200
        metrics = urllib.request.urlopen(f"http://127.0.0.1:{gateway.port}/metrics", timeout=5).read().decode()
        evicted = [line for line in metrics.splitlines() if line.startswith('reprise_connections_closed_total{reason="evicted"}')]
        assert evicted and float(evicted[0].split()[-1]) > 0, metrics
    finally:
        for connection in flood:
            connection.close()
        gateway.stop()


def test_a_head_sent_a_byte_a_second_is_cut_off_at_the_head_timeout(upstream):
    gateway = Gateway(upstream, environment={"REPRISE_HEAD_TIMEOUT": "2s"}).wait()
    try:
        connection = gateway.connect()
        head = b"POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        started = time.monotonic()
        closed = False
        for byte in head:
            try:
                connection.send(bytes([byte]))
            except OSError:
                closed = True
                break
            if closed_by_peer(connection, within=0.5):
                closed = True
                break
        elapsed = time.monotonic() - started
        assert closed, "the slow head was never cut off"
        assert elapsed < 6, f"cut off after {elapsed:.1f} s, the head timeout is 2 s"
        assert gateway.health() < 5
    finally:
        gateway.stop()


def test_a_connection_that_never_sends_is_closed_and_a_kept_alive_one_after_the_idle_timeout(upstream):
    gateway = Gateway(upstream, environment={"REPRISE_HEAD_TIMEOUT": "2s", "REPRISE_IDLE_TIMEOUT": "3s"}).wait()
    try:
        silent = gateway.connect()
        assert closed_by_peer(silent, within=8)

        kept = gateway.connect()
        kept.sendall(b"GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n")
        kept.settimeout(5)
        assert kept.recv(4096).startswith(b"HTTP/1.1 200")
        started = time.monotonic()
        assert closed_by_peer(kept, within=10)
        assert 2 < time.monotonic() - started < 8
    finally:
        gateway.stop()


def test_expect_continue_is_answered_before_the_body_is_sent(upstream):
    gateway = Gateway(upstream).wait()
    try:
        connection = gateway.connect()
        connection.sendall(
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(CHAT)).encode() + b"\r\n\r\n")
        connection.settimeout(2)
        interim = connection.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n"), interim
        connection.sendall(CHAT)
        connection.settimeout(10)
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += connection.recv(4096)
        assert answer.startswith(b"HTTP/1.1 200"), answer
    finally:
        gateway.stop()


@pytest.mark.parametrize("path,shape", [("/v1/chat/completions", "openai"), ("/v1/messages", "anthropic")])
def test_an_oversize_declared_body_is_refused_before_it_is_sent(upstream, path, shape):
    gateway = Gateway(upstream).wait()
    try:
        connection = gateway.connect()
        connection.sendall(
            f"POST {path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
            f"Content-Length: {100 * 1024 * 1024}\r\n\r\n".encode())
        connection.settimeout(2)
        answer = b""
        while True:
            piece = connection.recv(65536)
            if not piece:
                break
            answer += piece
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 413"), head
        error = json.loads(body)
        if shape == "openai":
            assert error["error"]["code"] == "request_too_large"
        else:
            assert error["type"] == "error" and error["error"]["type"] == "request_too_large"
    finally:
        gateway.stop()


def test_gateways_started_together_on_one_state_directory_agree_on_the_secret(upstream):
    agreed = 0
    for _ in range(10):
        state = tempfile.mkdtemp(prefix="reprise-secret-race-")
        shutil.rmtree(state)
        pair = [Gateway(upstream, state=state) for _ in range(2)]
        try:
            for gateway in pair:
                gateway.wait()
            keys = []
            for gateway in pair:
                request = urllib.request.Request(
                    f"http://127.0.0.1:{gateway.port}/v1/chat/completions", data=CHAT,
                    headers={"Content-Type": "application/json", "Authorization": "Bearer sk-same-client"})
                with urllib.request.urlopen(request, timeout=10) as answer:
                    keys.append(answer.headers["X-Reprise-Key"])
            assert keys[0] == keys[1], "the two gateways hash the same credential differently: two secrets"
            secret = os.path.join(state, "server-secret")
            assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
            assert os.listdir(state) == ["server-secret"], os.listdir(state)
            agreed += 1
        finally:
            for gateway in pair:
                gateway.stop()
            shutil.rmtree(state, ignore_errors=True)
    assert agreed == 10


def test_a_shared_store_with_a_generated_secret_is_warned_about(upstream):
    gateway = Gateway(upstream, extra=["--store", "memcached://127.0.0.1:1"]).wait()
    try:
        gateway.health()
    finally:
        gateway.stop()
    assert "replicas share entries only if they share the secret" in gateway.output()
    quiet = Gateway(upstream, environment={"REPRISE_SECRET": "a-secret-shared-by-every-replica"}, extra=["--store", "memcached://127.0.0.1:1"]).wait()
    quiet.stop()
    assert "replicas share entries only if they share the secret" not in quiet.output()


def test_the_request_log_is_readable_by_its_owner_only(upstream):
    log = os.path.join(tempfile.mkdtemp(prefix="reprise-log-"), "requests.jsonl")
    gateway = Gateway(upstream, extra=["--request-log", log]).wait()
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{gateway.port}/v1/chat/completions", data=CHAT, headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=10).read()
    finally:
        gateway.stop()
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600
