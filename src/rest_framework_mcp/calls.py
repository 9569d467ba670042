"""What a running tool can do besides answering: report progress, log to the client, ask
the client for input (elicitation, sampling), and notice that it was cancelled.

A function tool gets its :class:`CallContext` by declaring a parameter named ``mcp``; any
code running inside a call (a ViewSet action, a serializer) finds it with
:func:`current_call`, which is None outside MCP calls, so REST requests are unaffected.

Delivery depends on how the call is answered:

* As an SSE stream (the client accepts ``text/event-stream`` and the call asked for
  progress, or the tool declares ``mcp``): notifications go out while the tool runs, and
  2025 clients are sent ``elicitation/create`` / ``sampling/createMessage`` requests on
  the stream; their replies, POSTed separately, reach the waiting call through Django's
  cache, so any worker may receive them.
* Under 2026-07-28 there are no server-to-client requests: asking for input ends the call
  with an ``input_required`` result; the client answers by calling again with
  ``inputResponses`` and the signed ``requestState``, and the tool runs again, getting the
  answers it asked for.
* As plain JSON, notifications are dropped (nothing could carry them) and asking for
  input is a tool error that says why.
"""

from __future__ import annotations

import contextvars
import hashlib
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing

from .sessions import shared_cache
from .settings import mcp_settings
from .types import META_CLIENT_CAPABILITIES, META_LOG_LEVEL

if TYPE_CHECKING:
    from .protocol import RequestContext

#: RFC 5424 severities in the order MCP lists them.
LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
_CAPABILITY_FOR = {"elicitation/create": "elicitation", "sampling/createMessage": "sampling"}
_STATE_SALT = "rest_framework_mcp.request_state"

_current: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar(
    "rest_framework_mcp_call", default=None
)


def current_call() -> CallContext | None:
    """The MCP call the running code serves, or None (e.g. a plain REST request)."""
    return _current.get()


class CallCancelled(BaseException):
    """The client cancelled the call. A BaseException, like asyncio's CancelledError, so
    that views' ``except Exception`` blocks let it through and open transactions roll
    back on the way out."""


class InputRequired(BaseException):
    """Ends a 2026-07-28 call with an ``input_required`` result (see the module doc)."""

    def __init__(self, requests: dict[str, Any], state: str) -> None:
        super().__init__("input required")
        self.requests = requests
        self.state = state

    def result(self) -> dict[str, Any]:
        return {
            "resultType": "input_required",
            "inputRequests": self.requests,
            "requestState": self.state,
        }


class InputUnavailable(Exception):
    """Input could not be asked for (the client lacks the capability, the answer is plain
    JSON, or the reply timed out). Function tools turn it into a tool error."""


def caller_key(http_request: Any) -> str | None:
    """Who sent a request, as far as a later request can tell: the MCP session, else the
    credentials (Authorization header or Django session cookie). None for an anonymous
    caller without a session: its cancellations cannot be told apart from others'."""
    meta = http_request.META
    parts = [
        meta.get("HTTP_MCP_SESSION_ID", ""),
        meta.get("HTTP_AUTHORIZATION", ""),
        getattr(http_request, "COOKIES", {}).get(settings.SESSION_COOKIE_NAME, ""),
    ]
    if not any(parts):
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _cancel_key(caller: str, request_id: Any) -> str:
    return f"mcp:cancel:{caller}:{type(request_id).__name__}:{request_id}"


def cancel(http_request: Any, params: dict[str, Any]) -> None:
    """Record ``notifications/cancelled`` for the call it names (any worker sees it)."""
    caller = caller_key(http_request)
    request_id = params.get("requestId")
    if caller is None or not isinstance(request_id, (str, int)) or isinstance(request_id, bool):
        return
    shared_cache().set(_cancel_key(caller, request_id), True, timeout=3600)


