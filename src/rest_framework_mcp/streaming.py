"""SSE answers: a call that reports progress, logs or asks the client for input answers as
a ``text/event-stream`` whose last event is the JSON-RPC response; a session's GET stream
carries resource-update notifications.

The call runs in its own thread and hands each message to the response iterator through
a queue, so notifications reach the client while the tool works, under WSGI (a blocking
iterator) and ASGI (an async iterator, so that the event loop is never blocked).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.http import HttpRequest, StreamingHttpResponse

from .jsonrpc import JSONRPCError, Message, dumps, error_response
from .types import INTERNAL_ERROR, REQUEST_CANCELLED

if TYPE_CHECKING:
    from .protocol import MCPServer, RequestContext

logger = logging.getLogger("rest_framework_mcp")

#: Seconds between keep-alive comments while a call is silent (proxies close idle streams).
KEEPALIVE_SECONDS = 15.0
#: How long a GET stream stays open before the client is told to reconnect.
GET_STREAM_SECONDS = 300.0
_DONE = object()


def event(message: dict[str, Any]) -> bytes:
    return b"event: message\ndata: " + dumps(message).encode() + b"\n\n"


def event_data(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """The ``data`` of each event of an SSE body, as the chunks arrive (comments and
    other fields skipped)."""
    buffer = b""
    for chunk in chunks:
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            data = [ln[6:] for ln in block.split(b"\n") if ln.startswith(b"data: ")]
            if data:
                yield b"\n".join(data)


def is_asgi(request: HttpRequest) -> bool:
    from django.core.handlers.asgi import ASGIRequest

    return isinstance(request, ASGIRequest)


def _stream_response(content: Any) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through unbuffered
    return response


def call_stream(
    server: MCPServer,
    message: Message,
    context: RequestContext,
    on_response: Callable[[dict[str, Any]], None] | None = None,
) -> StreamingHttpResponse:
    """Answer ``message`` as an SSE stream: notifications while it runs, then its response.
    A cancelled call ends the stream without a response, as the specification asks."""
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()
    context.emit = events.put
    closed = context.closed = threading.Event()

    def work() -> None:
        try:
            response = server.handle(message, context)
        except BaseException:  # the thread must always end the stream
            logger.exception("MCP call %s failed", message.method)
            response = error_response(
                message.id,
                JSONRPCError(INTERNAL_ERROR, "Internal error; the server log has details."),
            )
        finally:
            connections.close_all()  # this thread's own connections
        error = (response or {}).get("error")
        if isinstance(error, dict) and error.get("code") == REQUEST_CANCELLED:
            response = None
        if response is not None and on_response is not None:
            on_response(response)
        events.put(response)
        events.put(_DONE)

    threading.Thread(target=work, name=f"mcp-call-{message.id}", daemon=True).start()

    def wait() -> Any:
        try:
            return events.get(timeout=KEEPALIVE_SECONDS)
        except queue.Empty:
            return None

    def blocking() -> Iterator[bytes]:
        try:
            while True:
                item = wait()
                if item is _DONE:
                    return
                yield b": keep-alive\n\n" if item is None else event(item)
        finally:
            closed.set()  # ended, or closed by the client (a write failed)

    async def non_blocking() -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        try:
            while True:
                item = await loop.run_in_executor(None, wait)
                if item is _DONE:
                    return
                yield b": keep-alive\n\n" if item is None else event(item)
        finally:
            closed.set()

    return _stream_response(non_blocking() if is_asgi(context.http_request) else blocking())


def session_stream(request: HttpRequest, session_id: str) -> StreamingHttpResponse:
    """The GET stream of a session: its queued notifications (resource updates) as they
    come, for up to :data:`GET_STREAM_SECONDS`, then a close the client reconnects after."""
    from .subscriptions import take_events

    def chunks(pending: list[dict[str, Any]], idle: float) -> list[bytes]:
        if pending:
            return [event(m) for m in pending]
        return [b": keep-alive\n\n"] if idle >= KEEPALIVE_SECONDS else []

    def blocking() -> Iterator[bytes]:
        yield b"retry: 1000\n\n"
        started = last = time.monotonic()
        while time.monotonic() - started < GET_STREAM_SECONDS:
            out = chunks(take_events(session_id), time.monotonic() - last)
            if out:
                last = time.monotonic()
                yield from out
            time.sleep(0.1)

    async def non_blocking() -> AsyncIterator[bytes]:
        from asgiref.sync import sync_to_async

        yield b"retry: 1000\n\n"
        started = last = time.monotonic()
        while time.monotonic() - started < GET_STREAM_SECONDS:
            pending = await sync_to_async(take_events, thread_sensitive=False)(session_id)
            out = chunks(pending, time.monotonic() - last)
            if out:
                last = time.monotonic()
                for chunk in out:
                    yield chunk
            await asyncio.sleep(0.1)

    return _stream_response(non_blocking() if is_asgi(request) else blocking())
