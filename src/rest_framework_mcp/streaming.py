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


def thread_stream(
    request: HttpRequest,
    name: str,
    work: Callable[[Callable[[dict[str, Any]], None], threading.Event], dict[str, Any] | None],
    prefix: bytes = b"",
) -> StreamingHttpResponse:
    """An SSE answer fed by ``work(emit, closed)`` running in its own thread: each message
    it emits, then the message it returns (if any). ``closed`` is set when the stream ends
    or the client goes away (a write failed); silence is filled with keep-alive comments."""
    events: queue.SimpleQueue[Any] = queue.SimpleQueue()
    closed = threading.Event()

    def run() -> None:
        last = None
        try:
            last = work(events.put, closed)
        finally:
            connections.close_all()  # this thread's own connections
            if last is not None:
                events.put(last)
            events.put(_DONE)

    threading.Thread(target=run, name=name, daemon=True).start()

    def wait() -> Any:
        try:
            return events.get(timeout=KEEPALIVE_SECONDS)
        except queue.Empty:
            return None

    def blocking() -> Iterator[bytes]:
        try:
            if prefix:
                yield prefix
            while (item := wait()) is not _DONE:
                yield b": keep-alive\n\n" if item is None else event(item)
        finally:
            closed.set()

    async def non_blocking() -> AsyncIterator[bytes]:
        loop = asyncio.get_running_loop()
        try:
            if prefix:
                yield prefix
            while (item := await loop.run_in_executor(None, wait)) is not _DONE:
                yield b": keep-alive\n\n" if item is None else event(item)
        finally:
            closed.set()

    return _stream_response(non_blocking() if is_asgi(request) else blocking())


def call_stream(
    server: MCPServer, message: Message, context: RequestContext
) -> StreamingHttpResponse:
    """Answer ``message`` as an SSE stream: notifications while it runs, then its response.
    A cancelled call ends the stream without a response, as the specification asks."""

    def work(
        emit: Callable[[dict[str, Any]], None], closed: threading.Event
    ) -> dict[str, Any] | None:
        context.emit, context.closed = emit, closed
        try:
            response = server.handle(message, context)
        except BaseException:  # the thread must always end the stream
            logger.exception("MCP call %s failed", message.method)
            response = error_response(
                message.id,
                JSONRPCError(INTERNAL_ERROR, "Internal error; the server log has details."),
            )
        error = (response or {}).get("error")
        if isinstance(error, dict) and error.get("code") == REQUEST_CANCELLED:
            return None
        return response

    return thread_stream(context.http_request, f"mcp-call-{message.id}", work)


def session_stream(
    request: HttpRequest, session: Any, may_read: Callable[[str], bool]
) -> StreamingHttpResponse:
    """The GET stream of a session: updates of the resources it subscribed to (those
    ``may_read`` still allows) as they come, for up to :data:`GET_STREAM_SECONDS`, then a
    close the client reconnects after."""
    from .subscriptions import SessionListener, relay

    def work(emit: Callable[[dict[str, Any]], None], closed: threading.Event) -> None:
        until = time.monotonic() + GET_STREAM_SECONDS
        relay(SessionListener(session), emit, closed, until, may_read)

    return thread_stream(request, "mcp-session-stream", work, prefix=b"retry: 1000\n\n")