def deliver_reply(http_request: Any, payload: dict[str, Any]) -> bool:
    """Store a client's reply to a server-to-client request for the call waiting on it.
    False when no call waits for that id (unknown, expired, or another caller's)."""
    reply_id = payload.get("id")
    if not isinstance(reply_id, str):
        return False
    cache = shared_cache()
    expected = cache.get(f"mcp:pending:{reply_id}")
    if expected is None or expected != (caller_key(http_request) or ""):
        return False
    cache.set(f"mcp:reply:{reply_id}", payload, timeout=int(mcp_settings.INPUT_TIMEOUT) + 60)
    return True


class CallContext:
    """The running call: progress, logging, input requests and cancellation."""

    def __init__(
        self,
        context: RequestContext,
        request_id: Any,
        params: dict[str, Any],
    ) -> None:
        meta = params.get("_meta")
        meta = meta if isinstance(meta, dict) else {}
        self.context = context
        self.request_id = request_id
        self.progress_token = meta.get("progressToken")
        self._meta = meta
        responses = params.get("inputResponses")
        self._responses: dict[str, Any] = responses if isinstance(responses, dict) else {}
        self._answers: dict[str, Any] = _read_state(params.get("requestState"))
        self._asked = 0

    @cached_property
    def _caller(self) -> str | None:
        # Computed on first use: most calls never check cancellation or ask for input.
        return caller_key(self.context.http_request)

    # delivery ---------------------------------------------------------------------------
    @property
    def streaming(self) -> bool:
        """Whether notifications reach the client while the call runs (an SSE answer)."""
        return self.context.emit is not None

    def _send(self, message: dict[str, Any]) -> None:
        emit = self.context.emit
        if emit is not None:
            emit(message)

    # progress and logs ----------------------------------------------------------------
    def progress(self, progress: float, total: float | None = None, message: str = "") -> None:
        """Report progress (sent only when the client asked with a ``progressToken``).
        Raises :class:`CallCancelled` once the client has cancelled the call."""
        self.raise_if_cancelled()
        if self.progress_token is None:
            return
        params: dict[str, Any] = {"progressToken": self.progress_token, "progress": progress}
        if total is not None:
            params["total"] = total
        if message:
            params["message"] = message
        self._send({"jsonrpc": "2.0", "method": "notifications/progress", "params": params})

    def log_level(self) -> str | None:
        """The least severe level the client wants, or None for no log messages."""
        if self.context.stateless:
            # 2026-07-28: per request, and absent means "send none".
            level = self._meta.get(META_LOG_LEVEL)
            return level if level in LOG_LEVELS else None
        session = self.context.session
        if session is not None and session.get("log_level"):
            return str(session["log_level"])
        default = mcp_settings.DEFAULT_LOG_LEVEL
        return str(default) if default in LOG_LEVELS else None

    def log(self, level: str, data: Any, logger: str | None = None) -> None:
        """Send ``notifications/message`` if ``level`` is at or above the client's level."""
        if level not in LOG_LEVELS:
            raise ValueError(f"Unknown log level {level!r}; use one of {', '.join(LOG_LEVELS)}.")
        wanted = self.log_level()
        if wanted is None or LOG_LEVELS.index(level) < LOG_LEVELS.index(wanted):
            return
        params: dict[str, Any] = {"level": level, "data": data}
        if logger:
            params["logger"] = logger
        self._send({"jsonrpc": "2.0", "method": "notifications/message", "params": params})

    # cancellation ---------------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        """Whether the client cancelled this call: ``notifications/cancelled`` (2025), or
        closing the call's SSE answer (2026-07-28, which has no cancel notification)."""
        closed = self.context.closed
        if self.context.stateless and closed is not None and closed.is_set():
            return True
        if self._caller is None or self.request_id is None:
            return False
        return bool(shared_cache().get(_cancel_key(self._caller, self.request_id)))

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise CallCancelled()

    # input from the client --------------------------------------------------------------
    def elicit(self, message: str, requested_schema: dict[str, Any]) -> dict[str, Any]:
        """Ask the user for input; the client's ``ElicitResult`` (``action``, ``content``)."""
        return self.ask(
            "elicitation/create", {"message": message, "requestedSchema": requested_schema}
        )

    def sample(
        self, messages: list[dict[str, Any]], max_tokens: int, **params: Any
    ) -> dict[str, Any]:
        """Ask the client's model for a completion; its ``CreateMessageResult``."""
        return self.ask(
            "sampling/createMessage", {"messages": messages, "maxTokens": max_tokens, **params}
        )

    def ask(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send the client the request ``method`` and return its result."""
        key = f"{method.replace('/', '-')}-{self._asked}"
        self._asked += 1
        if key in self._answers:
            answer: dict[str, Any] = self._answers[key]
            return answer
        if key in self._responses and isinstance(self._responses[key], dict):
            self._answers[key] = self._responses[key]
            return self._answers[key]  # type: ignore[no-any-return]
        self._require_capability(method)
        if self.context.stateless:
            request = {"method": method, "params": params}
            raise InputRequired({key: request}, _write_state(self._answers))
        if not self.streaming:
            raise InputUnavailable(
                f"This tool needs to send {method} to the client, which needs an SSE answer: "
                "send Accept: application/json, text/event-stream."
            )
        return self._ask_over_stream(method, params)

    def _require_capability(self, method: str) -> None:
        capability = _CAPABILITY_FOR.get(method)
        capabilities = self.client_capabilities()
        if capability and capabilities is not None and capability not in capabilities:
            raise InputUnavailable(
                f"This tool needs the client capability {capability!r}, which this client "
                "did not declare."
            )

    def client_capabilities(self) -> dict[str, Any] | None:
        """What the client declared it can do, when known (2026-07-28 requests carry it;
        2025 clients told ``initialize``, which a cache-backed session remembers)."""
        if self.context.stateless:
            found = self._meta.get(META_CLIENT_CAPABILITIES)
            return found if isinstance(found, dict) else {}
        session = self.context.session
        if session is not None and isinstance(session.get("capabilities"), dict):
            capabilities: dict[str, Any] = session["capabilities"]
            return capabilities
        return None

    def _ask_over_stream(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        cache = shared_cache()
        request_id = "drf-mcp-" + secrets.token_urlsafe(18)
        timeout = float(mcp_settings.INPUT_TIMEOUT)
        cache.set(f"mcp:pending:{request_id}", self._caller or "", timeout=int(timeout) + 60)
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                reply = cache.get(f"mcp:reply:{request_id}")
                if reply is not None:
                    if "error" in reply:
                        error = reply["error"] if isinstance(reply["error"], dict) else {}
                        raise InputUnavailable(
                            f"The client refused {method}: {error.get('message', 'no reason')}."
                        )
                    result = reply.get("result")
                    return result if isinstance(result, dict) else {}
                self.raise_if_cancelled()
                time.sleep(0.02)
        finally:
            cache.delete_many([f"mcp:pending:{request_id}", f"mcp:reply:{request_id}"])
        raise InputUnavailable(f"The client did not answer {method} within {timeout:g} s.")


def _write_state(answers: dict[str, Any]) -> str:
    return signing.dumps(answers, salt=_STATE_SALT, compress=True)


def _read_state(value: Any) -> dict[str, Any]:
    """The answers an earlier round collected, from a ``requestState`` this server signed
    (anything else is ignored: the tool asks again)."""
    if not isinstance(value, str) or not value:
        return {}
    try:
        found = signing.loads(value, salt=_STATE_SALT, max_age=24 * 3600)
    except signing.BadSignature:
        return {}
    return found if isinstance(found, dict) else {}


@contextmanager
def active(call: CallContext) -> Iterator[CallContext]:
    """Make ``call`` the :func:`current_call` while the tool runs."""
    token = _current.set(call)
    try:
        yield call
    finally:
        _current.reset(token)


Emitter = Callable[[dict[str, Any]], None]
