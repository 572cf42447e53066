"""The real `reprise` binary sharing Redis and Redis Cluster: an answer stored through one gateway is a hit
through another; Redis dying under load costs no client errors and caching resumes when it returns; a
Redis Cluster master dying leaves every request answered."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

from conftest import free_port
from test_shared_stores import chat, hit_through_a_second_gateway, start_gateway, stop, survive_the_store_dying, upstream  # noqa: F401 (the fixture is used by name)

REDIS_SERVER = os.environ.get("REPRISE_TEST_REDIS_SERVER") or shutil.which("redis-server")
REDIS_CLI = shutil.which("redis-cli")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None or REDIS_CLI is None, reason="redis-server is not installed; scripts/test.sh installs it (scripts/services/redis.sh)")


class RedisServer:
    """One redis-server on a fixed loopback port, which the test can kill and start again."""

    def __init__(self, cluster=False):
        self.port = cluster_port() if cluster else free_port()
        self.cluster = cluster
        self.directory = tempfile.mkdtemp(prefix="reprise-redis-test-")
        self.process = None

    def start(self):
        arguments = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                     "--dir", self.directory]
        if self.cluster:
            arguments += ["--cluster-enabled", "yes", "--cluster-config-file", f"nodes-{self.port}.conf", "--cluster-node-timeout", "1000"]
        self.process = subprocess.Popen(arguments, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


def cluster_port():
    """A free port whose cluster bus port (the port + 10,000) is a valid port too."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port + 10000 <= 65535:
            with socket.socket() as probe:
                try:
                    probe.bind(("127.0.0.1", port + 10000))
                    return port
                except OSError:
                    continue


def cli(port, *arguments):
    return subprocess.run([REDIS_CLI, "-p", str(port), *arguments], capture_output=True, text=True, timeout=30).stdout


@pytest.fixture
def cluster():
    """A private 3-master Redis Cluster (no replicas), so killing a master leaves other tests alone."""
    nodes = [RedisServer(cluster=True) for _ in range(3)]
    for node in nodes:
        node.start()
    subprocess.run([REDIS_CLI, "--cluster", "create", *[f"127.0.0.1:{node.port}" for node in nodes], "--cluster-replicas", "0",
                    "--cluster-yes"], capture_output=True, check=True, timeout=60)
    deadline = time.monotonic() + 20
    while "cluster_state:ok" not in cli(nodes[0].port, "cluster", "info"):
        assert time.monotonic() < deadline, "the cluster did not become ready"
        time.sleep(0.2)
    yield nodes
    for node in nodes:
        node.kill()


@needs_redis
def test_an_answer_stored_through_one_gateway_is_a_hit_through_another_over_redis(upstream):
    server = RedisServer()
    server.start()
    try:
        hit_through_a_second_gateway(upstream, f"redis://127.0.0.1:{server.port}/3")
    finally:
        server.kill()


@needs_redis
def test_an_answer_stored_through_one_gateway_is_a_hit_through_another_over_redis_cluster(upstream, cluster):
    hit_through_a_second_gateway(upstream, "redis+cluster://" + ",".join(f"127.0.0.1:{node.port}" for node in cluster))


@needs_redis
def test_redis_dying_mid_stream_costs_no_client_errors_and_caching_resumes(upstream):
    server = RedisServer()
    server.start()
    survive_the_store_dying(upstream, server, f"redis://127.0.0.1:{server.port}", "  memory_tier: 0s\n")


@needs_redis
def test_a_cluster_master_dying_leaves_every_request_answered(upstream, cluster):
    store = "redis+cluster://" + ",".join(f"127.0.0.1:{node.port}" for node in cluster)
    config = "cache:\n  store_retry_backoff: 100ms\n  store_max_retry_backoff: 400ms\n  memory_tier: 0s\n"
    gateway, url = start_gateway(upstream, store, config)
    try:
        prompts = [f"Spread over the slots {n} [{uuid.uuid4()}]" for n in range(30)]
        for prompt in prompts:
            assert chat(url, prompt)[0] == 200
        assert {chat(url, prompt)[1] for prompt in prompts} == {"hit"}
        cluster[1].kill()
        marks = []
        for prompt in prompts * 2:
            status, mark, _ = chat(url, prompt)
            assert status == 200
            marks.append(mark)
        # Entries on the two live masters are still served; those on the dead one are answered from upstream.
        assert "hit" in marks, marks
        assert set(marks) <= {"hit", "bypass", "miss"}, marks
        assert gateway.poll() is None
    finally:
        stop(gateway)
