"""What a method handler knows about the request it serves: the transport-neutral context
that the HTTP view and the stdio server build, and every layer below the protocol reads."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from django.http import HttpRequest

from .authentication import EndpointAuthError, authenticate
from .sessions import Session
from .types import STATELESS_PROTOCOL_VERSIONS

if TYPE_CHECKING:
    from .jsonrpc import Message


class Dispatcher(Protocol):
    """What the transports need of the protocol layer: one message in, its response out
    (None for notifications and responses). ``protocol.MCPServer`` is one."""

    def handle(self, message: Message, context: RequestContext) -> dict[str, Any] | None: ...


@dataclass
class CallOutcome:
    """What a tool call's inner request did: its HTTP status (400 for a request Django
    refused, 500 for an exception) and the user its view authenticated."""

    http_status: int
    user: Any = None


#: Sends a message (a notification or a server request) to the client during a call.
Emitter = Callable[[dict[str, Any]], None]


@dataclass
class RequestContext:
    """What a method handler may know about the request it serves."""

    http_request: HttpRequest
    protocol_version: str
    #: Free for extensions (a custom method handler's own notes); the package uses the
    #: typed fields below.
    extra: dict[str, Any] = field(default_factory=dict)
    #: The JSON-RPC id of the request being served (None for notifications).
    request_id: Any = None
    #: What the last tool call's inner request did (invocation sets it): for the call log,
    #: the tool_called signal and resources/read.
    outcome: CallOutcome | None = None
    #: Sends a message to the client while the request runs (an SSE answer), else None.
    emit: Emitter | None = None
    #: The cache-backed session of the request (``SESSIONS``), else None.
    session: Session | None = None
    #: Set when the client closed an SSE answer before its end (2026-07-28 cancellation).
    closed: threading.Event | None = None

    @property
    def stateless(self) -> bool:
        """A 2026-07-28 request: no handshake, everything it needs is in ``_meta``."""
        return self.protocol_version in STATELESS_PROTOCOL_VERSIONS

    @property
    def drf_request(self) -> Any:
        """The outer request authenticated with the endpoint's DRF authentication classes
        (the HTTP view did it before dispatch and answered refused credentials with 401;
        in-process callers are authenticated here on first use). None when refused."""
        found = getattr(self.http_request, "mcp_drf_request", None)
        if found is None:
            try:
                found = authenticate(self.http_request)
            except EndpointAuthError:
                return None
            self.http_request.mcp_drf_request = found  # type: ignore[attr-defined]
        return found

    @property
    def user(self) -> Any:
        drf_request = self.drf_request
        if drf_request is not None:
            return drf_request.user
        return getattr(self.http_request, "user", None)
