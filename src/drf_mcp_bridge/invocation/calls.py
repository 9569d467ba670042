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
import json
import re
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from django.core import signing

from ..conf.settings import mcp_settings
from ..core import jsonrpc, state
from ..core.context import credentials_key
from ..core.state import shared_cache
from ..core.types import (
    INVALID_PARAMS,
    META_CLIENT_CAPABILITIES,
    META_LOG_LEVEL,
    MISSING_REQUIRED_CLIENT_CAPABILITY,
)

if TYPE_CHECKING:
    from ..core.context import RequestContext

#: RFC 5424 severities in the order MCP lists them.
LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")
_CAPABILITY_FOR = {
    "elicitation/create": "elicitation",
    "sampling/createMessage": "sampling",
    "roots/list": "roots",
}
_STATE_SALT = "drf_mcp_bridge.request_state"

_current: contextvars.ContextVar[CallContext | None] = contextvars.ContextVar(
    "drf_mcp_bridge_call", default=None
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


class CapabilityMissing(BaseException):
    """Ends a 2026-07-28 call that needs a client capability the request did not declare
    (answered with the -32021 error naming it). A BaseException, so that tools' own
    ``except Exception`` blocks let it through."""

    def __init__(self, capability: str, message: str) -> None:
        super().__init__(message)
        self.capability = capability

    def error(self) -> jsonrpc.JSONRPCError:
        data: dict[str, Any] = {"requiredCapabilities": {self.capability: {}}}
        return jsonrpc.JSONRPCError(MISSING_REQUIRED_CLIENT_CAPABILITY, str(self), data)


class Deferred(BaseException):
    """Raised by :meth:`CallContext.defer`: the call goes on as a task. Carries the
    answers to input asked so far (MRTR rounds before the task), which the task's run
    finds again. A BaseException, so that tools' ``except Exception`` blocks let it
    through and the transactions of the synchronous part roll back."""

    def __init__(self, answers: dict[str, Any], message: str | None = None) -> None:
        super().__init__("deferred to a task")
        self.answers = answers
        self.message = message


class TaskInputRequired(BaseException):
    """Ends a task's run that asks for input it has no answers to: the task waits in
    ``input_required`` with these requests (key -> ``{"method", "params"}``)."""

    def __init__(self, requests: dict[str, Any]) -> None:
        super().__init__("task input required")
        self.requests = requests


class TaskBinding(Protocol):
    """What a call run as a task (``RequestContext.task``) reads instead of the request
    that created it: the answers its client gave to the input it asked for, whether the
    task was cancelled, and where a status message goes."""

    answers: dict[str, Any]

    def cancelled(self) -> bool: ...

    def report(self, message: str) -> None: ...


class InputUnavailable(Exception):
    """Input could not be asked for (the client lacks the capability, the answer is plain
    JSON, or the reply timed out). Function tools turn it into a tool error."""


#: The ids this server gives its own requests to the client (elicitation, sampling).
_REPLY_ID = re.compile(r"^drf-mcp-[A-Za-z0-9_\-]{24}$")


def caller_key(http_request: Any, session: bool = True) -> str | None:
    """Who sent ``http_request``, as far as a later request can tell (see
    :func:`~drf_mcp_bridge.core.context.credentials_key`; a running call knows its
    caller's as ``context.caller.key``)."""
    return credentials_key(http_request, session)


def _flight_key(caller: str, request_id: Any) -> str:
    """The in-flight mark of the call ``request_id`` of ``caller`` (hashed: ids are the
    client's strings, of any length)."""
    return state.key("flight", caller, type(request_id).__name__, request_id)


def _cancel_key(call_token: str) -> str:
    return state.key("cancel", call_token)


def cancel(caller: str | None, params: dict[str, Any]) -> bool:
    """Record ``notifications/cancelled`` for the call it names, if that call of this
    caller is in flight now (any worker sees it). Anything else — an unknown or finished
    id, another caller's call — is ignored, as the specification allows, and stores
    nothing. The mark names the running call itself, not its request id, so a later call
    that reuses the id is not affected."""
    request_id = params.get("requestId")
    if caller is None or not isinstance(request_id, (str, int)) or isinstance(request_id, bool):
        return False
    cache = shared_cache()
    call_token = cache.get(_flight_key(caller, request_id))
    if not isinstance(call_token, str):
        return False
    cache.set(_cancel_key(call_token), True, timeout=int(mcp_settings.MAX_CALL_SECONDS))
    if cache.get(_flight_key(caller, request_id)) != call_token:
        # The call ended meanwhile (and removed its marks before this one was written).
        cache.delete(_cancel_key(call_token))
        return False
    return True


def deliver_reply(caller: str | None, payload: dict[str, Any]) -> bool:
    """Store a client's reply to a server-to-client request for the call waiting on it.
    False when no call waits for that id (unknown, expired, or another caller's)."""
    reply_id = payload.get("id")
    if not isinstance(reply_id, str) or not _REPLY_ID.match(reply_id):
        return False
    cache = shared_cache()
    expected = cache.get(state.key("pending", reply_id))
    if expected is None or expected != (caller or ""):
        return False
    cache.set(state.key("reply", reply_id), payload, timeout=int(mcp_settings.INPUT_TIMEOUT) + 60)
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
        self._params = params
        self._asked = 0
        #: Answers taken in this run (for :meth:`defer`).
        self._gathered: dict[str, Any] = {}
        #: The in-flight mark's token while :func:`in_flight` holds it.
        self._token: str | None = None

    @cached_property
    def _caller(self) -> str | None:
        # Computed on first use: most calls never check cancellation or ask for input.
        return self.context.caller.key

    @cached_property
    def _binding(self) -> str:
        """What a ``requestState`` is bound to: this tool (or URI), a hash of its
        arguments, and the caller. A state made for another call is ignored."""
        subject = {k: self._params.get(k) for k in ("name", "arguments", "uri")}
        encoded = json.dumps(subject, sort_keys=True, default=str, separators=(",", ":"))
        return hashlib.sha256(f"{encoded}|{self._caller or ''}".encode()).hexdigest()

    @cached_property
    def _unasked(self) -> dict[str, Any]:
        """The inputResponses of a request that carries no requestState: answers to
        questions this server has not asked (taken only by ``ask(..., unasked=True)``)."""
        given = self._params.get("inputResponses")
        if self._params.get("requestState") is not None or not isinstance(given, dict):
            return {}
        return {k: v for k, v in given.items() if isinstance(v, dict)}

    @cached_property
    def _round(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(answers collected in earlier rounds, this round's accepted inputResponses):
        only answers to the questions the server asked in the state it signed."""
        found = _read_state(self._params.get("requestState"), self._binding)
        answers = found.get("answers")
        answers = dict(answers) if isinstance(answers, dict) else {}
        asked = found.get("asked")
        asked = set(asked) if isinstance(asked, list) else set()
        given = self._params.get("inputResponses")
        given = given if isinstance(given, dict) else {}
        accepted = {k: v for k, v in given.items() if k in asked and isinstance(v, dict)}
        return answers, accepted

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
        Raises :class:`CallCancelled` once the client has cancelled the call. In a task
        (which has no progress notifications) a ``message`` becomes its status message."""
        self.raise_if_cancelled()
        task = self.context.task
        if task is not None:
            if message:
                task.report(message)
            return
        if self.progress_token is None:
            return
        params: dict[str, Any] = {"progressToken": self.progress_token, "progress": progress}
        if total is not None:
            params["total"] = total
        if message:
            params["message"] = message
        self._send(jsonrpc.notification("notifications/progress", params))

    def log_level(self) -> str | None:
        """The least severe level the client wants, or None for no log messages."""
        if self.context.stateless:
            # 2026-07-28: per request, and absent means "send none".
            level = self._meta.get(META_LOG_LEVEL)
            return level if level in LOG_LEVELS else None
        session = self.context.session
        if session is not None and session.log_level:
            return session.log_level
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
        self._send(jsonrpc.notification("notifications/message", params))

    # cancellation ---------------------------------------------------------------------
    @property
    def cancelled(self) -> bool:
        """Whether the client cancelled this call: ``notifications/cancelled`` (2025), or
        closing the call's SSE answer (2026-07-28, which has no cancel notification)."""
        task = self.context.task
        if task is not None:  # tasks/cancel
            return bool(task.cancelled())
        closed = self.context.closed
        if self.context.stateless and closed is not None and closed.is_set():
            return True
        if self._token is None:
            return False  # not in flight: nothing can have cancelled it
        return bool(shared_cache().get(_cancel_key(self._token)))

    def raise_if_cancelled(self) -> None:
        if self.cancelled:
            raise CallCancelled()

    # tasks ------------------------------------------------------------------------------
    def defer(self, message: str | None = None) -> None:
        """Go on as a task from here, when the client can receive one (a 2026-07-28
        request declaring the Tasks extension, to a tool registered with ``task=`` and
        ``task_prelude=True``): the request is answered with the new task, and the tool
        runs again from the start in a task worker, where ``defer()`` returns at once and
        the answers to input asked before it are given again. Anywhere else (a client
        without tasks, a 2025 request, a REST request) it returns and the call goes on
        synchronously. What the tool did before ``defer()`` is rolled back (its
        transactions), so keep that part to reading and asking."""
        if self.context.task is not None or not self.context.may_defer:
            return
        gathered = {**self._round[0], **self._gathered}
        raise Deferred(gathered, message)

    # input from the client --------------------------------------------------------------
    def elicit(
        self,
        message: str,
        requested_schema: dict[str, Any],
        key: str | None = None,
        unasked: bool = False,
    ) -> dict[str, Any]:
        """Ask the user for input; the client's ``ElicitResult`` (``action``, ``content``)."""
        return self.ask(
            "elicitation/create",
            {"message": message, "requestedSchema": requested_schema},
            key=key,
            unasked=unasked,
        )

    def sample(
        self,
        messages: list[dict[str, Any]],
        max_tokens: int,
        key: str | None = None,
        **params: Any,
    ) -> dict[str, Any]:
        """Ask the client's model for a completion; its ``CreateMessageResult``."""
        return self.ask(
            "sampling/createMessage",
            {"messages": messages, "maxTokens": max_tokens, **params},
            key=key,
        )

    def ask(
        self, method: str, params: dict[str, Any], key: str | None = None, unasked: bool = False
    ) -> dict[str, Any]:
        """Send the client the request ``method`` and return its result. ``key``: the
        name a 2026-07-28 client answers it under (by default one made from the method).
        See :meth:`ask_all` for ``unasked``."""
        return self.ask_all({key or self._next_key(method): (method, params)}, unasked)[0]

    def ask_all(
        self, requests: dict[str, tuple[str, dict[str, Any]]], unasked: bool = False
    ) -> list[dict[str, Any]]:
        """Send the client several requests (key: (method, params)) and return their
        results in order. Under 2026-07-28 all those still unanswered go out in one
        ``input_required`` result; on a 2025 stream they are asked one after another.

        Only answers to questions this server asked (in the requestState it signed) are
        taken, so that a question reaches the user before its answer counts; ``unasked``:
        also take an answer a request without requestState gives for a key (for a
        question whose answer may come from the client unprompted)."""
        task = self.context.task
        if task is not None:
            return self._ask_in_task(task, requests)
        answers, accepted = self._round
        missing: dict[str, Any] = {}
        for key, (method, params) in requests.items():
            if key not in answers and key in accepted:
                answers[key] = accepted[key]
            if key not in answers and unasked and key in self._unasked:
                answers[key] = self._unasked[key]
            if key not in answers:
                self._require_capability(method)
                missing[key] = {"method": method, "params": params}
        if missing and self.context.stateless:
            state = {"for": self._binding, "answers": answers, "asked": list(missing)}
            raise InputRequired(missing, _write_state(state))
        if missing and not self.streaming:
            method = next(iter(missing.values()))["method"]
            raise InputUnavailable(
                f"This tool needs to send {method} to the client, which needs an SSE answer: "
                "send Accept: application/json, text/event-stream."
            )
        for key, request in missing.items():
            answers[key] = self._ask_over_stream(request["method"], request["params"])
        self._gathered.update({key: answers[key] for key in requests})
        return [answers[key] for key in requests]

    def _ask_in_task(
        self, task: TaskBinding, requests: dict[str, tuple[str, dict[str, Any]]]
    ) -> list[dict[str, Any]]:
        """A task's input: the answers its client gave through tasks/update, or the task
        waits in ``input_required`` for those still missing."""
        missing: dict[str, Any] = {}
        for key, (method, params) in requests.items():
            if key not in task.answers:
                self._require_capability(method)
                missing[key] = {"method": method, "params": params}
        if missing:
            raise TaskInputRequired(missing)
        return [task.answers[key] for key in requests]

    def _next_key(self, method: str) -> str:
        key = f"{method.replace('/', '-')}-{self._asked}"
        self._asked += 1
        return key

    def _require_capability(self, method: str) -> None:
        capability = _CAPABILITY_FOR.get(method)
        capabilities = self.client_capabilities()
        if capability and capabilities is not None and capability not in capabilities:
            if self.context.stateless:
                raise CapabilityMissing(
                    capability,
                    f"This request needs the client capability {capability!r}, which "
                    "its _meta clientCapabilities do not declare.",
                )
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
        if session is not None:
            return session.capabilities
        return None

    def _ask_over_stream(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        cache = shared_cache()
        request_id = "drf-mcp-" + secrets.token_urlsafe(18)
        timeout = float(mcp_settings.INPUT_TIMEOUT)
        pending, replied = state.key("pending", request_id), state.key("reply", request_id)
        cache.set(pending, self._caller or "", timeout=int(timeout) + 60)
        self._send(jsonrpc.request(request_id, method, params))
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                reply = cache.get(replied)
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
            cache.delete_many([pending, replied])
        raise InputUnavailable(f"The client did not answer {method} within {timeout:g} s.")


def _write_state(found: dict[str, Any]) -> str:
    return signing.dumps(found, salt=_STATE_SALT, compress=True)


def check_request_state(params: dict[str, Any]) -> None:
    """Refuse a ``requestState`` this server did not sign, or that was altered (servers
    MUST reject state that fails its integrity check), before anything runs. One that is
    only too old, or was made for another call, is ignored and the input asked again."""
    value = params.get("requestState")
    if value is None:
        return
    if isinstance(value, str) and 0 < len(value) <= 256 * 1024:
        try:
            signing.loads(value, salt=_STATE_SALT, max_age=24 * 3600)
            return
        except signing.SignatureExpired:
            return
        except (signing.BadSignature, ValueError):
            pass
    raise jsonrpc.JSONRPCError(
        INVALID_PARAMS,
        "Invalid requestState: it fails this server's integrity check. Send back the "
        "requestState of the input_required result unchanged, or call again without one.",
    )


def _read_state(value: Any, binding: str) -> dict[str, Any]:
    """An earlier round's state, from a ``requestState`` this server signed for this very
    call (``binding``); anything else is ignored and the tool asks again."""
    if not isinstance(value, str) or not value or len(value) > 256 * 1024:
        return {}
    try:
        found = signing.loads(value, salt=_STATE_SALT, max_age=24 * 3600)
    except (signing.BadSignature, ValueError):
        return {}
    if not isinstance(found, dict) or found.get("for") != binding:
        return {}
    return found


@contextmanager
def active(call: CallContext, cancellable: bool = False) -> Iterator[CallContext]:
    """Make ``call`` the :func:`current_call` while the tool runs. ``cancellable``: also
    mark it in flight in the shared cache (for a caller that can be told apart), so that a
    ``notifications/cancelled`` sent to any worker reaches it; the mark is removed when the
    call ends."""
    token = _current.set(call)
    flight = None
    if cancellable and call.request_id is not None and call._caller is not None:
        flight = _flight_key(call._caller, call.request_id)
        call._token = secrets.token_urlsafe(16)
        shared_cache().set(flight, call._token, timeout=int(mcp_settings.MAX_CALL_SECONDS))
    try:
        yield call
    finally:
        _current.reset(token)
        if flight is not None and call._token is not None:
            shared_cache().delete_many([flight, _cancel_key(call._token)])
