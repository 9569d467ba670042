"""SSE answers: a call that reports progress, logs or asks the client for input answers as
a ``text/event-stream`` whose last event is the JSON-RPC response; a session's GET stream
carries resource-update notifications.

The call runs in its own thread and hands each message to the response iterator through
a queue, so notifications reach the client while the tool works, under WSGI (a blocking
iterator) and ASGI (an async iterator the thread wakes with ``call_soon_threadsafe``, so
the event loop is never blocked and no executor thread waits for it).

Each open stream costs a thread (under a WSGI server without threads, a whole worker
process): :data:`slots` counts them per process, in all (``MAX_STREAMS``) and per caller
(``MAX_STREAMS_PER_CALLER``). The long-lived ones, a session's GET stream and
``subscriptions/listen``, end after their lifetime (``GET_STREAM_SECONDS``,
``LISTEN_STREAM_SECONDS``) or when the server stops (:func:`end_streams`), and are refused
on servers without threads unless ``STREAMS_ON_SYNC_WORKERS``. See docs/deployment.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import queue
import signal
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from types import FrameType
from typing import TYPE_CHECKING, Any

from django.db import connections
from django.http import HttpRequest, StreamingHttpResponse

from ..catalogue import discovery
from ..conf.settings import mcp_settings
from ..core.jsonrpc import JSONRPCError, Message, dumps, error_response
from ..core.state import digest
from ..core.types import INTERNAL_ERROR, REQUEST_CANCELLED
from ..protocol.subscriptions import SessionListener, deadline, relay

if TYPE_CHECKING:
    from ..core.context import Caller, Dispatcher, RequestContext
    from ..core.sessions import Session

logger = logging.getLogger("drf_mcp_bridge")


def retry_after_seconds() -> int:
    """STREAM_RETRY_AFTER_SECONDS as a Retry-After value: whole seconds, rounded up."""
    return math.ceil(float(mcp_settings.STREAM_RETRY_AFTER_SECONDS))


#: JSON-RPC error code of a refused ``subscriptions/listen`` stream (server-defined range).
STREAM_REFUSED = -32000
_DONE = object()


class TooManyStreams(Exception):
    """No stream may open now: the process or the caller has its most open (the message
    says which, and names the setting)."""


class Slot:
    """A place among the open streams, held until :meth:`release` (which is idempotent)."""

    def __init__(self, slots: StreamSlots, caller: str) -> None:
        self.slots = slots
        self.caller = caller
        self.released = False

    def release(self) -> None:
        self.slots.release(self)


class StreamSlots:
    """The open SSE streams of this process: counted in all and per caller (under a lock;
    :meth:`reserve` refuses past ``MAX_STREAMS`` or ``MAX_STREAMS_PER_CALLER``), and the
    ``closed`` events of the long-lived ones, which :meth:`stop` sets."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._total = 0
        self._per_caller: dict[str, int] = {}
        self._long_lived: set[threading.Event] = set()
        #: Set by :meth:`stop`: long-lived streams opened from then on end at once.
        self.stopping = False

    def reserve(self, caller: str) -> Slot:
        """A slot for one more stream of ``caller``; raises :class:`TooManyStreams`."""
        most = int(mcp_settings.MAX_STREAMS)
        most_per_caller = int(mcp_settings.MAX_STREAMS_PER_CALLER)
        with self._lock:
            if self._total >= most:
                raise TooManyStreams(
                    f"This server has {self._total} SSE streams open, the most it allows "
                    "(REST_FRAMEWORK_MCP['MAX_STREAMS']); try again later."
                )
            held = self._per_caller.get(caller, 0)
            if held >= most_per_caller:
                raise TooManyStreams(
                    f"This caller has {held} SSE streams open, the most allowed "
                    "(REST_FRAMEWORK_MCP['MAX_STREAMS_PER_CALLER']); close one first."
                )
            self._total += 1
            self._per_caller[caller] = held + 1
        return Slot(self, caller)

    def release(self, slot: Slot) -> None:
        with self._lock:
            if slot.released:
                return
            slot.released = True
            self._total -= 1
            left = self._per_caller[slot.caller] - 1
            if left:
                self._per_caller[slot.caller] = left
            else:
                del self._per_caller[slot.caller]

    def open(self, caller: str | None = None) -> int:
        """How many streams are open (those of ``caller`` when given)."""
        with self._lock:
            return self._total if caller is None else self._per_caller.get(caller, 0)

    def follow(self, closed: threading.Event) -> None:
        """Make a long-lived stream end (``closed`` set) when the server stops."""
        with self._lock:
            if not self.stopping:
                self._long_lived.add(closed)
                return
        closed.set()

    def forget(self, closed: threading.Event) -> None:
        with self._lock:
            self._long_lived.discard(closed)

    def stop(self) -> int:
        """End every long-lived stream, and those opened later; how many were open."""
        with self._lock:
            self.stopping = True
            ending = list(self._long_lived)
        for closed in ending:
            closed.set()
        return len(ending)


