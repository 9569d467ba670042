"""Fuzzing the shared-state surface: what hostile anonymous clients can make the endpoint
keep in Django's cache (``CACHE_ALIAS``), and whether a signed-in user's session survives
them.

    python bench/fuzz_state.py [--messages 10000] [--seed 0] [--cache locmem|memcached|redis]

With memcached or redis the script starts the Debian binary (``memcached``,
``redis-server``) on a free 127.0.0.1 port with tests/cache_servers.py's helpers, and stops
it at the end. tests/test_fuzz_state.py runs a few hundred messages over each backend.

Before the flood, alice (a user with a DRF token) starts a session, sets her log level and
subscribes to two ``drf://`` resources. Then a seeded random mix of hostile messages from
anonymous clients: initialize with random, huge and deep capabilities; cancellations and
JSON-RPC responses with any id and big payloads; logging/setLevel, resources/subscribe and
unsubscribe on sessions they started (with ``ANONYMOUS_SUBSCRIPTIONS`` on for the middle
part of the run); DELETE, GET and POST naming their own, ended, forged, junk and alice's
session ids; subscriptions/listen (2026-07-28) with junk filters, and a few streamed tool
calls that are cancelled at once. Each message must get an expected status, never HTTP
500, a traceback, a JSON-RPC internal error or a logged exception.

At the end, the bound. Every entry an anonymous caller causes is charged to the one budget
all anonymous callers share, so the cache may hold at most::

    STATE_WRITE_LIMIT x W        anonymous entries (session states, ended marks, URI
                                 counters), W = the hour windows the run touched (1 or 2)
  + 2 x W                        budget counters (anonymous, alice)
  + 1 + len(ALICE_URIS)          alice's session state and her URIs' counters

and nothing transient (locks, in-flight marks, cancellations, pending requests, replies)
once the streams have ended. No entry may be larger than the largest session state there
can be (``MAX_SUBSCRIPTIONS`` URIs of ``MAX_URI_LENGTH`` four-byte characters, pickled).
Alice's session must still answer 200 with her level and subscriptions, a change to a
model she follows must reach her, and the database must be as alice left it. Any
violation is printed and the exit status is 1.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import json
import logging
import os
import pickle
import random
import secrets
import shutil
import socket
import string
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]

V2025 = "2025-11-25"
V2026 = "2026-07-28"
HANDSHAKE_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]
ALICE_LEVEL = "warning"
#: How many messages of each kind in a hundred.
WEIGHTS = {
    "initialize": 14,
    "cancel": 14,
    "response": 10,
    "set_level": 13,
    "subscribe": 10,
    "unsubscribe": 3,
    "delete": 8,
    "get": 7,
    "listen": 10,
    "ping": 5,
    "batch": 3,
    "call_stream": 3,
}
#: The part of the run (fractions of it) with ANONYMOUS_SUBSCRIPTIONS on; it goes on until
#: a tenth of the run past the first refusal for the budget, so that subscriptions are
#: sent both within the budget and past it.
ANONYMOUS_PHASE = (0.4, 0.7)
#: Entry kinds that must be gone once no call or stream runs.
TRANSIENT = ("lock", "flight", "cancel", "pending", "reply")
#: Anonymous sessions kept to send later messages on (the oldest are dropped).
POOL = 300

# Violation rules (tests/test_fuzz_state.py names some of them).
HTTP_500 = "HTTP 500"
RAISED = "an exception escaped the endpoint (e.g. while its SSE answer was sent)"
TRACEBACK = "traceback text in a body"
LOGGED = "the server logged an exception"
INTERNAL = "JSON-RPC internal error (-32603)"
STATUS = "unexpected HTTP status"
BAD_JSON = "a JSON answer that is not JSON-RPC"
SESSION_HEADER = "Mcp-Session-Id given iff initialize succeeded"
LOST_SESSION = "a live session issued by initialize answered 404"
ENDED_SESSION = "an ended session still works"
FOREIGN_SESSION = "a forged, junk or other caller's session id was accepted"
ANONYMOUS_SUBSCRIBED = "an anonymous caller subscribed with ANONYMOUS_SUBSCRIPTIONS off"
LONG_URI = "a URI over MAX_URI_LENGTH was accepted"
TOO_MANY = "a session followed more (or was refused fewer) than MAX_SUBSCRIPTIONS URIs"
BAD_LEVEL = "an invalid log level was accepted"
BOUND = "more cache entries than the bound"
ANONYMOUS_UNCHARGED = "more anonymous entries than charges the budget granted"
LEFTOVER = "transient entries left in the cache"
ENTRY_SIZE = "an entry larger than the largest possible session state"
ALICE = "alice's session or subscriptions did not survive"
DATABASE = "the database changed"


# Generated values ------------------------------------------------------------------------

_ASCII = string.ascii_letters + string.digits + "-_.~ "
_UNICODE = "\u00e9\u00fc\u4e2d\u30ad\u2713\u0416\U0001d518\U0001f600\u202e\ufeff\u0000\u007f"
#: A JSON value spliced into a message's text unchanged (deep nesting, huge integers).
RAW = "\u0000raw\u0000"


def text(rng: random.Random, low: int, high: int) -> str:
    """A random string of ``low`` to ``high`` characters: ASCII with spaces, unicode from
    every plane, control characters, lone surrogates."""
    size = rng.randint(low, high)
    style = rng.random()
    if style < 0.35:
        return "".join(rng.choices(_ASCII, k=size))
    if style < 0.7:
        return "".join(rng.choices(_ASCII + _UNICODE * 3, k=size))
    if style < 0.8:
        return "".join(rng.choices("\ud800\udfff\udbff" + _ASCII, k=size))
    if style < 0.9:
        return "\r\n".join(rng.choices(["1", "flush_all", "FLUSHALL", "get x", " "], k=size))[:size]
    return rng.choice(_ASCII + _UNICODE) * size


def scalar(rng: random.Random) -> Any:
    return rng.choice(
        [
            None,
            True,
            False,
            0,
            -1,
            rng.randint(-(2**70), 2**70),
            rng.random() * 10 ** rng.randint(-5, 300),
            text(rng, 0, 12),
            text(rng, 0, 300),
        ]
    )


def junk(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON value, a few levels deep and a few dozen leaves at most."""
    roll = rng.random()
    if depth >= 4 or roll < 0.45:
        return scalar(rng)
    if roll < 0.7:
        return [junk(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {text(rng, 0, 10): junk(rng, depth + 1) for _ in range(rng.randint(0, 4))}


def deep(depth: int, rng: random.Random) -> str:
    """JSON text nested ``depth`` levels (built without recursion)."""
    if rng.random() < 0.5:
        return "[" * depth + "1" + "]" * depth
    return '{"a":' * depth + "{}" + "}" * depth


def encode(message: Any, raw: str | None = None) -> str:
    body = json.dumps(message)
    if raw is not None:
        body = body.replace(json.dumps(RAW), raw, 1)
    return body


@dataclasses.dataclass
class Sent:
    """What one message was, and what it must get."""

    kind: str
    variant: str
    expected: set[int]
    session: str = "none"  # none, live, ended, alice, forged, junk
    session_id: str | None = None
    #: A 2026-07-28 request: its Mcp-Session-Id is ignored.
    stateless: bool = False


# The report ------------------------------------------------------------------------------


@dataclasses.dataclass
class Report:
    """What a run saw; ``violations`` maps each broken rule to a few examples."""

    backend: str
    messages: int
    seed: int
    settings: dict[str, Any] = dataclasses.field(default_factory=dict)
    outcomes: collections.Counter[tuple[str, int]] = dataclasses.field(
        default_factory=collections.Counter
    )
    refusals: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    subscription_limit_hits: int = 0
    #: The message being sent, the first one refused for the budget, and the messages
    #: sent with ANONYMOUS_SUBSCRIPTIONS on.
    sent: int = 0
    budget_used_up_at: int | None = None
    #: How many hour windows of the budget (state.WINDOW) the run touched: 1, or 2 when it
    #: crossed the top of an hour (then the budget is twice as large).
    windows: int = 1
    anonymous_phase: tuple[int, int] = (0, 0)
    anonymous_subscribed: int = 0
    sse_answers: int = 0
    long_lived_streams: int = 0
    violation_counts: collections.Counter[str] = dataclasses.field(
        default_factory=collections.Counter
    )
    violations: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    entries: int = 0
    total_bytes: int = 0
    max_entry: int = 0
    max_entry_kind: str = ""
    entry_cap: int = 0
    by_kind: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    anonymous_entries: int = 0
    anonymous_charges: int = 0
    bound: int = 0
    bound_text: str = ""
    native: dict[str, Any] = dataclasses.field(default_factory=dict)
    alice: dict[str, Any] = dataclasses.field(default_factory=dict)
    elapsed: float = 0.0

    def violate(self, rule: str, detail: str) -> None:
        self.violation_counts[rule] += 1
        examples = self.violations.setdefault(rule, [])
        if len(examples) < 3:
            examples.append(detail[:1500])

    @property
    def ok(self) -> bool:
        return not self.violations

    def describe_violations(self) -> str:
        lines = []
        for rule, examples in self.violations.items():
            lines.append(f"{rule}: {self.violation_counts[rule]} time(s)")
            lines.extend(f"    e.g. {example}" for example in examples)
        return "\n".join(lines)

    def table(self) -> str:
        total = sum(self.outcomes.values())
        lines = [
            f"fuzz_state: {total} hostile messages over {self.backend} in "
            f"{self.elapsed:.1f} s, seed {self.seed}",
            "settings: " + ", ".join(f"{k}={v}" for k, v in sorted(self.settings.items())),
            f"  {'kind':<14}{'status':>7}{'count':>8}",
        ]
        for (kind, status), count in sorted(self.outcomes.items()):
            lines.append(f"  {kind:<14}{status:>7}{count:>8}")
        refused = ", ".join(f"{k} {v}" for k, v in sorted(self.refusals.items())) or "none"
        lines += [
            f"budget refusals (STATE_WRITE_LIMIT): {refused}; the first at message "
            f"{self.budget_used_up_at}",
            "ANONYMOUS_SUBSCRIPTIONS on for messages "
            f"{self.anonymous_phase[0]} to {self.anonymous_phase[1]}",
            f"anonymous subscriptions accepted: {self.anonymous_subscribed}, "
            f"refused at MAX_SUBSCRIPTIONS: {self.subscription_limit_hits}",
            f"SSE answers: {self.sse_answers}, of which long-lived streams (GET, "
            f"acknowledged listen): {self.long_lived_streams}",
            f"cache entries (mcp:): {self.entries}, {self.total_bytes:,} bytes of values; "
            f"by kind: {dict(sorted(self.by_kind.items()))}",
            f"largest entry: {self.max_entry:,} bytes ({self.max_entry_kind or '-'}); "
            f"cap {self.entry_cap:,} bytes",
            f"anonymous entries: {self.anonymous_entries}, "
            f"anonymous charges counted: {self.anonymous_charges}",
            f"bound: {self.bound} = {self.bound_text}",
            "backend: " + ", ".join(f"{k} {v}" for k, v in self.native.items()),
            "alice: " + ", ".join(f"{k} {v}" for k, v in self.alice.items()),
        ]
        if self.ok:
            lines.append("violations: none")
        else:
            lines.append("VIOLATIONS:")
            lines.append(self.describe_violations())
        return "\n".join(lines)


class _Errors(logging.Handler):
    """Collects ERROR records (with their tracebacks) the server logs during the run."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        with contextlib.suppress(Exception):
            lines = self.format(record).splitlines()
            # The message and the innermost frames: where it went wrong.
            self.records.append(" | ".join([lines[0], *lines[-5:]] if len(lines) > 6 else lines))


# The cache, inspected --------------------------------------------------------------------


def _memcached_port() -> int:
    from django.conf import settings

    from drf_mcp_bridge.conf.settings import mcp_settings

    location = settings.CACHES[mcp_settings.CACHE_ALIAS]["LOCATION"]
    location = location[0] if isinstance(location, (list, tuple)) else location
    return int(str(location).rsplit(":", 1)[1])


def _memcached(port: int, command: bytes, ends: tuple[bytes, ...]) -> bytes:
    """One text-protocol exchange with the memcached on 127.0.0.1:``port``."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(command)
        data = b""
        while not data.endswith(ends):
            chunk = connection.recv(1 << 16)
            if not chunk:
                break
            data += chunk
    return data


def backend_name(cache: Any) -> str:
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(cache, LocMemCache):
        return "locmem"
    module = type(cache).__module__
    if "redis" in module:
        return "redis"
    if "memcached" in module:
        return "memcached"
    return type(cache).__name__


def mcp_entries(cache: Any) -> dict[str, int]:
    """Every entry of the endpoint in the cache (the key as stored, with Django's prefix
    and version) and the size of its stored value in bytes."""
    name = backend_name(cache)
    found: dict[str, int] = {}
    if name == "locmem":
        with cache._lock:
            for key, value in cache._cache.items():
                if ":mcp:" in key:
                    found[key] = len(value)
    elif name == "redis":
        client = cache._cache.get_client(write=False)
        for key in client.scan_iter(match="*:mcp:*", count=1000):
            size = client.strlen(key)
            if size:
                found[key.decode() if isinstance(key, bytes) else key] = int(size)
    elif name == "memcached":
        port = _memcached_port()
        dump = _memcached(port, b"lru_crawler metadump all\r\n", (b"END\r\n", b"ERROR\r\n"))
        keys = []
        for line in dump.decode("latin-1").splitlines():
            if line.startswith("key="):
                key = unquote(line.split(" ", 1)[0][4:])
                if ":mcp:" in key:
                    keys.append(key)
        for start in range(0, len(keys), 200):
            batch = keys[start : start + 200]
            command = b"".join(f"mg {k} s\r\n".encode() for k in batch) + b"mn\r\n"
            answers = _memcached(port, command, (b"MN\r\n",)).decode().splitlines()
            for key, answer in zip(batch, answers, strict=False):
                if answer.startswith("HD s"):
                    found[key] = int(answer[4:])
    else:
        raise RuntimeError(f"cannot list the entries of a {name} cache")
    return found


def native_stats(cache: Any) -> dict[str, Any]:
    """What the backend itself says it holds."""
    name = backend_name(cache)
    if name == "locmem":
        return {"entries": len(cache._cache), "MAX_ENTRIES": cache._max_entries}
    if name == "redis":
        client = cache._cache.get_client(write=False)
        return {"DBSIZE": client.dbsize(), "used_memory": client.info("memory")["used_memory"]}
    if name == "memcached":
        answer = _memcached(_memcached_port(), b"stats\r\n", (b"END\r\n",)).decode()
        stats = dict(line.split(" ", 2)[1:] for line in answer.splitlines() if line[:5] == "STAT ")
        return {"curr_items": int(stats["curr_items"]), "bytes": int(stats["bytes"])}
    return {}


def kind_of(key: str) -> str:
    """``:1:mcp:session:<digest>`` -> session; a lock of any entry -> lock."""
    if key.endswith(":lock"):
        return "lock"
    rest = key.split(":mcp:", 1)[1]
    return rest.split(":", 1)[0]


def entry_cap() -> int:
    """The pickled size of the largest session state a caller can make: the longest log
    level and ``MAX_SUBSCRIPTIONS`` URIs of ``MAX_URI_LENGTH`` four-byte characters, each
    with a 64-bit version (plus room for the backend's own framing)."""
    from drf_mcp_bridge.conf.settings import mcp_settings

    length = int(mcp_settings.MAX_URI_LENGTH)
    worst = {
        f"drf://categories?{index:06d}=" + "\U0001f600" * (length - 24): 2**63
        for index in range(int(mcp_settings.MAX_SUBSCRIPTIONS))
    }
    state = {"log_level": "emergency", "subscriptions": worst, "ended": True}
    return len(pickle.dumps(state, pickle.HIGHEST_PROTOCOL)) + 256


# The run ---------------------------------------------------------------------------------


class Fuzzer:
    """Sends the hostile messages and checks each answer."""

    def __init__(
        self,
        rng: random.Random,
        report: Report,
        alice_id: str,
        alice_owner: str,
        category_pk: int,
        max_real_streams: int,
    ) -> None:
        from django.test import Client

        from drf_mcp_bridge.core.types import (
            META_CLIENT_CAPABILITIES,
            META_CLIENT_INFO,
            META_PROTOCOL_VERSION,
        )

        self.rng = rng
        self.report = report
        self.client = Client(raise_request_exception=False)
        self.alice_id = alice_id
        self.alice_owner = alice_owner
        self.live: list[str] = []
        self.ended: list[str] = []
        #: Live sessions whose state is in the cache (a level or a subscription was kept).
        self.stored: list[str] = []
        self.collector: str | None = None
        self.origin: dict[str, str] = {}  # session id -> the initialize variant behind it
        self.subscribed: dict[str, set[str]] = collections.defaultdict(set)
        self.anonymous_subscriptions = False
        self.max_real_streams = max_real_streams
        self.known_uris = [
            "drf://categories",
            f"drf://categories/{category_pk}",
            "drf://categories?page=1",
            "drf://categories?page=2",
            "drf://categories?ordering=name",
            "drf://categories?page=3",
            "drf://categories?search=a",
            "drf://customers",
            "drf://knowledge-notes",
            "drf://invoices",
            "drf://categories/999999",
            "drf://kitchen",
        ]
        self.meta = {
            META_PROTOCOL_VERSION: V2026,
            META_CLIENT_CAPABILITIES: {},
            META_CLIENT_INFO: {"name": "fuzz-state", "version": "1"},
        }
        self.counter = 0

    # settings -------------------------------------------------------------------------
    def limit(self, name: str) -> int:
        from drf_mcp_bridge.conf.settings import mcp_settings

        return int(getattr(mcp_settings, name))

    # sending ----------------------------------------------------------------------------
    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    def session_header(self, weights: dict[str, int]) -> tuple[str, str | None]:
        """(what kind of session id, the id) for a message."""
        from django.core import signing

        kind = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        if kind == "live" and not self.live:
            kind = "none"
        if kind == "ended" and not self.ended:
            kind = "junk"
        if kind == "none":
            return kind, None
        if kind == "live":
            return kind, self.rng.choice(self.live)
        if kind == "ended":
            return kind, self.rng.choice(self.ended)
        if kind == "alice":
            return kind, self.alice_id
        if kind == "forged":
            roll = self.rng.random()
            if roll < 0.4:
                # alice's facts, signed with a key that is not the server's
                facts = {"v": V2025, "c": [], "o": self.alice_owner, "t": int(time.time())}
                forged = signing.dumps(
                    facts, key="not-the-secret-key", salt="drf_mcp_bridge.session"
                )
                return kind, forged
            victim = self.rng.choice([self.alice_id, *self.live[-5:]])
            position = self.rng.randrange(len(victim))
            replacement = self.rng.choice(
                [c for c in string.ascii_letters + string.digits if c != victim[position]]
            )
            return kind, victim[:position] + replacement + victim[position + 1 :]
        # junk
        return kind, self.rng.choice(
            [
                "a session id with spaces",
                "s" * 300,
                "s" * 10_000,
                "s\u00e9ssion-\u2713".encode().decode("latin-1"),
                secrets.token_urlsafe(self.rng.randint(15, 300)),
                text(self.rng, 1, 500).encode("utf-8", "surrogatepass").decode("latin-1"),
                "::::::::::::::::::::::::",
            ]
        )

    def post(
        self,
        sent: Sent,
        body: str,
        headers: dict[str, Any] | None = None,
        accept: str = "application/json, text/event-stream",
    ) -> tuple[Any, Any]:
        extra = {"HTTP_ACCEPT": accept, **(headers or {})}
        too_large = len(body.encode("utf-8", "surrogatepass")) > self.limit("MAX_REQUEST_BODY_SIZE")
        if too_large:
            sent.expected = {413}  # refused before anything else is looked at
        if sent.session_id is not None:
            extra["HTTP_MCP_SESSION_ID"] = sent.session_id
        if self.rng.random() < 0.05:  # credentials that authenticate nobody
            extra["HTTP_AUTHORIZATION"] = "Token " + secrets.token_hex(20)
            if not too_large:  # refused next, from the headers, as over REST
                sent.expected = {401}
        response = self.client.post("/mcp/", data=body, content_type="application/json", **extra)
        return response, self.check(sent, response)

    def check(self, sent: Sent, response: Any, first_event_only: bool = False) -> Any:
        """Count the answer, check what holds for every message; its decoded body (a
        JSON-RPC object, a list of them, the SSE messages as a list, or None)."""
        status = response.status_code
        self.report.outcomes[(sent.kind, status)] += 1
        where = f"{sent.kind}/{sent.variant} (session {sent.session}): HTTP {status}"
        decoded: Any = None
        if getattr(response, "streaming", False):
            content, decoded = self.read_stream(response, first_event_only)
        else:
            content = response.content
        if status == 500:
            exc_info = getattr(response, "exc_info", None)
            detail = f"{exc_info[0].__name__}: {exc_info[1]}" if exc_info else content[:300]
            self.report.violate(HTTP_500, f"{where}: {detail!r}")
        if b"Traceback" in content or b'File "/' in content:
            self.report.violate(TRACEBACK, f"{where}: {content[:300]!r}")
        lost = sent.session == "live" and status == 404 and not sent.stateless
        if status not in sent.expected and not lost:  # a lost session: reported below
            self.report.violate(
                STATUS, f"{where}, expected {sorted(sent.expected)}: {content[:300]!r}"
            )
        is_json = response.get("Content-Type", "").startswith("application/json")
        if is_json and content and not getattr(response, "streaming", False):
            try:
                decoded = json.loads(content)
            except ValueError:
                self.report.violate(BAD_JSON, f"{where}: {content[:300]!r}")
        for message in decoded if isinstance(decoded, list) else [decoded]:
            if isinstance(message, dict):
                if message.get("jsonrpc") != "2.0":
                    self.report.violate(BAD_JSON, f"{where}: {str(message)[:300]}")
                error = message.get("error")
                if isinstance(error, dict) and error.get("code") == -32603:
                    self.report.violate(INTERNAL, f"{where}: {error}")
                if isinstance(error, dict):
                    text_ = str(error.get("message", ""))
                    if "STATE_WRITE_LIMIT" in text_:
                        self.report.refusals[sent.kind] += 1
                        if self.report.budget_used_up_at is None:
                            self.report.budget_used_up_at = self.report.sent
                    if "MAX_SUBSCRIPTIONS" in text_ and sent.kind == "subscribe":
                        self.report.subscription_limit_hits += 1
        self.check_session_gate(sent, status, where)
        return decoded

    def check_session_gate(self, sent: Sent, status: int, where: str) -> None:
        if sent.stateless:
            return
        if sent.session == "live" and status == 404:
            origin = self.origin.get(sent.session_id or "", "?")
            length = len(sent.session_id or "")
            self.report.violate(
                LOST_SESSION,
                f"{where}: a session initialize ({origin}) issued {length} characters long",
            )
            with contextlib.suppress(ValueError):
                self.live.remove(sent.session_id or "")
        if sent.session == "ended" and status not in (404, 400, 401, 405, 406, 413):
            self.report.violate(ENDED_SESSION, where)
        refused = (400, 401, 405, 406, 413, 404)
        if sent.session in ("alice", "forged", "junk") and status not in refused:
            self.report.violate(FOREIGN_SESSION, f"{where}: id {sent.session_id!r:.120}")

    def read_stream(self, response: Any, first_event_only: bool) -> tuple[bytes, list[Any]]:
        """The SSE answer's bytes and messages. A long-lived stream (an acknowledged listen,
        a GET stream) is closed after its first event (for GET, its first chunk)."""
        from drf_mcp_bridge.transport.streaming import event_data

        self.report.sse_answers += 1
        if first_event_only:
            self.report.long_lived_streams += 1
        raw: list[bytes] = []

        def chunks() -> Iterator[bytes]:
            for chunk in response.streaming_content:
                raw.append(chunk)
                yield chunk
                if first_event_only:
                    return

        messages: list[Any] = []
        try:
            for data in event_data(chunks()):
                try:
                    message = json.loads(data)
                except ValueError:
                    messages.append(None)
                    self.report.violate(BAD_JSON, f"an SSE event that is not JSON: {data[:200]!r}")
                    continue
                messages.append(message)
                method = message.get("method") if isinstance(message, dict) else None
                if method == "notifications/subscriptions/acknowledged":
                    self.report.long_lived_streams += 1
                    break  # a live listen stream: enough
        finally:
            response.close()
        return b"".join(raw), messages

    def expect(self, sent: Sent, base: set[int], stateless: bool = False) -> None:
        """A POST's expected statuses: a session id that is not the caller's live one is
        404 before anything (2025; 2026-07-28 requests ignore it)."""
        sent.stateless = stateless
        if not stateless and sent.session in ("ended", "alice", "forged", "junk"):
            sent.expected = {404}
        else:
            sent.expected = set(base)

    # message kinds ------------------------------------------------------------------------
    def initialize(self) -> None:
        rng = self.rng
        variant = rng.choice(
            [
                *("plain", "plain", "junk", "many-long-names", "huge"),
                *("over-limit", "deep", "deeper", "version"),
            ]
        )
        raw = None
        capabilities: Any = {}
        if variant == "plain":
            capabilities = rng.choice(
                [{}, {"sampling": {}, "elicitation": {}}, {"roots": {"listChanged": True}}]
            )
        elif variant == "junk":
            capabilities = junk(rng)
        elif variant == "many-long-names":
            capabilities = {text(rng, 40, 64): junk(rng, 3) for _ in range(rng.randint(20, 40))}
        elif variant == "huge":
            capabilities = rng.choice(
                [
                    {f"c{i}-{text(rng, 1, 8)}": {} for i in range(rng.randint(5_000, 20_000))},
                    {"x": "y" * rng.randint(200_000, 900_000)},
                ]
            )
        elif variant == "over-limit":
            capabilities = {"x": "y" * rng.randint(1_050_000, 1_300_000)}
        elif variant in ("deep", "deeper"):
            capabilities = RAW
            raw = deep(
                rng.randint(60, 600) if variant == "deep" else rng.randint(2_000, 6_000), rng
            )
        version: Any = rng.choice(HANDSHAKE_VERSIONS)
        if variant == "version":
            version = rng.choice([None, 2025, "junk", "", V2026, text(rng, 1, 300), ["x"]])
        params = {
            "protocolVersion": version,
            "capabilities": capabilities,
            "clientInfo": junk(rng) if rng.random() < 0.2 else {"name": "hostile", "version": "1"},
        }
        if version is None:
            del params["protocolVersion"]
        sent = Sent("initialize", variant, set())
        sent.session, sent.session_id = self.session_header({"none": 90, "live": 5, "junk": 5})
        self.expect(sent, {200, 400, 413})
        message = {"jsonrpc": "2.0", "id": self.next_id(), "method": "initialize", "params": params}
        response, decoded = self.post(sent, encode(message, raw))
        succeeded = isinstance(decoded, dict) and "result" in decoded
        issued = response.get("Mcp-Session-Id")
        if succeeded != bool(issued) and response.status_code != 404:
            self.report.violate(
                SESSION_HEADER,
                f"initialize/{variant}: HTTP {response.status_code}, "
                f"result {succeeded}, session id {issued!r:.80}",
            )
        if issued:
            self.live.append(issued)
            self.origin[issued] = variant
            if len(self.live) > POOL:
                self.origin.pop(self.live.pop(0), None)

    def request_id(self) -> tuple[str, Any, str | None]:
        """(variant, a request id, raw JSON text standing in for RAW or None)."""
        rng = self.rng
        variant = rng.choice(
            [
                *("spaces", "long", "unicode", "crlf", "int", "bigint", "hugeint", "float"),
                *("bool", "null", "nested", "deep", "forged", "small-int"),
            ]
        )
        value: Any
        raw = None
        if variant == "spaces":
            value = "a request id with spaces " + text(rng, 1, 40)
        elif variant == "long":
            value = text(rng, 300, 10_000)
        elif variant == "unicode":
            value = "".join(rng.choices(_UNICODE, k=rng.randint(1, 300)))
        elif variant == "crlf":
            value = "1\r\nflush_all\r\nFLUSHALL\r\n"
        elif variant == "int":
            value = rng.randint(-(2**63), 2**64)
        elif variant == "bigint":
            value, raw = RAW, str(10 ** rng.randint(20, 4_000))
        elif variant == "hugeint":  # past Python's int-parsing limit: a parse error
            value, raw = RAW, "9" * rng.randint(4_400, 6_000)
        elif variant == "float":
            value = rng.random() * 1e300
        elif variant == "bool":
            value = rng.random() < 0.5
        elif variant == "null":
            value = None
        elif variant == "nested":
            value = junk(rng)
        elif variant == "deep":
            value, raw = RAW, deep(rng.randint(80, 600), rng)
        elif variant == "forged":
            value = "drf-mcp-" + secrets.token_urlsafe(18)
        else:
            value = rng.randint(0, 20)
        return variant, value, raw

    def cancel(self) -> None:
        variant, request_id, raw = self.request_id()
        params: Any = {"requestId": request_id}
        if self.rng.random() < 0.3:
            params["reason"] = text(self.rng, 0, 2_000)
        if self.rng.random() < 0.03:
            variant, params, raw = "params-junk", self.rng.choice([[1, 2], "x", 3]), None
        modern = self.rng.random() < 0.25
        sent = Sent("cancel", variant, set())
        sent.session, sent.session_id = self.session_header(
            {"none": 40, "live": 35, "ended": 5, "alice": 10, "forged": 5, "junk": 5}
        )
        headers: dict[str, Any] = {}
        if modern:
            headers = {
                "HTTP_MCP_PROTOCOL_VERSION": V2026,
                "HTTP_MCP_METHOD": "notifications/cancelled",
            }
        base = {400} if variant in ("hugeint", "params-junk") else {202}
        self.expect(sent, base, stateless=modern)
        message = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": params}
        self.post(sent, encode(message, raw), headers)

    def response(self) -> None:
        rng = self.rng
        variant, reply_id, raw = self.request_id()
        payload: Any = junk(rng)
        size = rng.random()
        if size < 0.15:
            payload = {"blob": text(rng, 50_000, 300_000)}
        elif size < 0.2:
            payload = {"blob": "z" * rng.randint(1_050_000, 1_200_000)}
            variant += "+over-limit"
        elif size < 0.3:
            payload, raw = RAW, deep(rng.randint(80, 600), rng)
            if reply_id == RAW or not isinstance(reply_id, (str, int)) or reply_id is True:
                reply_id = "drf-mcp-" + secrets.token_urlsafe(18)
            variant = "deep-payload"
        message = {"jsonrpc": "2.0", "id": reply_id, rng.choice(["result", "error"]): payload}
        sent = Sent("response", variant, set())
        sent.session, sent.session_id = self.session_header(
            {"none": 40, "live": 35, "ended": 5, "alice": 10, "forged": 5, "junk": 5}
        )
        valid_id = variant == "bigint" or (
            reply_id is None
            or (isinstance(reply_id, (str, int)) and not isinstance(reply_id, bool))
        )
        if "over-limit" in variant:
            sent.expected = {413}
        else:
            self.expect(sent, {202} if valid_id and variant not in ("hugeint", "deep") else {400})
        self.post(sent, encode(message, raw))

    def set_level(self) -> None:
        rng = self.rng
        from drf_mcp_bridge.invocation.calls import LOG_LEVELS

        level: Any = rng.choice(LOG_LEVELS)
        variant = "valid"
        if rng.random() < 0.2:
            variant = "invalid"
            level = rng.choice([None, 3, "DEBUG", "verbose", text(rng, 1, 3_000), ["debug"]])
        sent = Sent("set_level", variant, set())
        if self.live and rng.random() < 0.5:
            # a session just started: its first write, charged to the anonymous budget
            sent.session, sent.session_id = "live", self.live[-1]
        else:
            sent.session, sent.session_id = self.session_header(
                {"none": 10, "live": 60, "ended": 10, "alice": 10, "forged": 5, "junk": 5}
            )
        self.expect(sent, {200})
        message = {
            "jsonrpc": "2.0",
            "id": self.next_id(),
            "method": "logging/setLevel",
            "params": {"level": level},
        }
        _, decoded = self.post(sent, encode(message))
        if variant == "invalid" and isinstance(decoded, dict) and "result" in decoded:
            self.report.violate(BAD_LEVEL, f"level {level!r:.80} accepted")
        if sent.session == "live" and isinstance(decoded, dict) and "result" in decoded:
            self.keep(sent.session_id or "")

    def keep(self, session_id: str) -> None:
        if session_id not in self.stored[-20:]:
            self.stored.append(session_id)
            del self.stored[:-POOL]

    def subscription_uri(self) -> tuple[str, Any]:
        rng = self.rng
        limit = self.limit("MAX_URI_LENGTH")
        variant = rng.choice(["known", "known", "fresh", "fresh", "long", "too-long", "junk"])
        if variant == "known":
            return variant, rng.choice(self.known_uris)
        if variant == "fresh":  # a known resource, a URI nobody watched: a new counter
            return variant, f"drf://categories?q={secrets.token_hex(8)}"
        if variant == "long":
            prefix = "drf://categories?q="
            return variant, prefix + text(rng, limit - len(prefix) - 40, limit - len(prefix))
        if variant == "too-long":
            return variant, "drf://categories?q=" + text(rng, limit, limit * 5)
        return variant, rng.choice(
            [None, 5, ["drf://categories"], {"uri": "x"}, "", text(rng, 1, 200), "drf://"]
        )

    def subscribe(self, subscribed: bool = True) -> None:
        rng = self.rng
        variant, uri = self.subscription_uri()
        kind = "subscribe" if subscribed else "unsubscribe"
        sent = Sent(kind, variant, set())
        stored = [s for s in self.stored[-3:] if s in self.live[-50:]]
        if self.collector not in self.live:
            self.collector = stored[-1] if stored else (self.live[-1] if self.live else None)
        if subscribed and self.collector and rng.random() < 0.3:
            # One session subscribes to URIs the caller may read until MAX_SUBSCRIPTIONS
            # refuses it (then the next one does).
            sent.session, sent.session_id = "live", self.collector
            sent.variant = "collect"
            uri = rng.choice(
                [u for u in self.known_uris if u.startswith("drf://categories")]
                + [f"drf://categories?q={secrets.token_hex(8)}"]
            )
        elif stored and rng.random() < 0.4:
            # a few sessions with a state already (no charge), so that some reach
            # MAX_SUBSCRIPTIONS even once the budget is used up
            sent.session, sent.session_id = "live", rng.choice(stored)
        elif self.live and rng.random() < 0.5:
            sent.session, sent.session_id = "live", rng.choice(self.live[-4:])
        else:
            sent.session, sent.session_id = self.session_header(
                {"none": 10, "live": 50, "ended": 10, "alice": 15, "forged": 10, "junk": 5}
            )
        self.expect(sent, {200})
        method = "resources/subscribe" if subscribed else "resources/unsubscribe"
        message = {"jsonrpc": "2.0", "id": self.next_id(), "method": method, "params": {"uri": uri}}
        _, decoded = self.post(sent, encode(message))
        error = decoded.get("error") if isinstance(decoded, dict) else None
        if isinstance(error, dict) and "MAX_SUBSCRIPTIONS" in str(error.get("message")):
            if len(self.subscribed[sent.session_id or ""]) < self.limit("MAX_SUBSCRIPTIONS"):
                self.report.violate(
                    TOO_MANY, f"refused at {len(self.subscribed[sent.session_id or ''])}"
                )
            if sent.session_id == self.collector:
                self.collector = None
        if not (isinstance(decoded, dict) and "result" in decoded) or sent.session != "live":
            return
        following = self.subscribed[sent.session_id or ""]
        if not subscribed:
            following.discard(uri)
            return
        if not self.anonymous_subscriptions:
            self.report.violate(ANONYMOUS_SUBSCRIBED, f"resources/subscribe {uri!r:.100}")
        if isinstance(uri, str) and len(uri) > self.limit("MAX_URI_LENGTH"):
            self.report.violate(LONG_URI, f"resources/subscribe of {len(uri)} characters")
        if uri not in following and len(following) >= self.limit("MAX_SUBSCRIPTIONS"):
            self.report.violate(TOO_MANY, f"subscription {len(following) + 1} accepted")
        following.add(uri)
        self.report.anonymous_subscribed += 1
        self.keep(sent.session_id or "")

    def delete(self) -> None:
        sent = Sent("delete", "", set())
        sent.session, sent.session_id = self.session_header(
            {"none": 5, "live": 40, "ended": 10, "alice": 20, "forged": 15, "junk": 10}
        )
        sent.variant = sent.session
        sent.expected = {"none": {405}, "live": {204, 429}}.get(sent.session, {404})
        extra: dict[str, Any] = {}
        if sent.session_id is not None:
            extra["HTTP_MCP_SESSION_ID"] = sent.session_id
        response = self.client.delete("/mcp/", **extra)
        self.check(sent, response)
        if sent.session == "live" and response.status_code == 204:
            with contextlib.suppress(ValueError):
                self.live.remove(sent.session_id or "")
            self.ended.append(sent.session_id or "")
            del self.ended[:-POOL]

    def get(self) -> None:
        rng = self.rng
        sent = Sent("get", "", set())
        sent.session, sent.session_id = self.session_header(
            {"none": 5, "live": 30, "ended": 10, "alice": 25, "forged": 15, "junk": 15}
        )
        accept = rng.choice(["text/event-stream"] * 8 + ["application/json", ""])
        if sent.session == "live" and self.report.long_lived_streams >= self.max_real_streams:
            accept = "application/json"  # enough real streams: refused before it opens
        sent.variant = f"{sent.session}/{accept or 'no-accept'}"
        if sent.session == "none":
            sent.expected = {405}
        elif "text/event-stream" not in accept:
            sent.expected = {406}
        elif sent.session == "live":
            sent.expected = {200, 429}
        else:
            sent.expected = {404}
        extra: dict[str, Any] = {"HTTP_ACCEPT": accept} if accept else {}
        if sent.session_id is not None:
            extra["HTTP_MCP_SESSION_ID"] = sent.session_id
        response = self.client.get("/mcp/", **extra)
        self.check(sent, response, first_event_only=True)

    def listen(self) -> None:
        rng = self.rng
        limit = self.limit("MAX_SUBSCRIPTIONS")
        variant = rng.choice(
            [
                *("empty", "uris", "uris", "junk-filter", "non-strings", "too-many"),
                *("too-long", "deep", "no-meta", "mismatch", "json-only"),
            ]
        )
        raw = None
        notifications: Any
        if variant == "empty":
            notifications = {}
        elif variant == "uris":
            notifications = {
                "resourceSubscriptions": [
                    self.subscription_uri()[1] if rng.random() < 0.3 else u
                    for u in rng.sample(self.known_uris, rng.randint(1, 3))
                ]
                + [f"drf://categories?q={secrets.token_hex(8)}" for _ in range(rng.randint(0, 3))]
            }
        elif variant == "junk-filter":
            notifications = junk(rng)
        elif variant == "non-strings":
            notifications = {"resourceSubscriptions": [junk(rng) for _ in range(3)]}
        elif variant == "too-many":
            notifications = {
                "resourceSubscriptions": [f"drf://categories?n={i}" for i in range(limit + 1)]
            }
        elif variant == "too-long":
            notifications = {"resourceSubscriptions": ["drf://categories?q=" + "q" * 5_000]}
        elif variant == "deep":
            notifications, raw = RAW, deep(rng.randint(80, 600), rng)
        else:
            notifications = {"resourceSubscriptions": ["drf://categories"]}
        params: dict[str, Any] = {"notifications": notifications}
        if variant != "no-meta":
            params["_meta"] = dict(self.meta)
        headers = {"HTTP_MCP_PROTOCOL_VERSION": V2026, "HTTP_MCP_METHOD": "subscriptions/listen"}
        if variant == "mismatch":
            headers["HTTP_MCP_METHOD"] = rng.choice(["tools/list", "", "subscriptions/listen "])
        # Only these open a long-lived stream (acknowledged); keep them few.
        long_lived = variant == "empty" or (variant == "uris" and self.anonymous_subscriptions)
        accept = "application/json, text/event-stream"
        if variant == "json-only" or (
            long_lived and self.report.long_lived_streams >= self.max_real_streams
        ):
            accept, variant = "application/json", "json-only"
        sent = Sent("listen", variant, set())
        sent.session, sent.session_id = self.session_header({"none": 80, "junk": 10, "alice": 10})
        self.expect(sent, {400} if variant in ("mismatch", "json-only") else {200}, stateless=True)
        message = {"jsonrpc": "2.0", "id": 7, "method": "subscriptions/listen", "params": params}
        _, decoded = self.post(sent, encode(message, raw), headers, accept=accept)
        if (
            isinstance(decoded, list)
            and decoded
            and isinstance(decoded[0], dict)
            and decoded[0].get("method") == "notifications/subscriptions/acknowledged"
        ):
            honored = decoded[0]["params"]["notifications"].get("resourceSubscriptions", [])
            if honored and not self.anonymous_subscriptions:
                self.report.violate(ANONYMOUS_SUBSCRIBED, f"listen acknowledged {honored}")

    def ping(self) -> None:
        sent = Sent("ping", "", set())
        sent.session, sent.session_id = self.session_header(
            {"none": 10, "live": 40, "ended": 15, "alice": 15, "forged": 10, "junk": 10}
        )
        sent.variant = sent.session
        self.expect(sent, {200})
        self.post(sent, encode({"jsonrpc": "2.0", "id": self.next_id(), "method": "ping"}))

    def batch(self) -> None:
        rng = self.rng
        items: list[Any] = []
        for _ in range(rng.randint(0, 60)):
            roll = rng.random()
            _, value, _ = self.request_id()
            if isinstance(value, str) and value == RAW:
                value = 1
            if roll < 0.4:
                items.append(
                    {
                        "jsonrpc": "2.0",
                        "method": "notifications/cancelled",
                        "params": {"requestId": value},
                    }
                )
            elif roll < 0.7:
                items.append({"jsonrpc": "2.0", "id": value, "result": junk(rng)})
            elif roll < 0.85:
                items.append(
                    {
                        "jsonrpc": "2.0",
                        "id": self.next_id(),
                        "method": "logging/setLevel",
                        "params": {"level": "debug"},
                    }
                )
            else:
                items.append(junk(rng))
        sent = Sent("batch", f"{len(items)} items", set())
        sent.session, sent.session_id = self.session_header({"none": 70, "live": 20, "alice": 10})
        self.expect(sent, {200, 202, 400})
        self.post(sent, encode(items))

    def call_stream(self) -> None:
        """A streamed tool call (marked in flight), cancelled as soon as it answers."""
        rng = self.rng
        sent = Sent("call_stream", "", set())
        sent.session, sent.session_id = self.session_header({"live": 80, "none": 20})
        sent.variant = sent.session
        self.expect(sent, {200})
        request_id = rng.choice([self.next_id(), text(rng, 1, 400)])
        message = {
            "jsonrpc": "2.0",
            "id": request_id,
            "method": "tools/call",
            "params": {
                "name": rng.choice(["categories_recount", "categories_list"]),
                "arguments": {},
                "_meta": {"progressToken": text(rng, 1, 50)},
            },
        }
        extra: dict[str, Any] = {"HTTP_ACCEPT": "application/json, text/event-stream"}
        if sent.session_id is not None:
            extra["HTTP_MCP_SESSION_ID"] = sent.session_id
        body = encode(message)
        response = self.client.post("/mcp/", data=body, content_type="application/json", **extra)
        cancel = {
            "jsonrpc": "2.0",
            "method": "notifications/cancelled",
            "params": {"requestId": request_id},
        }
        cancelled = self.client.post(
            "/mcp/", data=encode(cancel), content_type="application/json", **extra
        )
        self.check(Sent("cancel", "in-flight", {202}, sent.session, sent.session_id), cancelled)
        self.check(sent, response)

    def send(self, kind: str) -> None:
        try:
            if kind in ("subscribe", "unsubscribe"):
                self.subscribe(kind == "subscribe")
            else:
                getattr(self, kind)()
        except Exception as error:
            where = traceback.extract_tb(error.__traceback__)[-1]
            self.report.violate(
                RAISED,
                f"{kind}: {type(error).__name__}: {error} "
                f"(at {where.filename}:{where.lineno} in {where.name})",
            )


def run_fuzz(
    messages: int = 10_000,
    seed: int = 0,
    state_write_limit: int | None = None,
    max_subscriptions: int = 4,
    max_real_streams: int = 16,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """One run against the cache ``CACHE_ALIAS`` names now (cleared first), with the test
    app's database set up (and changed only by alice's setup and her final change).
    ``state_write_limit``: the anonymous budget, ``messages // 20`` by default, so that
    the run uses it up and goes on past it."""
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.cache import caches
    from django.test import Client, override_settings
    from rest_framework.authtoken.models import Token

    from drf_mcp_bridge.conf.settings import mcp_settings
    from drf_mcp_bridge.core import sessions, state
    from drf_mcp_bridge.protocol import subscriptions
    from drf_mcp_bridge.transport import streaming
    from tests.parity import database_state
    from tests.testapp.models import Category

    limit = state_write_limit if state_write_limit is not None else max(5, messages // 20)
    overrides = {
        "SESSIONS": True,
        "SUBSCRIPTIONS": True,
        "STREAMS_ON_SYNC_WORKERS": True,
        "ANONYMOUS_SUBSCRIPTIONS": False,
        "STATE_WRITE_LIMIT": limit,
        "MAX_SUBSCRIPTIONS": max_subscriptions,
        "LISTEN_STREAM_SECONDS": 1,
        "GET_STREAM_SECONDS": 1,
    }
    base = dict(getattr(settings, "REST_FRAMEWORK_MCP", {}))
    errors = _Errors()
    loggers = [logging.getLogger(n) for n in ("drf_mcp_bridge", "django.request")]
    with contextlib.ExitStack() as stack:
        stack.enter_context(override_settings(REST_FRAMEWORK_MCP={**base, **overrides}))
        for found in loggers:
            found.addHandler(errors)
            stack.callback(found.removeHandler, errors)
        # Thousands of 4xx warnings ("Not Found: /mcp/") say nothing here; errors still count.
        request_logger = loggers[1]
        stack.callback(request_logger.setLevel, request_logger.level)
        request_logger.setLevel(logging.ERROR)
        cache = caches[mcp_settings.CACHE_ALIAS]
        report = Report(backend_name(cache), messages, seed, settings=overrides)
        cache.clear()
        rng = random.Random(seed)

        # alice: a session, a log level, two subscriptions ------------------------------
        alice, _ = User.objects.get_or_create(username="fuzz-alice")
        token, _ = Token.objects.get_or_create(user=alice)
        category, _ = Category.objects.get_or_create(name="fuzz-books")
        auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
        alice_uris = ["drf://categories", f"drf://categories/{category.pk}"]
        client = Client(raise_request_exception=False)
        alice_id = _alice_setup(client, auth, alice_uris)
        alice_owner = sessions.owner_of(alice)
        database_before = _database(database_state)
        native_before = native_stats(cache)
        window_first = int(time.time()) // state.WINDOW

        # the flood ---------------------------------------------------------------------
        fuzzer = Fuzzer(rng, report, alice_id, alice_owner, category.pk, max_real_streams)
        kinds, weights = list(WEIGHTS), list(WEIGHTS.values())
        phase_start, phase_stop = (int(messages * f) for f in ANONYMOUS_PHASE)
        started = time.perf_counter()
        with contextlib.ExitStack() as anonymous:
            for number in range(messages):
                if number == phase_start:
                    anonymous.enter_context(
                        override_settings(
                            REST_FRAMEWORK_MCP={
                                **base,
                                **overrides,
                                "ANONYMOUS_SUBSCRIPTIONS": True,
                            }
                        )
                    )
                    fuzzer.anonymous_subscriptions = True
                elif fuzzer.anonymous_subscriptions and number >= phase_stop:
                    # Past the budget's end too: subscriptions refused for the budget.
                    refused = report.budget_used_up_at
                    if refused is not None and number >= refused + messages // 10:
                        anonymous.close()
                        fuzzer.anonymous_subscriptions = False
                        report.anonymous_phase = (phase_start, number)
                report.sent = number
                fuzzer.send(rng.choices(kinds, weights=weights)[0])
                if progress is not None and (number + 1) % 1000 == 0:
                    progress(f"  {number + 1} messages, {time.perf_counter() - started:.0f} s")
        if fuzzer.anonymous_subscriptions:
            report.anonymous_phase = (phase_start, messages)
        fuzzer.anonymous_subscriptions = False
        # Streams still winding down hold in-flight marks and locks: let them end.
        deadline = time.monotonic() + 15
        while streaming.slots.open() and time.monotonic() < deadline:
            time.sleep(0.05)
        report.elapsed = time.perf_counter() - started
        window_last = int(time.time()) // state.WINDOW

        # what the cache holds ------------------------------------------------------------
        entries = mcp_entries(cache)
        report.entries = len(entries)
        report.total_bytes = sum(entries.values())
        report.entry_cap = entry_cap()
        for key, size in entries.items():
            report.by_kind[kind_of(key)] += 1
            if size > report.max_entry:
                report.max_entry, report.max_entry_kind = size, kind_of(key)
        windows = list(range(window_first, window_last + 1))
        report.windows = len(windows)
        alice_keys = {state.key("session", alice_id)} | {
            subscriptions.version_key(u) for u in alice_uris
        }
        budget_keys = {state.key("budget", o, w) for o in ("", alice_owner) for w in windows}
        anonymous_keys = [
            k
            for k in entries
            if not any(k.endswith(own) for own in alice_keys | budget_keys)
            and kind_of(k) not in TRANSIENT
        ]
        report.anonymous_entries = len(anonymous_keys)
        report.anonymous_charges = sum(
            int(cache.get(state.key("budget", "", w)) or 0) for w in windows
        )
        granted = min(report.anonymous_charges, limit * len(windows))
        report.bound = limit * len(windows) + 2 * len(windows) + len(alice_keys)
        report.bound_text = (
            f"STATE_WRITE_LIMIT {limit} x {len(windows)} hour window(s) + "
            f"{2 * len(windows)} budget counters + {len(alice_keys)} of alice's entries"
        )
        report.native = native_stats(cache)
        if "used_memory" in report.native:
            delta = report.native["used_memory"] - native_before["used_memory"]
            report.native["used_memory delta"] = f"{delta:+,} bytes"
        leftovers = [k for k in entries if kind_of(k) in TRANSIENT]
        if leftovers:
            report.violate(LEFTOVER, f"{len(leftovers)}: {sorted(leftovers)[:5]}")
        if report.entries > report.bound:
            report.violate(
                BOUND,
                f"{report.entries} entries > bound {report.bound} ({report.bound_text}); "
                f"by kind {dict(report.by_kind)}",
            )
        if report.anonymous_entries > granted:
            uncharged = report.anonymous_entries - granted
            report.violate(
                ANONYMOUS_UNCHARGED,
                f"{report.anonymous_entries} anonymous entries, {granted} charges granted "
                f"({report.anonymous_charges} counted): {uncharged} entries no budget paid for",
            )
        if report.max_entry > report.entry_cap:
            report.violate(
                ENTRY_SIZE, f"{report.max_entry_kind}: {report.max_entry} > {report.entry_cap}"
            )

        # alice -------------------------------------------------------------------------
        _check_alice(report, client, auth, alice_id, alice, alice_uris)
        if _database(database_state) != database_before:
            report.violate(DATABASE, "an anonymous message changed the database")
        # A change alice's subscriptions must see.
        Category.objects.create(name=f"fuzz-changed-{secrets.token_hex(4)}")
        _check_update(report, alice_id, alice_owner)
        for record in errors.records:
            report.violate(LOGGED, record)
    return report


def _database(database_state: Callable[[], Any]) -> Any:
    from django.contrib.auth.models import User
    from rest_framework.authtoken.models import Token

    return (database_state(), User.objects.count(), Token.objects.count())


def _alice_rpc(client: Any, message: dict[str, Any], **headers: Any) -> Any:
    return client.post(
        "/mcp/",
        data=json.dumps(message),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        **headers,
    )


def _alice_setup(client: Any, auth: dict[str, str], uris: list[str]) -> str:
    started = _alice_rpc(
        client,
        {
            "jsonrpc": "2.0",
            "id": 0,
            "method": "initialize",
            "params": {
                "protocolVersion": V2025,
                "capabilities": {},
                "clientInfo": {"name": "alice", "version": "1"},
            },
        },
        **auth,
    )
    assert started.status_code == 200, started.content
    session_id: str = started["Mcp-Session-Id"]
    headers = {"HTTP_MCP_SESSION_ID": session_id, "HTTP_MCP_PROTOCOL_VERSION": V2025, **auth}
    initialized = _alice_rpc(
        client, {"jsonrpc": "2.0", "method": "notifications/initialized"}, **headers
    )
    assert initialized.status_code == 202, initialized.content
    level = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "logging/setLevel",
        "params": {"level": ALICE_LEVEL},
    }
    answer = _alice_rpc(client, level, **headers)
    assert answer.status_code == 200 and answer.json().get("result") == {}, answer.content
    for number, uri in enumerate(uris, 2):
        message = {
            "jsonrpc": "2.0",
            "id": number,
            "method": "resources/subscribe",
            "params": {"uri": uri},
        }
        answer = _alice_rpc(client, message, **headers)
        assert answer.status_code == 200 and answer.json().get("result") == {}, answer.content
    return session_id


def _check_alice(
    report: Report, client: Any, auth: dict[str, str], alice_id: str, alice: Any, uris: list[str]
) -> None:
    from drf_mcp_bridge.core import sessions

    headers = {"HTTP_MCP_SESSION_ID": alice_id, "HTTP_MCP_PROTOCOL_VERSION": V2025, **auth}
    ping = _alice_rpc(client, {"jsonrpc": "2.0", "id": 99, "method": "ping"}, **headers)
    report.alice["ping"] = ping.status_code
    if ping.status_code != 200:
        report.violate(ALICE, f"her ping answered HTTP {ping.status_code}: {ping.content[:200]!r}")
    session = sessions.load(alice_id, sessions.owner_of(alice))
    if session is None:
        report.violate(ALICE, "her session no longer loads")
        return
    report.alice["log level"] = session.log_level
    report.alice["subscriptions"] = sorted(session.subscriptions)
    if session.log_level != ALICE_LEVEL:
        report.violate(ALICE, f"her log level is {session.log_level!r}, not {ALICE_LEVEL!r}")
    if sorted(session.subscriptions) != sorted(uris):
        report.violate(ALICE, f"her subscriptions are {sorted(session.subscriptions)}")
    stranger = client.delete("/mcp/", HTTP_MCP_SESSION_ID=alice_id)
    if stranger.status_code != 404:
        report.violate(FOREIGN_SESSION, f"an anonymous DELETE of alice's: {stranger.status_code}")


def _check_update(report: Report, alice_id: str, owner: str) -> None:
    from drf_mcp_bridge.core import sessions
    from drf_mcp_bridge.protocol import subscriptions

    session = sessions.load(alice_id, owner)
    if session is None:
        report.violate(ALICE, "her session no longer loads")
        return
    sent: list[dict[str, Any]] = []
    closed = threading.Event()

    def emit(message: dict[str, Any]) -> None:
        sent.append(message)
        closed.set()

    listener = subscriptions.SessionListener(session)
    subscriptions.relay(listener, emit, closed, time.monotonic() + 3.0, lambda uri: True)
    delivered = [m["params"]["uri"] for m in sent]
    report.alice["update delivered"] = delivered
    if delivered != ["drf://categories"]:
        report.violate(ALICE, f"a new category reached her as {delivered}, not drf://categories")


# The script --------------------------------------------------------------------------------


@contextlib.contextmanager
def cache_server(name: str) -> Iterator[Any]:
    """memcached or redis-server on a free 127.0.0.1 port while the block runs (None for
    locmem), started and stopped by tests/cache_servers.py's helpers."""
    if name == "locmem":
        yield None
        return
    from tests.cache_servers import CacheServer, _serve, _unprivileged_user

    binary_name = {"memcached": "memcached", "redis": "redis-server"}[name]
    binary = shutil.which(binary_name)
    if binary is None:
        raise SystemExit(f"{binary_name} is not installed (Debian package {binary_name})")
    with tempfile.TemporaryDirectory(prefix=f"drf-mcp-fuzz-{name}-") as directory:
        workdir = Path(directory)
        if name == "memcached":

            def command(port: int) -> list[str]:
                argv = [binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0", "-m", "256"]
                if os.geteuid() == 0:
                    argv += ["-u", _unprivileged_user()]
                return argv

            probe, expected = b"version\r\n", b"VERSION"
        else:

            def command(port: int) -> list[str]:
                return [
                    *(binary, "--port", str(port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--dir", str(workdir)),
                ]

            probe, expected = b"PING\r\n", b"+PONG"
        with _serve(name, command, probe, expected, workdir) as (process, port, log):
            location = f"127.0.0.1:{port}" if name == "memcached" else f"redis://127.0.0.1:{port}/0"
            yield CacheServer(name, port, location, process, log)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", choices=["locmem", "memcached", "redis"], default="locmem")
    parser.add_argument(
        "--state-write-limit", type=int, default=None, help="default: messages // 20"
    )
    parser.add_argument("--max-subscriptions", type=int, default=4)
    parser.add_argument(
        "--locmem-max-entries",
        type=int,
        default=100_000,
        help="LocMemCache MAX_ENTRIES (Django's default, 300, is below the bound of a "
        "10,000-message run: culling would evict alice's state)",
    )
    options = parser.parse_args(argv)

    sys.path[:0] = [str(ROOT / "bench")]
    from test_app import test_app

    with test_app(options.cache, options.locmem_max_entries):
        report = run_fuzz(
            options.messages,
            options.seed,
            options.state_write_limit,
            options.max_subscriptions,
            progress=lambda line: print(line, file=sys.stderr, flush=True),
        )
    print(report.table())
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
