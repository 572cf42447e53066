#!/usr/bin/env python3
"""Soak-test driver for `reprise serve` (started by scripts/soak.sh; Python 3 standard library only).

A few worker threads send mixed traffic to the gateway for a fixed time and check every answer:
  - repeats from a pool of prompts (hits) and new prompts (misses) to /v1/chat/completions and
    Anthropic's /v1/messages, streamed and not;
  - coalesced bursts (10 identical new requests at once);
  - client disconnects (a streamed request closed after its first chunk, then the same prompt asked
    again, so that a truncated answer left in the cache would show);
  - the upstream's own scripted failures (models error-500, error-503);
  - hostile answers: absurd token counts (usage-9223372036854775807) and a 200 whose body is an error
    (error-body), which must be passed through and never cached.
Every successful answer's text is compared with the fake upstream's deterministic answer for the prompt
that was sent. Every 30 s it samples the gateway's resident memory, open file descriptors and threads.
At the end it prints a summary (also as Markdown tables) and exits 1 when any client-visible error other
than the upstream's own, or any wrong answer, was seen; 2 when it could not start.
"""

import argparse
import http.client
import json
import os
import random
import socket
import statistics
import string
import sys
import threading
import time
import traceback
from collections import Counter, defaultdict
from urllib.parse import urlparse

VALID_STATUSES = {"hit", "miss", "coalesced", "bypass", "stale", "semantic-hit", "shadow"}
HIT_STATUSES = {"hit", "semantic-hit", "stale"}
# Statuses a never-cacheable answer may carry: forwarded upstream (miss), or Redis down (bypass).
UNCACHED_STATUSES = {"miss", "bypass"}
CHAT_MODEL = "gpt-4o-mini"
ANTHROPIC_MODEL = "claude-sonnet-4-5"
HOSTILE_USAGE = "9223372036854775807"
TIMEOUT = 30.0
# Relative weights of the kinds of traffic a worker picks from (--mix overrides some or all).
DEFAULT_MIX = {"repeat": 50, "new": 14, "disconnect": 5, "burst": 2, "upstream-error": 5, "usage": 4, "error-body": 3}
EXAMPLES_KEPT = 25

WORDS = (
    "apple river quantum ledger violet harbor copper sonnet glacier mosaic tundra falcon orbit lantern "
    "meadow cipher velvet summit prism ember canyon willow marble cobalt thistle beacon pepper saffron "
    "nimbus quartz juniper atlas breeze cedar delta fjord grove heron island jasmine kelp lagoon "
    "maple nectar oasis pebble quill ripple spruce tide umber vortex walnut yarrow zephyr café naïve "
    "日本語 don't 42 3.14 x-ray"
).split()


# ---------------------------------------------------------------------------------------------------
# Expected answers


def expected_text(prompt):
    """The fake upstream's answer to a last user message `prompt` (same rule for both APIs)."""
    words = " ".join([word for word in prompt.split(" ") if word][:12])
    return (
        f'Here is a short answer about "{words}". The key points are summarised in three sentences, '
        "each grounded in the question as asked. Let me know if you want more detail."
    )


# ---------------------------------------------------------------------------------------------------
# HTTP


class Answer:
    """What came back for one request."""

    def __init__(self):
        self.status = None  # HTTP status
        self.reprise = None  # X-Reprise-Status
        self.headers = {}
        self.body = b""  # non-streamed body, or the raw stream text
        self.events = []  # parsed SSE data payloads (dicts or "[DONE]")
        self.event_names = []
        self.complete = False  # the stream's final event arrived
        self.streamed = False  # the answer was text/event-stream
        self.error = None  # transport failure (string)
        self.disconnected = False
        self.elapsed = 0.0