#: This process's streams.
slots = StreamSlots()


def streams_answer(server: Any, message: Message) -> bool:
    """Whether ``message`` is answered with notifications while it runs, where the
    transport can carry them: ``subscriptions/listen`` (when ``SUBSCRIPTIONS`` is on), and a
    ``tools/call`` that asked for progress or whose tool sends notifications or asks for
    input (unless ``STREAMING`` is "never")."""
    if message.method == "subscriptions/listen":
        return bool(mcp_settings.SUBSCRIPTIONS)  # off: answered (refused) as plain JSON
    if message.method != "tools/call" or mcp_settings.STREAMING == "never":
        return False
    meta = message.params.get("_meta")
    if isinstance(meta, dict) and meta.get("progressToken") is not None:
        return True
    name = message.params.get("name")
    arguments = message.params.get("arguments")
    if name == discovery.CALL and mcp_settings.TOOL_DISCOVERY and isinstance(arguments, dict):
        name = arguments.get("name")  # discovery mode: the tool it calls decides
    tool = server.registry.get_tool(name) if isinstance(name, str) else None
    return bool(getattr(tool, "streams", False))


def caller_of(caller: Caller, session: Session | None = None) -> str:
    """Who a stream counts against: the caller's credentials (see
    :attr:`~drf_mcp_bridge.core.context.Caller.credentials`), else the live session the
    request was found to belong to (a header naming no session counts for nothing: a client
    could vary it at will), else the client's address (``REMOTE_ADDR``). Anonymous callers
    can open sessions freely, so for them ``MAX_STREAMS`` is the bound that holds."""
    key = caller.credentials
    if key is None and session is not None:
        key = "session:" + digest(session.id)
    return key if key is not None else "addr:" + str(caller.request.META.get("REMOTE_ADDR", ""))


def reserve(caller: Caller, session: Session | None = None) -> Slot:
    """A slot for a stream answering ``caller``; raises :class:`TooManyStreams`."""
    return slots.reserve(caller_of(caller, session))


def end_streams() -> int:
    """End this process's long-lived streams (session GET streams, ``subscriptions/listen``)
    gracefully now, and those opened later: a listen stream gets its result, a GET stream
    closes (its client reconnects). For a server that stops; how many were open. Tool-call
    streams are left to finish with their call."""
    return slots.stop()


class _StopWatcher:
    """A thread that calls :func:`end_streams` whenever :meth:`request` is called: a signal
    handler must not take locks the code it interrupted may hold (the streams' counts, a
    thread start), so it only sets an Event that nothing else touches."""

    def __init__(self) -> None:
        self.requested = threading.Event()
        self.pid = os.getpid()
        threading.Thread(target=self.watch, name="mcp-end-streams", daemon=True).start()

    def watch(self) -> None:
        while True:
            self.requested.wait()
            self.requested.clear()
            end_streams()

    def request(self) -> None:
        self.requested.set()


_watcher: _StopWatcher | None = None


class _EndStreams:
    """A signal handler: :func:`end_streams` (by the watcher thread), then what the handler
    it replaced did."""

    def __init__(self, previous: Any) -> None:
        self.previous = previous

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if _watcher is not None:
            _watcher.request()
        if callable(self.previous):
            self.previous(signum, frame)
        elif self.previous == signal.SIG_DFL:  # the default action: the process ends
            signal.signal(signum, signal.SIG_DFL)
            signal.raise_signal(signum)


