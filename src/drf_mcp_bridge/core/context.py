"""What a method handler knows about the request it serves: the transport-neutral
:class:`Caller` and :class:`RequestContext` that the HTTP view and the stdio server build,
and every layer below the transports reads.

The protocol never looks at HTTP: who is calling is the :class:`Caller` (its user, the
outer request authenticated with the endpoint's DRF classes, a stable key for what a later
message must match), and the Django request it holds is only what the inner request of a
tool call inherits (headers, cookies, client address, host and scheme, user and session),
as REST would see the same client.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.http import HttpRequest

from .authentication import EndpointAuthError, authenticate
from .sessions import Session
from .types import STATELESS_PROTOCOL_VERSIONS

if TYPE_CHECKING:
    from rest_framework.request import Request

    from .jsonrpc import Message


class Dispatcher(Protocol):
    """What the transports need of the protocol layer: one message in, its response out
    (None for notifications and responses). ``protocol.server.MCPServer`` is one."""

    def handle(self, message: Message, context: RequestContext) -> dict[str, Any] | None: ...


def credentials_key(request: HttpRequest, session: bool = True) -> str | None:
    """Who sent ``request``, as far as a later request can tell: the MCP session it names
    (unless ``session`` is False: a client can name any session id, so it identifies nobody
    where that matters), the credentials (Authorization header, Django session cookie);
    hashed. None for an anonymous caller without a session: its messages cannot be told
    apart from others'."""
    meta = request.META
    parts = [
        meta.get("HTTP_MCP_SESSION_ID", "") if session else "",
        meta.get("HTTP_AUTHORIZATION", ""),
        getattr(request, "COOKIES", {}).get(settings.SESSION_COOKIE_NAME, ""),
    ]
    if not any(parts):
        return None
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


_UNSET: Any = object()


class Caller:
    """Who is calling, for every layer below the transports.

    ``request`` is the outer Django request: what a tool call's inner request inherits.
    ``drf_request`` is that request authenticated with the endpoint's classes; the HTTP
    view authenticates before dispatch (refused credentials are its 401), others are
    authenticated here on first use (None when refused). ``key`` identifies the caller
    for what a later message must match (its cancellations, its replies to elicitation);
    by default the credentials (and the MCP session id the transport found), and an
    in-process transport gives its own.
    """

    def __init__(
        self,
        request: HttpRequest,
        drf_request: Request | None = None,
        key: str | None = _UNSET,
    ) -> None:
        self.request = request
        self._drf_request = drf_request
        self._key = key

    @property
    def drf_request(self) -> Request | None:
        if self._drf_request is None:
            try:
                self._drf_request = authenticate(self.request)
            except EndpointAuthError:
                return None
        return self._drf_request

    @property
    def authenticated_request(self) -> Request | None:
        """:attr:`drf_request` if it was authenticated already, without authenticating."""
        return self._drf_request

    @property
    def user(self) -> Any:
        drf_request = self.drf_request
        if drf_request is not None:
            return drf_request.user
        return getattr(self.request, "user", None)

    @property
    def key(self) -> str | None:
        if self._key is _UNSET:
            self._key = credentials_key(self.request)
        found: str | None = self._key
        return found

    @property
    def credentials(self) -> str | None:
        """:attr:`key` without the session a request names (for what must not be bound to
        a session id the client chose, such as stream slots)."""
        if self._key is not _UNSET:
            found: str | None = self._key
            return found
        return credentials_key(self.request, session=False)


#: Sends a message (a notification or a server request) to the client during a call.
Emitter = Callable[[dict[str, Any]], None]


@dataclass
class CallOutcome:
    """What a tool call's inner request did: its HTTP status (400 for a request Django
    refused, 500 for an exception) and the user its view authenticated."""

    http_status: int
    user: Any = None


class RequestContext:
    """What a method handler may know about the request it serves.

    ``RequestContext(caller, protocol_version)``; a Django request in place of the caller
    is wrapped in a :class:`Caller` (``http_request=`` is the older spelling).
    """

    def __init__(
        self,
        caller: Caller | HttpRequest | None = None,
        protocol_version: str | None = None,
        *,
        http_request: HttpRequest | None = None,
        extra: dict[str, Any] | None = None,
        request_id: Any = None,
        outcome: CallOutcome | None = None,
        emit: Emitter | None = None,
        session: Session | None = None,
        closed: threading.Event | None = None,
        task: Any = None,
    ) -> None:
        if caller is None:
            caller = http_request
        if caller is None or protocol_version is None:
            raise TypeError("RequestContext needs a caller and a protocol_version.")
        if not isinstance(caller, Caller):
            caller = Caller(caller)
        self.caller = caller
        self.protocol_version = protocol_version
        #: Free for extensions (a custom method handler's own notes); the package uses the
        #: typed attributes below.
        self.extra: dict[str, Any] = extra if extra is not None else {}
        #: The JSON-RPC id of the request being served (None for notifications).
        self.request_id = request_id
        #: What the last tool call's inner request did (invocation sets it): for the call
        #: log, the tool_called signal and resources/read.
        self.outcome = outcome
        #: Sends a message to the client while the request runs (an SSE answer, stdio).
        self.emit = emit
        #: The cache-backed session of the request (``SESSIONS``), else None.
        self.session = session
        #: Set when the client closed an SSE answer before its end (2026-07-28 cancellation).
        self.closed = closed
        #: The task this call runs as (a ``calls.TaskBinding``), when a task executor
        #: (``contrib.tasks``) runs it outside the request that created it; else None.
        self.task = task
        #: Whether the running tool may turn the call into a task (``CallContext.defer``):
        #: set by the task executor for a task-capable call the client may receive one for.
        self.may_defer = False

    @property
    def http_request(self) -> HttpRequest:
        """The outer Django request (what inner requests inherit): ``caller.request``."""
        return self.caller.request

    @property
    def stateless(self) -> bool:
        """A 2026-07-28 request: no handshake, everything it needs is in ``_meta``."""
        return self.protocol_version in STATELESS_PROTOCOL_VERSIONS

    @property
    def drf_request(self) -> Any:
        """The outer request authenticated with the endpoint's DRF authentication classes
        (None when refused)."""
        return self.caller.drf_request

    @property
    def user(self) -> Any:
        return self.caller.user