class Client:
    """One keep-alive connection to a host, reopened when the server closes it."""

    def __init__(self, base):
        parsed = urlparse(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.conn = None
        self.used = False

    def close(self):
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
        self.conn = None
        self.used = False

    def _connection(self):
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            self.used = False
        return self.conn

    def request(self, method, path, body=None, headers=None, disconnect_after_first_chunk=False, stats=None):
        """Sends one request; retries once on a fresh connection when a reused keep-alive connection turns
        out to have been closed by the server before any answer byte (what every HTTP client does)."""
        for attempt in (1, 2):
            reused = self.conn is not None and self.used
            answer = Answer()
            started = time.monotonic()
            try:
                conn = self._connection()
                data = json.dumps(body).encode() if body is not None else None
                all_headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
                all_headers.update(headers or {})
                conn.request(method, path, body=data, headers=all_headers)
                response = conn.getresponse()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                self.close()
                if reused and attempt == 1:
                    if stats is not None:
                        stats.note_keepalive_retry()
                    continue
                answer.error = f"{type(error).__name__}: {error}"
                answer.elapsed = time.monotonic() - started
                return answer
            except socket.timeout:
                self.close()
                answer.error = "timeout waiting for the response head"
                answer.elapsed = time.monotonic() - started
                return answer
            except Exception as error:  # connection refused and the like
                self.close()
                answer.error = f"{type(error).__name__}: {error}"
                answer.elapsed = time.monotonic() - started
                return answer
            self.used = True
            answer.status = response.status
            answer.headers = {k.lower(): v for k, v in response.getheaders()}
            answer.reprise = answer.headers.get("x-reprise-status")
            content_type = answer.headers.get("content-type", "")
            try:
                if content_type.startswith("text/event-stream"):
                    answer.streamed = True
                    read_stream(response, answer, disconnect_after_first_chunk)
                    if answer.disconnected:
                        self.close()
                    else:
                        response.read()  # drain, so the connection can be reused
                else:
                    answer.body = response.read()
            except socket.timeout:
                answer.error = "timeout while reading the body"
                self.close()
            except Exception as error:
                answer.error = f"{type(error).__name__} while reading the body: {error}"
                self.close()
            if response.will_close and self.conn is not None and not answer.disconnected:
                self.close()
            answer.elapsed = time.monotonic() - started
            return answer
        raise AssertionError("unreachable")


def read_stream(response, answer, disconnect_after_first_chunk):
    """Reads Server-Sent Events until the final event (`data: [DONE]` or `message_stop`) or the end."""
    raw = []
    while True:
        line = response.readline()
        if not line:
            break
        raw.append(line)
        text = line.decode("utf-8", "replace").rstrip("\r\n")
        if text.startswith("event:"):
            name = text[6:].strip()
            answer.event_names.append(name)
            continue
        if not text.startswith("data:"):
            continue
        payload = text[5:].strip()
        if payload == "[DONE]":
            answer.events.append("[DONE]")
            answer.complete = True
            break
        try:
            event = json.loads(payload)
        except ValueError:
            answer.events.append({"_unparsed": payload})
            continue
        answer.events.append(event)
        if isinstance(event, dict) and event.get("type") == "message_stop":
            answer.complete = True
            break
        if disconnect_after_first_chunk and text_of_event(event):
            answer.disconnected = True
            break
    answer.body = b"".join(raw)


def text_of_event(event):
    if not isinstance(event, dict):
        return ""
    if event.get("type") == "content_block_delta":
        return (event.get("delta") or {}).get("text") or ""
    choices = event.get("choices")
    if isinstance(choices, list) and choices:
        return ((choices[0] or {}).get("delta") or {}).get("content") or ""
    return ""


def answer_text(api, answer):
    """The assistant text of a successful answer, or None when it has none where it should be."""
    if answer.streamed:
        return "".join(text_of_event(event) for event in answer.events)
    try:
        body = json.loads(answer.body)
    except ValueError:
        return None
    if api == "chat":
        try:
            return body["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            return None
    try:
        return "".join(block.get("text", "") for block in body["content"] if block.get("type") == "text")
    except (KeyError, TypeError, AttributeError):
        return None


def request_for(api, model, prompt, stream):
    if api == "chat":
        body = {"model": model, "messages": [{"role": "user", "content": prompt}]}
        path, headers = "/v1/chat/completions", {}
    else:
        body = {"model": model, "max_tokens": 64, "messages": [{"role": "user", "content": prompt}]}
        path, headers = "/v1/messages", {"anthropic-version": "2023-06-01"}
    if stream:
        body["stream"] = True
    return path, body, headers


# ---------------------------------------------------------------------------------------------------
# Statistics


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.by_status = Counter()  # X-Reprise-Status (or "(none)") of every answer with a head
        self.by_kind = defaultdict(Counter)  # kind -> {"requests", "ok", "upstream_error", "error", "wrong"}
        self.by_kind_status = defaultdict(Counter)
        self.latency = defaultdict(list)  # X-Reprise-Status -> seconds (complete answers only)
        self.upstream_errors = Counter()  # scripted status -> count
        self.errors = Counter()  # reason -> count
        self.wrong = Counter()  # reason -> count
        self.examples = []
        self.keepalive_retries = 0
        self.requests = 0
        self.bursts = 0
        self.bursts_coalesced = 0
        self.disconnects = 0
        self.per_second = defaultdict(Counter)  # epoch second -> X-Reprise-Status counts
        self.bypass_detail = Counter()  # Cache-Status of bypass answers

    def note_keepalive_retry(self):
        with self.lock:
            self.keepalive_retries += 1

    def record(self, kind, answer):
        with self.lock:
            self.requests += 1
            self.by_kind[kind]["requests"] += 1
            if answer.status is not None:
                status = answer.reprise or "(none)"
                self.by_status[status] += 1
                self.per_second[int(time.time())][status] += 1
                if status == "bypass":
                    self.bypass_detail[answer.headers.get("cache-status", "(none)")] += 1
                self.by_kind_status[kind][status] += 1
                if answer.error is None and not answer.disconnected:
                    self.latency[status].append(answer.elapsed)

    def outcome(self, kind, category, reason=None, detail=None):
        """category: ok | upstream_error | error | wrong."""
        with self.lock:
            self.by_kind[kind][category] += 1
            if category == "error":
                self.errors[reason] += 1
            elif category == "wrong":
                self.wrong[reason] += 1
            elif category == "upstream_error":
                self.upstream_errors[reason] += 1
            if category in ("error", "wrong") and len(self.examples) < EXAMPLES_KEPT:
                self.examples.append(dict(detail or {}, category=category, reason=reason, kind=kind))

    def snapshot(self):
        with self.lock:
            return (
                self.requests,
                Counter(self.by_status),
                sum(self.upstream_errors.values()),
                sum(self.errors.values()),
                sum(self.wrong.values()),
            )


def describe(answer, path=None, body=None, limit=600):
    """Evidence for a failure: the request and what came back."""
    return {
        "time": time.strftime("%H:%M:%S"),
        "request": {"path": path, "body": body},
        "http_status": answer.status,
        "x_reprise_status": answer.reprise,
        "headers": answer.headers,
        "transport_error": answer.error,
        "body": answer.body[:limit].decode("utf-8", "replace") if answer.body else "",
        "stream_complete": answer.complete if answer.streamed else None,
        "elapsed_s": round(answer.elapsed, 3),
    }


# ---------------------------------------------------------------------------------------------------
# Traffic


class Soak:
    def __init__(self, args):
        self.args = args
        self.stats = Stats()
        self.deadline = time.monotonic() + args.minutes * 60
        self.stop = threading.Event()
        self.run_id = args.run_id or "".join(random.choices(string.ascii_lowercase + string.digits, k=8))
        self.counter = 0
        self.counter_lock = threading.Lock()
        rng = random.Random(self.run_id)
        self.pool = [self.make_prompt(rng, f"pool{i}") for i in range(args.pool)]
        self.samples = []
        self.gateway_exited = False
        self.mix = dict(DEFAULT_MIX)
        for part in filter(None, (args.mix or "").split(",")):
            name, _, weight = part.partition("=")
            if name.strip() not in DEFAULT_MIX:
                raise SystemExit(f"driver: unknown traffic kind {name!r} in --mix (known: {', '.join(DEFAULT_MIX)})")
            self.mix[name.strip()] = float(weight)

    def make_prompt(self, rng, tag):
        # 6 to 18 words: long prompts check that only the first 12 are quoted back.
        return " ".join(["soak", self.run_id, tag] + rng.choices(WORDS, k=rng.randint(3, 15)))

    def new_prompt(self, rng, tag="new"):
        with self.counter_lock:
            self.counter += 1
            number = self.counter
        return self.make_prompt(rng, f"{tag}{number}")

    def running(self):
        return not self.stop.is_set() and time.monotonic() < self.deadline

    # -- checks ---------------------------------------------------------------------------------------

    def check_header(self, kind, answer, path, body):
        if answer.reprise is None:
            self.stats.outcome(kind, "error", "no X-Reprise-Status header", describe(answer, path, body))
            return False
        if answer.reprise not in VALID_STATUSES:
            self.stats.outcome(kind, "error", f"unknown X-Reprise-Status {answer.reprise!r}", describe(answer, path, body))
            return False
        return True

    def transport_failed(self, kind, answer, path, body):
        if answer.error is not None:
            reason = answer.error.split(":")[0]
            self.stats.outcome(kind, "error", f"transport: {reason}", describe(answer, path, body))
            return True
        return False

    def check_normal(self, kind, api, prompt, stream, answer, path, body, allowed=None):
        """A request for a real model: 200 with exactly the expected text."""
        self.stats.record(kind, answer)
        if self.transport_failed(kind, answer, path, body):
            return False
        if answer.status != 200:
            self.stats.outcome(kind, "error", f"HTTP {answer.status} for a normal model", describe(answer, path, body))
            return False
        if not self.check_header(kind, answer, path, body):
            return False
        if allowed is not None and answer.reprise not in allowed:
            self.stats.outcome(kind, "wrong", f"X-Reprise-Status {answer.reprise} where only {sorted(allowed)} may come", describe(answer, path, body))
            return False
        if stream and not answer.streamed:
            self.stats.outcome(kind, "error", "streamed request answered without an event stream", describe(answer, path, body))
            return False
        if answer.streamed and not answer.complete and not answer.disconnected:
            self.stats.outcome(kind, "error", "stream ended without its final event", describe(answer, path, body))
            return False
        if answer.disconnected:
            self.stats.outcome(kind, "ok")
            return True
        text = answer_text(api, answer)
        want = expected_text(prompt)
        if text != want:
            detail = describe(answer, path, body)
            detail.update(expected=want, got=text)
            self.stats.outcome(kind, "wrong", "answer text differs from the upstream's", detail)
            return False
        self.stats.outcome(kind, "ok")
        return True

    # -- kinds of traffic ---------------------------------------------------------------------------

    def pick_api(self, rng):
        return rng.choice(("chat", "messages")), rng.random() < 0.5

    def do_repeat(self, client, rng):
        api, stream = self.pick_api(rng)
        prompt = rng.choice(self.pool)
        model = CHAT_MODEL if api == "chat" else ANTHROPIC_MODEL
        path, body, headers = request_for(api, model, prompt, stream)
        answer = client.request("POST", path, body, headers, stats=self.stats)
        self.check_normal(f"repeat {api}{' stream' if stream else ''}", api, prompt, stream, answer, path, body)

    def do_new(self, client, rng):
        api, stream = self.pick_api(rng)
        prompt = self.new_prompt(rng)
        model = CHAT_MODEL if api == "chat" else ANTHROPIC_MODEL
        path, body, headers = request_for(api, model, prompt, stream)
        answer = client.request("POST", path, body, headers, stats=self.stats)
        # A prompt never sent before cannot be a hit.
        allowed = {"miss", "bypass"}
        self.check_normal(f"new {api}{' stream' if stream else ''}", api, prompt, stream, answer, path, body, allowed)

    def do_disconnect(self, client, rng):
        api = rng.choice(("chat", "messages"))
        fresh = rng.random() < 0.6
        prompt = self.new_prompt(rng, "cut") if fresh else rng.choice(self.pool)
        model = CHAT_MODEL if api == "chat" else ANTHROPIC_MODEL
        path, body, headers = request_for(api, model, prompt, True)
        own = Client(self.args.gateway)  # its own connection, closed after the first chunk
        answer = own.request("POST", path, body, headers, disconnect_after_first_chunk=True, stats=self.stats)
        own.close()
        with self.stats.lock:
            self.stats.disconnects += 1
        self.check_normal(f"disconnect {api}", api, prompt, True, answer, path, body)
        # Ask again (streamed or not): an answer cut short must not have been stored.
        stream = rng.random() < 0.5
        path, body, headers = request_for(api, model, prompt, stream)
        again = client.request("POST", path, body, headers, stats=self.stats)
        self.check_normal(f"after disconnect {api}", api, prompt, stream, again, path, body)

    def do_burst(self, client, rng):
        api, stream = self.pick_api(rng)
        prompt = self.new_prompt(rng, "burst")
        model = CHAT_MODEL if api == "chat" else ANTHROPIC_MODEL
        path, body, headers = request_for(api, model, prompt, stream)
        barrier = threading.Barrier(10)
        answers = [None] * 10

        def one(index):
            own = Client(self.args.gateway)
            try:
                barrier.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            answers[index] = own.request("POST", path, body, headers, stats=self.stats)
            own.close()

        threads = [threading.Thread(target=one, args=(i,), daemon=True) for i in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for answer in answers:
            self.check_normal(f"burst {api}{' stream' if stream else ''}", api, prompt, stream, answer, path, body,
                              {"miss", "bypass", "coalesced", "hit"})
        with self.stats.lock:
            self.stats.bursts += 1
            if any(a.reprise == "coalesced" for a in answers):
                self.stats.bursts_coalesced += 1

    def do_upstream_error(self, client, rng):
        api, stream = self.pick_api(rng)
        code = rng.choice((500, 503))
        prompt = rng.choice(self.pool)
        path, body, headers = request_for(api, f"error-{code}", prompt, stream)
        answer = client.request("POST", path, body, headers, stats=self.stats)
        kind = f"error-{code} {api}"
        self.stats.record(kind, answer)
        if self.transport_failed(kind, answer, path, body):
            return
        if answer.status == code:
            if self.check_header(kind, answer, path, body):
                self.stats.outcome(kind, "upstream_error", f"HTTP {code} (scripted)")
            return
        self.stats.outcome(kind, "error", f"HTTP {answer.status} where the upstream answered {code}", describe(answer, path, body))

    def hostile_prompt(self, rng, worker, tag):
        # Each worker has its own few prompts, so that no two identical hostile requests run at once
        # (they could be coalesced, legitimately) and each prompt is asked many times (so caching shows).
        return f"soak {self.run_id} {tag} worker{worker} {rng.randint(1, 4)} river quantum ledger"

    def do_hostile_usage(self, client, rng, worker):
        api, stream = self.pick_api(rng)
        prompt = self.hostile_prompt(rng, worker, "usage")
        path, body, headers = request_for(api, f"usage-{HOSTILE_USAGE}", prompt, stream)
        answer = client.request("POST", path, body, headers, stats=self.stats)
        kind = f"usage-huge {api}{' stream' if stream else ''}"
        if not self.check_normal(kind, api, prompt, stream, answer, path, body, UNCACHED_STATUSES):
            return
        # check_normal counted it as ok; the absurd usage must also have been passed through.
        if HOSTILE_USAGE.encode() not in answer.body:
            with self.stats.lock:
                self.stats.by_kind[kind]["ok"] -= 1
            self.stats.outcome(kind, "wrong", "absurd usage not passed through", describe(answer, path, body))

    def do_error_body(self, client, rng, worker):
        stream = self.args.streamed_error_body and rng.random() < 0.5
        api = rng.choice(("chat", "messages"))
        prompt = self.hostile_prompt(rng, worker, "errbody")
        path, body, headers = request_for(api, "error-body", prompt, stream)
        answer = client.request("POST", path, body, headers, stats=self.stats)
        kind = f"error-body {api}{' stream' if stream else ''}"
        self.stats.record(kind, answer)
        if self.transport_failed(kind, answer, path, body):
            return
        if answer.status != 200:
            self.stats.outcome(kind, "error", f"HTTP {answer.status} where the upstream answered 200", describe(answer, path, body))
            return
        if not self.check_header(kind, answer, path, body):
            return
        if answer.reprise not in UNCACHED_STATUSES:
            self.stats.outcome(kind, "wrong", f"error body answered as {answer.reprise} (cached?)", describe(answer, path, body))
            return
        if b"overloaded" not in answer.body:
            # The upstream's error did not reach the client (e.g. turned into an empty event stream).
            self.stats.outcome(kind, "wrong", "the upstream's error body did not reach the client", describe(answer, path, body))
            return
        self.stats.outcome(kind, "ok")

    # -- workers ------------------------------------------------------------------------------------

    def worker(self, index):
        rng = random.Random(f"{self.run_id}-{index}")
        client = Client(self.args.gateway)
        kinds = {
            "repeat": self.do_repeat,
            "new": self.do_new,
            "disconnect": self.do_disconnect,
            "burst": self.do_burst,
            "upstream-error": self.do_upstream_error,
            "usage": lambda c, r: self.do_hostile_usage(c, r, index),
            "error-body": lambda c, r: self.do_error_body(c, r, index),
        }
        actions = [(weight, kinds[name]) for name, weight in self.mix.items() if weight > 0]
        weights = [w for w, _ in actions]
        while self.running():
            _, action = rng.choices(actions, weights=weights)[0]
            try:
                action(client, rng)
            except Exception:
                # A driver bug, not a gateway error: report it loudly and stop.
                traceback.print_exc()
                self.stats.outcome("driver", "error", "driver exception", {"traceback": traceback.format_exc()})
                self.stop.set()
            if self.args.think_ms > 0:
                time.sleep(rng.uniform(0, 2 * self.args.think_ms) / 1000)
        client.close()

    # -- sampling -----------------------------------------------------------------------------------

    def redis_events(self):
        """[(epoch, "kill" | "restart" | "restart-failed")] from soak.sh's events file."""
        events = []
        try:
            with open(self.args.redis_events) as lines:
                for line in lines:
                    parts = line.split()
                    if len(parts) >= 2 and parts[0].isdigit():
                        events.append((int(parts[0]), parts[1]))
        except (OSError, TypeError):
            pass
        return events

    def redis_cycles(self, end_epoch):
        """Per Redis up-period: when it started, how long until the gateway used the store again (first
        hit or miss), and how the answers split while Redis was up; plus each kill's detection time."""
        per_second = self.stats.per_second
        events = self.redis_events()
        kills = [t for t, kind in events if kind == "kill"]
        restarts = [t for t, kind in events if kind == "restart"]
        starts = [self.start_epoch] + restarts
        cycles = []
        for index, up_from in enumerate(starts):
            up_to = next((k for k in kills if k >= up_from), end_epoch)
            counts = Counter()
            first_store = None
            for second in range(up_from, up_to + 1):
                bucket = per_second.get(second, Counter())
                counts.update(bucket)
                if first_store is None and (bucket["hit"] + bucket["miss"]) > 0:
                    first_store = second - up_from
            first_bypass = None
            if up_to != end_epoch:
                for second in range(up_to, up_to + 60):
                    if per_second.get(second, Counter())["bypass"] > 0:
                        first_bypass = second - up_to
                        break
            cycles.append(dict(
                up_from=up_from - self.start_epoch, up_to=up_to - self.start_epoch, killed=up_to != end_epoch,
                first_store=first_store, counts=counts, first_bypass_after_kill=first_bypass))
        down = Counter()
        for kill in kills:
            back = next((r for r in restarts if r >= kill), end_epoch)
            for second in range(kill + 1, back):
                down.update(per_second.get(second, Counter()))
        return cycles, down

    def redis_state(self):
        kills = restarts = 0
        up = True
        try:
            with open(self.args.redis_events) as events:
                for line in events:
                    parts = line.split()
                    if len(parts) >= 2 and parts[1] == "kill":
                        kills += 1
                        up = False
                    elif len(parts) >= 2 and parts[1] == "restart":
                        restarts += 1
                        up = True
        except (OSError, TypeError):
            pass
        return kills, restarts, up

    def sample(self, started):
        pid = self.args.gateway_pid
        rss_kib = threads = fds = None
        try:
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss_kib = int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads = int(line.split()[1])
            fds = len(os.listdir(f"/proc/{pid}/fd"))
        except (OSError, ValueError):
            self.gateway_exited = True
        requests, by_status, upstream_errors, errors, wrong = self.stats.snapshot()
        kills, restarts, up = self.redis_state()
        elapsed = time.monotonic() - started
        row = dict(t=elapsed, rss_kib=rss_kib, fds=fds, threads=threads, requests=requests, redis_up=up, kills=kills)
        self.samples.append(row)
        statuses = " ".join(f"{k}={v}" for k, v in sorted(by_status.items()))
        rss = f"{rss_kib / 1024:.1f} MiB" if rss_kib else "gone"
        print(
            f"[{elapsed / 60:5.1f} min] rss={rss} fds={fds} threads={threads} redis={'up' if up else 'DOWN'} "
            f"kills={kills} requests={requests} ({statuses}) upstream-errors={upstream_errors} "
            f"errors={errors} wrong={wrong}",
            flush=True,
        )
        if self.gateway_exited:
            print("!! the gateway process is gone", flush=True)
            self.stats.outcome("gateway", "error", "gateway process exited", {"pid": pid})
            self.stop.set()

    # -- run ----------------------------------------------------------------------------------------

    def verify_rule(self):
        """Checks the expected-answer rule against the fake upstream itself, for both APIs."""
        upstream = Client(self.args.upstream)
        rng = random.Random(1)
        prompts = rng.sample(self.pool, 4) + [self.make_prompt(rng, "rule") + " one two three four five six seven"]
        for prompt in prompts:
            for api in ("chat", "messages"):
                for stream in (False, True):
                    model = CHAT_MODEL if api == "chat" else ANTHROPIC_MODEL
                    path, body, headers = request_for(api, model, prompt, stream)
                    answer = upstream.request("POST", path, body, headers)
                    text = answer_text(api, answer) if answer.status == 200 else None
                    if text != expected_text(prompt):
                        print(f"driver: the fake upstream's answer does not follow the expected rule ({api}, stream={stream}):\n"
                              f"  prompt:   {prompt!r}\n  expected: {expected_text(prompt)!r}\n  got:      {text!r}\n"
                              f"  status:   {answer.status} {answer.error or ''}", file=sys.stderr)
                        return False
        upstream.close()
        return True

    def run(self):
        if not self.verify_rule():
            return 2
        print(f"driver: run id {self.run_id}, {self.args.workers} workers, {self.args.minutes:g} min, "
              f"pool of {len(self.pool)} prompts, gateway pid {self.args.gateway_pid}, mix {self.mix}", flush=True)
        started = time.monotonic()
        self.start_epoch = int(time.time())
        threads = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(self.args.workers)]
        for thread in threads:
            thread.start()
        self.sample(started)
        next_sample = started + self.args.sample_every
        while self.running():
            time.sleep(min(1.0, max(0.0, next_sample - time.monotonic())))
            if time.monotonic() >= next_sample:
                self.sample(started)
                next_sample += self.args.sample_every
        self.stop.set()
        for thread in threads:
            thread.join(timeout=TIMEOUT + 15)
        stuck = sum(thread.is_alive() for thread in threads)
        if stuck:
            self.stats.outcome("driver", "error", "worker still waiting on the gateway at the end", {"workers": stuck})
        self.sample(started)
        duration = time.monotonic() - started
        admin = self.admin_stats()
        report = self.report(duration, admin)
        print(report, flush=True)
        if self.args.report:
            with open(self.args.report, "w") as out:
                out.write(report)
        if self.args.evidence and self.stats.examples:
            with open(self.args.evidence, "w") as out:
                json.dump(self.stats.examples, out, indent=2, ensure_ascii=False)
        failed = sum(self.stats.errors.values()) + sum(self.stats.wrong.values())
        return 1 if failed else 0

    def admin_stats(self):
        if not self.args.admin_token:
            return None
        client = Client(self.args.gateway)
        answer = client.request("GET", "/admin/stats", headers={"Authorization": f"Bearer {self.args.admin_token}"})
        client.close()
        try:
            return json.loads(answer.body) if answer.status == 200 else None
        except ValueError:
            return None

    # -- report -------------------------------------------------------------------------------------

    def report(self, duration, admin):
        s = self.stats
        total = sum(s.by_status.values())
        hits = sum(s.by_status[k] for k in HIT_STATUSES)
        repeat_status = Counter()
        for kind, counts in s.by_kind_status.items():
            if kind.startswith("repeat"):
                repeat_status.update(counts)
        repeat_total = sum(repeat_status.values())
        repeat_hits = sum(repeat_status[k] for k in HIT_STATUSES)
        kills, restarts, _ = self.redis_state()
        upstream_errors = sum(s.upstream_errors.values())
        errors = sum(s.errors.values())
        wrong = sum(s.wrong.values())
        mem = [row for row in self.samples if row["rss_kib"] is not None]

        def pct(part, whole):
            return f"{100.0 * part / whole:.1f}%" if whole else "n/a"

        def quantile(values, q):
            if not values:
                return float("nan")
            values = sorted(values)
            return values[min(len(values) - 1, int(q * len(values)))]

        lines = []
        add = lines.append
        add("")
        add("=" * 78)
        add(f"Soak summary — run {self.run_id}, {duration / 60:.1f} min, {self.args.workers} workers")
        add("=" * 78)
        add(f"requests sent: {s.requests} ({s.requests / duration:.1f}/s); answers with a head: {total}")
        add(f"by X-Reprise-Status: " + ", ".join(f"{k} {v}" for k, v in s.by_status.most_common()))
        add(f"hit rate (hit+stale+semantic-hit over all answers): {pct(hits, total)}; "
            f"on pool repeats: {pct(repeat_hits, repeat_total)}")
        add(f"coalesced bursts: {s.bursts} (with coalesced followers: {s.bursts_coalesced}); client disconnects: {s.disconnects}")
        add(f"keep-alive connections closed by the gateway and retried: {s.keepalive_retries}")
        add(f"Redis: killed {kills} times, restarted {restarts} times")
        add(f"(a) upstream's own scripted errors: {upstream_errors} " + str(dict(s.upstream_errors)))
        add(f"(b) other client-visible errors:    {errors} " + (str(dict(s.errors)) if errors else "(must be 0)"))
        add(f"(c) wrong answers:                  {wrong} " + (str(dict(s.wrong)) if wrong else "(must be 0)"))
        if mem:
            rss = [row["rss_kib"] / 1024 for row in mem]
            fds = [row["fds"] for row in mem]
            add(f"gateway RSS MiB: first {rss[0]:.1f}, min {min(rss):.1f}, max {max(rss):.1f}, last {rss[-1]:.1f}")
            add(f"gateway open fds: first {fds[0]}, min {min(fds)}, max {max(fds)}, last {fds[-1]}")
        cycles, down = self.redis_cycles(int(time.time()))
        if s.bypass_detail:
            add("bypass answers by Cache-Status: " + ", ".join(f"{k!r} {v}" for k, v in s.bypass_detail.most_common()))
        up_counts = Counter()
        for cycle in cycles:
            up_counts.update(cycle["counts"])
        up_total = sum(up_counts.values())
        add(f"while Redis was up: {up_total} answers, bypass {up_counts['bypass']} ({pct(up_counts['bypass'], up_total)}); "
            f"while down: {sum(down.values())} answers, bypass {down['bypass']} ({pct(down['bypass'], sum(down.values()))})")
        if admin:
            add("gateway /admin/stats: " + json.dumps({k: admin.get(k) for k in
                ("requests", "hits", "misses", "coalesced", "bypassed", "stale", "errors", "hit_rate")}))
        if s.examples:
            add("")
            add("failures (up to 3 of each kind; the first 25 in all are in the evidence file):")
            shown = Counter()
            for example in s.examples:
                shown[example["reason"]] += 1
                if shown[example["reason"]] <= 3:
                    add("  " + json.dumps(example, ensure_ascii=False)[:1500])
        add("")
        add("### Markdown")
        add("")
        add(f"Soak run `{self.run_id}`: {duration / 60:.1f} min, {self.args.workers} workers, "
            f"{s.requests} requests ({s.requests / duration:.1f}/s), Redis killed {kills}× and restarted {restarts}×.")
        add("")
        add("| X-Reprise-Status | requests | share | p50 ms | p99 ms |")
        add("| --- | ---: | ---: | ---: | ---: |")
        for status, count in s.by_status.most_common():
            lat = s.latency.get(status, [])
            add(f"| {status} | {count} | {pct(count, total)} | {quantile(lat, 0.5) * 1000:.1f} | {quantile(lat, 0.99) * 1000:.1f} |")
        add(f"| **all** | **{total}** | | | |")
        add("")
        add(f"Hit rate: {pct(hits, total)} of all answers, {pct(repeat_hits, repeat_total)} of pool repeats.")
        add("")
        add("| outcome | count |")
        add("| --- | ---: |")
        add(f"| (a) upstream's own scripted errors (error-500/503) | {upstream_errors} |")
        add(f"| (b) other client-visible errors | {errors} |")
        add(f"| (c) wrong answers | {wrong} |")
        add(f"| coalesced bursts (with coalesced followers) | {s.bursts} ({s.bursts_coalesced}) |")
        add(f"| client disconnects | {s.disconnects} |")
        add(f"| keep-alive retries | {s.keepalive_retries} |")
        add("")
        add("| traffic | requests | ok | upstream errors | errors | wrong |")
        add("| --- | ---: | ---: | ---: | ---: | ---: |")
        for kind in sorted(s.by_kind):
            c = s.by_kind[kind]
            add(f"| {kind} | {c['requests']} | {c['ok']} | {c['upstream_error']} | {c['error']} | {c['wrong']} |")
        add("")
        add("| Redis up from (s) | to (s) | store used again after (s) | answers | hit | miss | bypass | bypass share | kill seen after (s) |")
        add("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for cycle in cycles:
            c = cycle["counts"]
            n = sum(c.values())
            seen = cycle["first_bypass_after_kill"]
            add(f"| {cycle['up_from']} | {cycle['up_to']}{'' if cycle['killed'] else ' (end)'} | "
                f"{'never' if cycle['first_store'] is None else cycle['first_store']} | {n} | {c['hit']} | {c['miss']} | "
                f"{c['bypass']} | {pct(c['bypass'], n)} | {'-' if seen is None else seen} |")
        if mem:
            add("")
            rss = [row["rss_kib"] / 1024 for row in mem]
            fds = [row["fds"] for row in mem]
            thr = [row["threads"] for row in mem]
            add("| gateway | first | min | max | last |")
            add("| --- | ---: | ---: | ---: | ---: |")
            add(f"| RSS (MiB) | {rss[0]:.1f} | {min(rss):.1f} | {max(rss):.1f} | {rss[-1]:.1f} |")
            add(f"| open fds | {fds[0]} | {min(fds)} | {max(fds)} | {fds[-1]} |")
            add(f"| threads | {thr[0]} | {min(thr)} | {max(thr)} | {thr[-1]} |")
            add("")
            add("| minute | RSS (MiB) | open fds | threads | requests | Redis |")
            add("| ---: | ---: | ---: | ---: | ---: | --- |")
            for row in mem:
                add(f"| {row['t'] / 60:.1f} | {row['rss_kib'] / 1024:.1f} | {row['fds']} | {row['threads']} | "
                    f"{row['requests']} | {'up' if row['redis_up'] else 'down'} |")
        add("")
        return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", required=True, help="the gateway's base URL")
    parser.add_argument("--upstream", required=True, help="the fake upstream's base URL (to check the answer rule)")
    parser.add_argument("--gateway-pid", type=int, required=True)
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--pool", type=int, default=300, help="prompts repeated to make hits")
    parser.add_argument("--think-ms", type=float, default=0, help="mean pause between a worker's requests")
    parser.add_argument("--sample-every", type=float, default=30, help="seconds between memory samples")
    parser.add_argument("--admin-token", default=os.environ.get("REPRISE_ADMIN_TOKEN"))
    parser.add_argument("--redis-events", help="file of '<epoch> kill|restart' lines written by soak.sh")
    parser.add_argument("--report", help="also write the summary here")
    parser.add_argument("--evidence", help="write the failures' details here (JSON)")
    parser.add_argument("--run-id")
    parser.add_argument("--mix", help="traffic weights, e.g. 'repeat=1,new=0,...' (kinds: " + ", ".join(DEFAULT_MIX) + ")")
    parser.add_argument("--streamed-error-body", action="store_true",
                        help="also send error-body streamed, and require the upstream's error to reach the client")
    args = parser.parse_args()
    sys.exit(Soak(args).run())


if __name__ == "__main__":
    main()
