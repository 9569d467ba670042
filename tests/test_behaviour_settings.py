"""The behaviour constants that became settings: each changes what it names, is read at
use time (so override_settings works), and a wrong value is reported by check E015."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from django.core.cache import caches
from django.test import Client

from drf_mcp_bridge import mcp_prompt
from drf_mcp_bridge.catalogue.prompts import unregister_prompt
from drf_mcp_bridge.conf.settings import DEFAULTS
from drf_mcp_bridge.protocol import subscriptions
from drf_mcp_bridge.test import MCPClient
from drf_mcp_bridge.transport import streaming
from tests.conftest import rpc
from tests.test_stream_limits import Open, listen, wait_until
from tests.test_streaming import _initialize

NEW = {
    "STREAM_KEEPALIVE_SECONDS": 15.0,
    "STREAM_RETRY_AFTER_SECONDS": 30,
    "SUBSCRIPTION_POLL_SECONDS": 0.2,
    "MAX_COMPLETION_VALUES": 100,
    "RESULT_RENDERER": "drf_mcp_bridge.invocation.renderers.ResultRenderer",
}


def configure(settings: Any, **values: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **values}


def test_the_defaults_are_the_former_constants() -> None:
    assert {name: DEFAULTS[name] for name in NEW} == NEW


# completion ------------------------------------------------------------------------------


@pytest.fixture
def colours() -> Iterator[None]:
    @mcp_prompt(arguments={"colour": "a colour"}, complete={"colour": list("abcde")})
    def paint(colour: str) -> str:
        return f"Paint it {colour}."

    yield
    unregister_prompt("paint")


@pytest.mark.django_db
@pytest.mark.usefixtures("colours")
def test_max_completion_values_caps_an_answer(settings: Any) -> None:
    def complete() -> dict[str, Any]:
        ref = {"type": "ref/prompt", "name": "paint"}
        answer = MCPClient().request_mcp(
            "completion/complete", {"ref": ref, "argument": {"name": "colour", "value": ""}}
        )
        completion: dict[str, Any] = answer["completion"]
        return completion

    assert complete() == {"values": list("abcde"), "hasMore": False, "total": 5}
    configure(settings, MAX_COMPLETION_VALUES=2)
    assert complete() == {"values": ["a", "b"], "hasMore": True}
    configure(settings, MAX_COMPLETION_VALUES=5)
    assert complete() == {"values": list("abcde"), "hasMore": False, "total": 5}


# subscriptions ---------------------------------------------------------------------------


class Recorded(threading.Event):
    """A ``closed`` event that records how long the relay waits, and ends it."""

    def __init__(self) -> None:
        super().__init__()
        self.waits: list[float | None] = []

    def wait(self, timeout: float | None = None) -> bool:
        self.waits.append(timeout)
        self.set()
        return True


@pytest.mark.django_db
def test_subscription_poll_seconds_is_the_relays_wait(settings: Any) -> None:
    def waits() -> list[float | None]:
        closed = Recorded()
        listener = subscriptions.FixedListener({})
        subscriptions.relay(listener, lambda m: None, closed, time.monotonic() + 60, bool)
        return closed.waits

    assert waits() == [0.2]
    configure(settings, SUBSCRIPTION_POLL_SECONDS=0.05)
    assert waits() == [0.05]


# streams ---------------------------------------------------------------------------------


@pytest.fixture
def streams(settings: Any) -> Iterator[None]:
    configure(
        settings,
        SESSIONS=True,
        SUBSCRIPTIONS=True,
        ANONYMOUS_SUBSCRIPTIONS=True,
        MAX_STREAMS_PER_CALLER=1,
        LISTEN_STREAM_SECONDS=3,
        GET_STREAM_SECONDS=3,
    )
    caches["default"].clear()
    yield
    assert wait_until(lambda: streaming.slots.open() == 0, timeout=10)
    caches["default"].clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("streams")
def test_stream_keepalive_seconds_sets_the_keep_alive_comments(
    settings: Any, client: Client
) -> None:
    configure(settings, STREAM_KEEPALIVE_SECONDS=0.05)
    response = listen(client)
    chunks = iter(response.streaming_content)
    try:
        for chunk in chunks:
            if b"notifications/subscriptions/acknowledged" in chunk:
                break
        # Nothing happens: the next thing sent, long before the stream's end (3 s), is a
        # keep-alive comment; at the default (15 s) it would be the end of the stream.
        assert next(chunks) == b": keep-alive\n\n"
    finally:
        response.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("streams")
def test_stream_retry_after_seconds_is_the_retry_after_of_a_refused_get_stream(
    settings: Any, client: Client
) -> None:
    configure(settings, STREAM_RETRY_AFTER_SECONDS=2.5)
    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    stream = {"HTTP_MCP_SESSION_ID": session, "HTTP_ACCEPT": "text/event-stream"}
    held = Open(client.get("/mcp/", **stream), first=False)
    try:
        busy = client.get("/mcp/", **stream)
        assert busy.status_code == 429
        assert busy["Retry-After"] == "3"  # whole seconds, rounded up
        assert streaming.retry_after_seconds() == 3
    finally:
        held.close()


# checks ----------------------------------------------------------------------------------


def test_wrong_values_are_reported_by_e015(settings: Any) -> None:
    def e015(**values: Any) -> list[str]:
        settings.REST_FRAMEWORK_MCP = values
        return [str(m.msg) for m in checks.run_checks() if m.id == "drf_mcp_bridge.E015"]

    fine = {
        "STREAM_KEEPALIVE_SECONDS": 5,
        "STREAM_RETRY_AFTER_SECONDS": 1.5,
        "SUBSCRIPTION_POLL_SECONDS": 0.05,
        "MAX_COMPLETION_VALUES": 100,
    }
    assert e015(**fine) == []
    assert e015(
        STREAM_KEEPALIVE_SECONDS=-1,
        STREAM_RETRY_AFTER_SECONDS=0,
        SUBSCRIPTION_POLL_SECONDS="fast",
        MAX_COMPLETION_VALUES=0,
    ) == [
        "REST_FRAMEWORK_MCP['STREAM_KEEPALIVE_SECONDS'] must be a number of seconds over 0, "
        "got -1.",
        "REST_FRAMEWORK_MCP['STREAM_RETRY_AFTER_SECONDS'] must be a number of seconds over 0, "
        "got 0.",
        "REST_FRAMEWORK_MCP['SUBSCRIPTION_POLL_SECONDS'] must be a number of seconds over 0, "
        "got 'fast'.",
        "REST_FRAMEWORK_MCP['MAX_COMPLETION_VALUES'] must be an integer of at least 1, got 0.",
    ]
    assert e015(MAX_COMPLETION_VALUES=101, SUBSCRIPTION_POLL_SECONDS=True) == [
        "REST_FRAMEWORK_MCP['MAX_COMPLETION_VALUES'] must be an integer from 1 to 100, got 101.",
        "REST_FRAMEWORK_MCP['SUBSCRIPTION_POLL_SECONDS'] must be a number of seconds over 0, "
        "got True.",
    ]
