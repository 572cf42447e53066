"""`reprise serve` told to stop: it stops accepting, lets a request in progress (a stream here) finish, then
exits; a request longer than `server.shutdown_grace` is cut off at the grace and the process still exits."""
import http.client
import json
import signal
import socket
import threading
import time
import urllib.request

from conftest import BINARY, free_port, wait_until_listening
from test_reliability import Gateway, upstream  # noqa: F401  (the fixture)


def stream_body(model):
    return json.dumps({"model": model, "stream": True, "messages": [{"role": "user", "content": "Count to five."}]})


class StreamingRequest(threading.Thread):
    """A streamed chat completion read to its end on its own thread."""

    def __init__(self, port, model):
        super().__init__(daemon=True)
        self.port, self.model = port, model
        self.status, self.text, self.error = None, "", None

    def run(self):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            connection.request("POST", "/v1/chat/completions", body=stream_body(self.model),
                               headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            self.status = response.status
            self.text = response.read().decode(errors="replace")
        except Exception as error:  # noqa: BLE001 (the test reads what went wrong)
            self.error = error


def wait_for_upstream_call(upstream_url, model, within=30):
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{upstream_url}/fake/calls", timeout=5) as answer:
            if json.load(answer)["models"].get(model, 0) >= 1:
                return
        time.sleep(0.05)
    raise AssertionError(f"the upstream never received the request for {model}")


def refuses_connections(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return False
    except OSError:
        return True


def test_sigterm_lets_a_stream_in_progress_finish_and_refuses_new_connections(upstream):  # noqa: F811
    gateway = Gateway(upstream).wait()
    try:
        # The upstream answers after 4 s: the signal arrives while the request waits for it.
        request = StreamingRequest(gateway.port, "slow-4000")
        request.start()
        wait_for_upstream_call(upstream, "slow-4000")
        gateway.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 3
        while not refuses_connections(gateway.port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert refuses_connections(gateway.port), "a stopping gateway still accepts connections"
        assert request.is_alive(), "the request in progress was cut off at the signal"
        request.join(timeout=60)
        assert request.error is None, request.error
        assert request.status == 200
        assert request.text.rstrip().endswith("data: [DONE]"), request.text[-200:]
        assert gateway.process.wait(timeout=30) == 0, gateway.output()
    finally:
        gateway.stop()


def test_a_request_longer_than_the_grace_is_cut_off_and_the_gateway_exits(upstream):  # noqa: F811
    gateway = Gateway(upstream, environment={"REPRISE_SHUTDOWN_GRACE": "1s"}).wait()
    try:
        # The upstream would take ten minutes.
        request = StreamingRequest(gateway.port, "slow-600000")
        request.start()
        wait_for_upstream_call(upstream, "slow-600000")
        signalled = time.monotonic()
        gateway.process.send_signal(signal.SIGTERM)
        gateway.process.wait(timeout=60)
        # One second of grace, then cancellation (bounded at five more); generous for a busy machine.
        assert time.monotonic() - signalled < 30, "the gateway outlived its grace"
        request.join(timeout=30)
        assert not request.is_alive()
        assert request.error is not None or request.status != 200 or "[DONE]" not in request.text
    finally:
        gateway.stop()


def test_a_negative_grace_is_refused_with_the_setting_named(upstream):  # noqa: F811
    gateway = Gateway(upstream, environment={"REPRISE_SHUTDOWN_GRACE": "-1s"})
    try:
        status = gateway.process.wait(timeout=30)
        assert status != 0
        assert "REPRISE_SHUTDOWN_GRACE" in gateway.output() or "shutdown_grace" in gateway.output(), gateway.output()
    finally:
        gateway.stop()
