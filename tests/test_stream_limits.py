"""What SSE streams may cost a server (security finding 10): per-process caps in all and
per caller, what is answered over them (plain JSON for a tool call, HTTP 429 for a GET
stream, a JSON-RPC error for subscriptions/listen), lifetimes from the settings, refusal on
sync workers, slots released however a stream ends, streams ended when the server stops,
and ASGI streams that wait on the event loop instead of an executor thread each.

The streams run in their own threads, so these tests use committed data (transactional_db).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.test import AsyncClient, Client
from rest_framework.authtoken.models import Token

from drf_mcp_bridge import CallContext, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.core.context import Caller
from drf_mcp_bridge.transport import streaming
from drf_mcp_bridge.transport.streaming import StreamSlots, TooManyStreams, event_data
from tests.conftest import rpc, tool_call
from tests.test_protocol_2026 import META, V, modern
from tests.test_streaming import _initialize, events

pytestmark = pytest.mark.django_db(transaction=True)

LISTEN = {"notifications": {"resourceSubscriptions": ["drf://categories"]}}


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@pytest.fixture(autouse=True)
def limits(settings: Any) -> Iterator[None]:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "SESSIONS": True,
        "SUBSCRIPTIONS": True,
        "ANONYMOUS_SUBSCRIPTIONS": True,
        "MAX_STREAMS": 3,
        "MAX_STREAMS_PER_CALLER": 2,
        "LISTEN_STREAM_SECONDS": 5,
        "GET_STREAM_SECONDS": 5,
    }
    caches["default"].clear()
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT)}
    yield
    # Every stream a test opened has ended and given its slot back.
    assert wait_until(lambda: streaming.slots.open() == 0, timeout=10)
    streaming.slots.stopping = False
    for signum, handler in handlers.items():  # a stream in the main thread chains them
        signal.signal(signum, handler)
    caches["default"].clear()


@pytest.fixture
def counting() -> Iterator[None]:
    @mcp_tool(name="counting")
    def counting_tool(steps: int, mcp: CallContext) -> str:
        for step in range(steps):
            mcp.progress(step + 1, steps)
        return f"counted {steps}"

    @mcp_tool(name="asks")
    def asks(mcp: CallContext) -> str:
        return str(mcp.elicit("Sure?", {"type": "object", "properties": {}}))

    @mcp_tool(name="open_streams")
    def open_streams(mcp: CallContext) -> str:
        return str(streaming.slots.open())

    yield
    for name in ("counting", "asks", "open_streams"):
        registry.unregister(name)


def auth(user: User) -> dict[str, str]:
    key = Token.objects.get_or_create(user=user)[0].key
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def listen(client: Client, **headers: Any) -> Any:
    return modern(client, "subscriptions/listen", LISTEN, **headers)


class Open:
    """An open listen (or GET) stream, its acknowledgment (or first event) read."""

    def __init__(self, response: Any, first: bool = True) -> None:
        assert response["Content-Type"] == "text/event-stream", response.content
        self.response = response
        self.events = events(response)
        if first:
            assert next(self.events)["method"] == "notifications/subscriptions/acknowledged"

    def close(self) -> None:
        self.response.close()


def progress_call(client: Client, **headers: Any) -> Any:
    message = tool_call("counting", {"steps": 2})
    message["params"]["_meta"] = {"progressToken": "p"}
    return rpc(client, message, **headers)


def test_listen_streams_are_capped_per_caller(client: Client, alice: User, bob: User) -> None:
    held = [Open(listen(client, **auth(alice))) for _ in range(2)]
    assert streaming.slots.open() == 2
    refused = listen(client, **auth(alice))
    assert refused.status_code == 200
    assert refused["Content-Type"] == "application/json"
    body = refused.json()
    assert body["id"] == 7
    assert body["error"]["code"] == streaming.STREAM_REFUSED == -32000
    assert "MAX_STREAMS_PER_CALLER" in body["error"]["message"]
    held.append(Open(listen(client, **auth(bob))))  # another caller still may
    assert streaming.slots.open() == 3
    for stream in held:
        stream.close()


def test_the_process_cap_counts_every_caller(client: Client, alice: User, bob: User) -> None:
    held = [Open(listen(client, **auth(alice))) for _ in range(2)]
    held.append(Open(listen(client, **auth(bob))))
    # An anonymous caller counts by its address, and the process has its most open.
    refused = listen(client).json()["error"]
    assert refused["code"] == -32000
    assert "MAX_STREAMS'" in refused["message"]
    held.pop().close()
    assert wait_until(lambda: streaming.slots.open() == 2)
    held.append(Open(listen(client)))
    for stream in held:
        stream.close()


def test_a_tool_call_over_the_caps_answers_as_plain_json(
    client: Client, alice: User, counting: None
) -> None:
    streamed = progress_call(client, **auth(alice))
    assert streamed["Content-Type"] == "text/event-stream"
    received = list(events(streamed))
    assert [m.get("method") for m in received] == [
        "notifications/progress",
        "notifications/progress",
        None,
    ]
    held = [Open(listen(client, **auth(alice))) for _ in range(2)]
    plain = progress_call(client, **auth(alice))
    # The call still runs; only its notifications are not sent.
    assert plain["Content-Type"] == "application/json"
    assert plain.json()["result"]["content"][0]["text"] == "counted 2"
    # A 2025 tool that asks the client for input needs the stream: a tool error says so.
    asking = rpc(client, tool_call("asks", {}), **auth(alice)).json()["result"]
    assert asking["isError"] is True
    assert "needs an SSE answer" in asking["content"][0]["text"]
    for stream in held:
        stream.close()


def test_a_tool_call_stream_holds_a_slot_while_it_runs(client: Client, counting: None) -> None:
    response = rpc(
        client,
        {
            "jsonrpc": "2.0",
            "id": 4,
            "method": "tools/call",
            "params": {"name": "open_streams", "arguments": {}, "_meta": {"progressToken": 1}},
        },
    )
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Accel-Buffering"] == "no"  # nginx passes the events on unbuffered
    assert list(events(response))[-1]["result"]["content"][0]["text"] == "1"


def test_a_get_stream_over_the_caps_is_429_with_retry_after(client: Client) -> None:
    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    stream = {"HTTP_MCP_SESSION_ID": session, "HTTP_ACCEPT": "text/event-stream"}
    # The caller is the session (and its credentials): two GET streams are its most.
    held = [Open(client.get("/mcp/", **stream), first=False) for _ in range(2)]
    busy = client.get("/mcp/", **stream)
    assert busy.status_code == 429
    assert busy["Retry-After"] == str(streaming.retry_after_seconds()) == "30"
    error = busy.json()
    assert error["id"] is None
    assert error["error"]["code"] == -32600
    assert "MAX_STREAMS_PER_CALLER" in error["error"]["message"]
    for opened in held:
        opened.close()


def test_lifetimes_come_from_the_settings(client: Client, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "LISTEN_STREAM_SECONDS": 0.4,
        "GET_STREAM_SECONDS": 0.3,
    }
    started = time.monotonic()
    received = list(events(listen(client)))
    took = time.monotonic() - started
    assert 0.4 <= took < 4, took
    # Ended gracefully: the acknowledgment, then the listen request's result.
    assert received[0]["method"] == "notifications/subscriptions/acknowledged"
    assert received[-1]["id"] == 7 and "result" in received[-1]

    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    started = time.monotonic()
    get = client.get("/mcp/", HTTP_MCP_SESSION_ID=session, HTTP_ACCEPT="text/event-stream")
    assert list(events(get)) == []
    took = time.monotonic() - started
    assert 0.3 <= took < 4, took


def test_a_slot_is_released_when_the_client_goes_away(client: Client) -> None:
    stream = Open(listen(client))
    assert streaming.slots.open() == 1
    stream.close()  # what a server does once a write to a gone client fails
    assert wait_until(lambda: streaming.slots.open() == 0, timeout=3)


def test_a_slot_is_released_when_a_stream_was_never_read(client: Client) -> None:
    response = listen(client)
    assert streaming.slots.open() == 1
    response.close()  # Django closes every response, iterated or not
    assert wait_until(lambda: streaming.slots.open() == 0, timeout=3)


def test_a_slot_is_released_when_the_stream_fails(rf: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(threading, "excepthook", lambda args: None)  # the failure below
    request = rf.get("/mcp/")
    slot = streaming.reserve(Caller(request))

    def work(emit: Callable[[dict[str, Any]], None], closed: threading.Event) -> None:
        emit({"jsonrpc": "2.0", "method": "notifications/message", "params": {}})
        raise RuntimeError("the relay failed")

    response = streaming.thread_stream(request, "failing", work, slot=slot, long_lived=True)
    assert [json.loads(d)["method"] for d in event_data(response.streaming_content)] == [
        "notifications/message"
    ]
    assert wait_until(lambda: slot.released)
    assert streaming.slots.open() == 0


def test_a_slot_is_released_when_a_tool_call_fails(client: Client) -> None:
    @mcp_tool(name="breaks")
    def breaks(mcp: CallContext) -> str:
        mcp.progress(1)
        raise RuntimeError("boom")

    try:
        response = rpc(
            client,
            {
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {"name": "breaks", "arguments": {}, "_meta": {"progressToken": 1}},
            },
        )
        assert response["Content-Type"] == "text/event-stream"
        assert list(events(response))[-1]["id"] == 3
    finally:
        registry.unregister("breaks")
    assert wait_until(lambda: streaming.slots.open() == 0)


def test_sync_workers_refuse_long_lived_streams(
    client: Client, settings: Any, counting: None, caplog: Any, monkeypatch: Any
) -> None:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "STREAMS_ON_SYNC_WORKERS": False,
    }
    monkeypatch.setattr(streaming, "_warned_sync_worker", False)
    # Django's test client reports wsgi.multithread False, as gunicorn's sync workers do.
    refused = listen(client).json()
    assert refused["id"] == 7
    assert refused["error"]["code"] == -32000
    message = refused["error"]["message"]
    assert "gunicorn --threads" in message and "ASGI" in message
    assert "STREAMS_ON_SYNC_WORKERS" in message
    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    get = client.get("/mcp/", HTTP_MCP_SESSION_ID=session, HTTP_ACCEPT="text/event-stream")
    # "the server MUST either return Content-Type: text/event-stream ... or else return
    # HTTP 405": it does not offer the stream.
    assert get.status_code == 405
    assert get["Allow"] == "POST, DELETE"
    assert get.json()["error"]["message"] == message
    assert streaming.slots.open() == 0
    # The server log says so, once.
    warnings = [r for r in caplog.records if r.name == "drf_mcp_bridge"]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"
    assert "gunicorn --threads" in warnings[0].getMessage()
    # A tool call's stream lasts as long as the call: it still streams there.
    streamed = progress_call(client)
    assert streamed["Content-Type"] == "text/event-stream"
    assert list(events(streamed))[-1]["result"]["content"][0]["text"] == "counted 2"
    # A threaded WSGI server (gthread, runserver) says so, and gets the stream.
    threaded = Open(listen(client, **{"wsgi.multithread": True}))
    threaded.close()


def test_end_streams_ends_the_long_lived_streams_gracefully(
    client: Client, alice: User, counting: None
) -> None:
    stream = Open(listen(client, **auth(alice)))
    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    get = client.get("/mcp/", HTTP_MCP_SESSION_ID=session, HTTP_ACCEPT="text/event-stream")
    started = time.monotonic()
    assert streaming.end_streams() == 2
    rest = list(stream.events)
    assert list(events(get)) == []  # closed: its client reconnects
    assert time.monotonic() - started < 3
    assert rest[-1]["id"] == 7 and "result" in rest[-1]
    # While the server stops, a new long-lived stream ends at once, gracefully too.
    assert list(events(listen(client)))[-1]["id"] == 7
    # Tool calls are not cut short.
    final = list(events(progress_call(client)))[-1]
    assert final["result"]["content"][0]["text"] == "counted 2"


def test_a_stop_signal_ends_the_long_lived_streams(client: Client) -> None:
    seen: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
    assert streaming.end_streams_on_signals() is True
    assert streaming.end_streams_on_signals() is True  # chained once, not twice
    stream = Open(listen(client))
    os.kill(os.getpid(), signal.SIGTERM)
    rest = list(stream.events)
    assert rest[-1]["id"] == 7 and "result" in rest[-1]
    # The handler that was in place (the server's own) ran too, once.
    assert seen == [signal.SIGTERM]
    # Only the main thread may set signal handlers.
    elsewhere: list[bool] = []
    thread = threading.Thread(target=lambda: elsewhere.append(streaming.end_streams_on_signals()))
    thread.start()
    thread.join(5)
    assert elsewhere == [False]


def test_gunicorn_workers_end_their_streams_when_told_to_stop() -> None:
    class Worker:  # stands for gunicorn.workers.gthread.ThreadWorker
        def handle_exit(self, signum: int, frame: Any) -> None:
            pass

    Worker.__module__ = "gunicorn.workers.gthread"
    worker = Worker()
    signal.signal(signal.SIGTERM, worker.handle_exit)
    assert streaming.end_streams_when_gunicorn_stops() is True
    handler = signal.getsignal(signal.SIGTERM)
    assert isinstance(handler, streaming._EndStreams)
    assert handler.previous == worker.handle_exit
    # In any other process (here: no gunicorn worker's handler) nothing changes.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    assert streaming.end_streams_when_gunicorn_stops() is False
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_the_docs_gunicorn_hook_is_the_one_the_interop_tests_run() -> None:
    from tests.interop import gunicorn_hooks
    from tests.test_docs_examples import python_blocks, run_block

    (hook,) = python_blocks("deployment.md")
    documented = run_block(hook)
    assert documented["preload_app"] is gunicorn_hooks.preload_app is True
    for config in (documented, vars(gunicorn_hooks)):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        config["post_worker_init"](None)
        assert isinstance(signal.getsignal(signal.SIGTERM), streaming._EndStreams)


def test_the_settings_page_gives_the_stream_settings_defaults() -> None:
    from pathlib import Path

    from drf_mcp_bridge.conf.settings import DEFAULTS

    page = (Path(__file__).resolve().parent.parent / "docs" / "settings.md").read_text()
    for name in (
        "MAX_STREAMS",
        "MAX_STREAMS_PER_CALLER",
        "GET_STREAM_SECONDS",
        "LISTEN_STREAM_SECONDS",
        "STREAMS_ON_SYNC_WORKERS",
    ):
        assert f"| `{name}` | `{DEFAULTS[name]}` |" in page, name


def test_the_caller_is_the_credentials_else_the_address(rf: Any) -> None:
    from drf_mcp_bridge.invocation.calls import caller_key

    anonymous = rf.get("/mcp/", REMOTE_ADDR="10.0.0.7")
    assert streaming.caller_of(Caller(anonymous)) == "addr:10.0.0.7"
    signed_in = rf.get("/mcp/", REMOTE_ADDR="10.0.0.7", HTTP_AUTHORIZATION="Token abc")
    assert streaming.caller_of(Caller(signed_in)) == caller_key(signed_in) != "addr:10.0.0.7"
    # A session id the client names counts for nothing here (it could vary it at will).
    named = rf.get("/mcp/", REMOTE_ADDR="10.0.0.7", HTTP_MCP_SESSION_ID="s" * 30)
    assert streaming.caller_of(Caller(named)) == "addr:10.0.0.7"


def test_slots_are_counted_under_a_lock(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "MAX_STREAMS": 5,
        "MAX_STREAMS_PER_CALLER": 100,
    }
    slots = StreamSlots()
    start = threading.Barrier(20)
    taken: list[Any] = []
    refused: list[str] = []

    def take(caller: str) -> None:
        start.wait(5)
        try:
            taken.append(slots.reserve(caller))
        except TooManyStreams as full:
            refused.append(str(full))

    threads = [threading.Thread(target=take, args=(f"c{i % 3}",)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(taken) == 5 and len(refused) == 15
    for slot in taken:
        slot.release()
        slot.release()  # idempotent
    assert slots.open() == 0 and slots.open("c0") == 0


# ASGI ---------------------------------------------------------------------------------


class Reader:
    """Reads an async SSE body in a task of its own, as Django's ASGI handler does; when
    the client goes away, the handler cancels that task."""

    def __init__(self, response: Any) -> None:
        assert response["Content-Type"] == "text/event-stream"
        assert response.is_async
        self.seen = b""
        self.task = asyncio.ensure_future(self.read(response))

    async def read(self, response: Any) -> None:
        async for chunk in response.streaming_content:
            self.seen += chunk

    async def wait_for(self, text: bytes, timeout: float = 5.0) -> bytes:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert not self.task.done() and time.monotonic() < deadline, self.seen
            await asyncio.sleep(0.01)
        return self.seen

    async def client_gone(self) -> None:
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


async def _alisten(client: AsyncClient, request_id: int) -> Reader:
    response = await client.post(
        "/mcp/",
        json.dumps(
            {
                "jsonrpc": "2.0",
                "id": request_id,
                "method": "subscriptions/listen",
                "params": {"_meta": dict(META), **LISTEN},
            }
        ),
        content_type="application/json",
        headers={
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": V,
            "Mcp-Method": "subscriptions/listen",
        },
    )
    reader = Reader(response)
    await reader.wait_for(b"acknowledged")
    return reader


def test_asgi_streams_wait_on_the_event_loop(settings: Any, counting: None) -> None:
    """More idle listen streams than the event loop's default executor has threads, then a
    streamed tool call: every stream is acknowledged and the call answered at once. When
    each stream waited in an executor thread, the streams past the executor's size got
    nothing until an earlier one ended, and the call waited as long."""
    idle = min(32, (os.cpu_count() or 1) + 4) + 2
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "MAX_STREAMS": idle + 1,
        "MAX_STREAMS_PER_CALLER": idle + 1,
    }

    async def scenario() -> float:
        client = AsyncClient()
        held = [await _alisten(client, i) for i in range(idle)]
        assert streaming.slots.open() == idle
        started = time.monotonic()
        message = tool_call("counting", {"steps": 3})
        message["params"]["_meta"] = {"progressToken": "p"}
        response = await client.post(
            "/mcp/",
            json.dumps(message),
            content_type="application/json",
            headers={"Accept": "application/json, text/event-stream"},
        )
        body = await Reader(response).wait_for(b"counted 3")
        took = time.monotonic() - started
        assert body.count(b"notifications/progress") == 3
        for reader in held:
            await reader.client_gone()
        return took

    took = asyncio.run(scenario())
    print(f"streamed tool call beside {idle} idle ASGI streams: {took:.3f} s")
    assert took < 2, took


def test_asgi_streams_send_keep_alives_and_end_when_the_client_goes(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "STREAM_KEEPALIVE_SECONDS": 0.1}

    async def scenario() -> None:
        reader = await _alisten(AsyncClient(), 1)
        await reader.wait_for(b": keep-alive\n\n", timeout=3)
        assert streaming.slots.open() == 1
        await reader.client_gone()

    asyncio.run(scenario())
    assert wait_until(lambda: streaming.slots.open() == 0, timeout=3)