def end_streams_on_signals() -> bool:
    """Call :func:`end_streams` when this process gets SIGTERM or SIGINT (a server stopping),
    before the handler in place (the server's own) runs. Only the main thread may set signal
    handlers: False in any other. The streams call it themselves when they run in the main
    thread (ASGI servers, sync workers), and :func:`end_streams_when_gunicorn_stops` in
    gunicorn workers; with an app preloaded in gunicorn's arbiter, call it from a
    ``post_worker_init`` hook (docs/deployment.md)."""
    global _watcher
    if threading.current_thread() is not threading.main_thread():
        return False
    if _watcher is None or _watcher.pid != os.getpid():  # none yet, or in a forked child
        _watcher = _StopWatcher()
    for signum in (signal.SIGTERM, signal.SIGINT):
        current = signal.getsignal(signum)
        # None: a handler set outside Python, which could not be chained: left alone.
        if current is not None and not isinstance(current, _EndStreams):
            signal.signal(signum, _EndStreams(current))
    return True


def end_streams_when_gunicorn_stops() -> bool:
    """:func:`end_streams_on_signals` in the main thread of a gunicorn worker (whose
    SIGTERM handler is the worker's own method), else nothing. Called when Django is ready,
    which a worker is after setting its handlers (unless the app is preloaded in the
    arbiter: then use the ``post_worker_init`` hook), so that gthread workers, whose
    streams run in other threads, stop at once too."""
    owner = getattr(signal.getsignal(signal.SIGTERM), "__self__", None)
    if not type(owner).__module__.startswith("gunicorn."):
        return False
    return end_streams_on_signals()


def on_sync_worker(request: HttpRequest) -> bool:
    """Whether ``request`` came through a WSGI server that serves one request at a time per
    process (``wsgi.multithread`` false: gunicorn's sync workers, or Django's test client)."""
    return not is_asgi(request) and not request.META.get("wsgi.multithread", True)


_warned_sync_worker = False


def long_lived_refusal(request: HttpRequest) -> str | None:
    """Why a long-lived stream (GET, ``subscriptions/listen``) may not answer ``request``
    on this server, or None: a sync worker would be held for the stream's whole lifetime,
    unless ``STREAMS_ON_SYNC_WORKERS``."""
    global _warned_sync_worker
    if mcp_settings.STREAMS_ON_SYNC_WORKERS or not on_sync_worker(request):
        return None
    reason = (
        "This server does not keep SSE streams open: it serves one request at a time per "
        "process (a WSGI server without threads, such as gunicorn's sync workers), and a "
        "stream would hold a whole process. Run threads (gunicorn --threads N, the gthread "
        "worker) or an ASGI server (uvicorn, daphne), or set "
        "REST_FRAMEWORK_MCP['STREAMS_ON_SYNC_WORKERS']."
    )
    if not _warned_sync_worker:
        _warned_sync_worker = True
        logger.warning("Long-lived MCP streams refused. %s", reason)
    return reason


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


class _LoopChannel:
    """Hands items from a thread to a coroutine on an event loop: each one is put in the
    coroutine's ``asyncio.Queue`` with ``loop.call_soon_threadsafe`` (nothing waits in an
    executor). Items put before the coroutine attaches wait in a list."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._early: list[Any] = []
        self._target: tuple[asyncio.AbstractEventLoop, asyncio.Queue[Any]] | None = None

    def put(self, item: Any) -> None:
        with self._lock:
            if self._target is None:
                self._early.append(item)
                return
            loop, items = self._target
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody reads any more
            loop.call_soon_threadsafe(items.put_nowait, item)

    def attach(self) -> asyncio.Queue[Any]:
        """The queue the running loop's coroutine reads (the early items first)."""
        items: asyncio.Queue[Any] = asyncio.Queue()
        with self._lock:
            for item in self._early:
                items.put_nowait(item)
            self._early.clear()
            self._target = (asyncio.get_running_loop(), items)
        return items


class _Body:
    """A response body whose ``close()``, which Django calls when the response ends (even
    one never iterated), ends the stream."""

    def __init__(self, chunks: Any, closed: threading.Event) -> None:
        self.chunks = chunks
        self.closed = closed

    def close(self) -> None:
        self.closed.set()


class _BlockingBody(_Body):
    def __iter__(self) -> Iterator[bytes]:
        chunks: Iterator[bytes] = self.chunks
        return chunks


class _AsyncBody(_Body):
    def __aiter__(self) -> AsyncIterator[bytes]:
        chunks: AsyncIterator[bytes] = self.chunks
        return chunks


def thread_stream(
    request: HttpRequest,
    name: str,
    work: Callable[[Callable[[dict[str, Any]], None], threading.Event], dict[str, Any] | None],
    prefix: bytes = b"",
    slot: Slot | None = None,
    long_lived: bool = False,
) -> StreamingHttpResponse:
    """An SSE answer fed by ``work(emit, closed)`` running in its own thread: each message
    it emits, then the message it returns (if any). ``closed`` is set when the stream ends
    or the client goes away (a write failed); silence is filled with keep-alive comments.
    ``slot`` (see :func:`reserve`) is released when the thread ends; a ``long_lived``
    stream's ``closed`` is also set by :func:`end_streams`."""
    closed = threading.Event()
    asgi = is_asgi(request)
    channel: _LoopChannel | queue.SimpleQueue[Any] = _LoopChannel() if asgi else queue.SimpleQueue()
    emit = channel.put

    def finish() -> None:
        if long_lived:
            slots.forget(closed)
        if slot is not None:
            slot.release()

    def run() -> None:
        last = None
        try:
            last = work(emit, closed)
        finally:
            try:
                connections.close_all()  # this thread's own connections
                if last is not None:
                    emit(last)
                emit(_DONE)
            finally:
                finish()

    if long_lived:
        slots.follow(closed)
    try:
        threading.Thread(target=run, name=name, daemon=True).start()
    except BaseException:
        finish()
        raise

    def started() -> None:
        # Where a stream runs in the main thread (ASGI servers, sync workers), the server
        # stopping (SIGTERM, SIGINT) ends it; other threads cannot set signal handlers.
        if long_lived:
            end_streams_on_signals()

    def blocking(events: queue.SimpleQueue[Any]) -> Iterator[bytes]:
        started()
        try:
            if prefix:
                yield prefix
            while True:
                try:
                    item = events.get(timeout=float(mcp_settings.STREAM_KEEPALIVE_SECONDS))
                except queue.Empty:
                    yield b": keep-alive\n\n"
                    continue
                if item is _DONE:
                    break
                yield event(item)
        finally:
            closed.set()

    async def non_blocking(source: _LoopChannel) -> AsyncIterator[bytes]:
        events = source.attach()
        started()
        try:
            if prefix:
                yield prefix
            while True:
                try:
                    keepalive = float(mcp_settings.STREAM_KEEPALIVE_SECONDS)
                    item = await asyncio.wait_for(events.get(), keepalive)
                except asyncio.TimeoutError:
                    yield b": keep-alive\n\n"
                    continue
                if item is _DONE:
                    break
                yield event(item)
        finally:
            closed.set()

    if isinstance(channel, _LoopChannel):
        return _stream_response(_AsyncBody(non_blocking(channel), closed))
    return _stream_response(_BlockingBody(blocking(channel), closed))


def call_stream(
    server: Dispatcher,
    message: Message,
    context: RequestContext,
    slot: Slot | None = None,
    long_lived: bool = False,
) -> StreamingHttpResponse:
    """Answer ``message`` as an SSE stream: notifications while it runs, then its response.
    A cancelled call ends the stream without a response, as the specification asks.
    ``long_lived``: a ``subscriptions/listen`` stream (see :func:`thread_stream`)."""

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

    return thread_stream(
        context.http_request, f"mcp-call-{message.id}", work, slot=slot, long_lived=long_lived
    )


def session_stream(
    request: HttpRequest,
    session: Any,
    may_read: Callable[[str], bool],
    slot: Slot | None = None,
) -> StreamingHttpResponse:
    """The GET stream of a session: updates of the resources it subscribed to (those
    ``may_read`` still allows) as they come, for up to ``GET_STREAM_SECONDS``, then a
    close the client reconnects after."""

    def work(emit: Callable[[dict[str, Any]], None], closed: threading.Event) -> None:
        until = deadline("GET_STREAM_SECONDS")
        relay(SessionListener(session), emit, closed, until, may_read)

    return thread_stream(
        request,
        "mcp-session-stream",
        work,
        prefix=b"retry: 1000\n\n",
        slot=slot,
        long_lived=True,
    )
