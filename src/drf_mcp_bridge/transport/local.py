"""Serving MCP in-process, without HTTP: for the stdio server, ``mcp_call`` and
``mcp_export --user``.

:class:`LocalEndpoint` hands each message straight to the protocol (the server the
URLconf's endpoint view uses) with one :class:`~drf_mcp_bridge.core.context.Caller`:
the given user, or the credentials of the given headers authenticated with the endpoint's
DRF classes, as the HTTP view would. The Caller's Django request is what the inner
requests of tool calls inherit (headers, user, session), so every call goes through the
same permission checks, middleware and DRF views an HTTP request does.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse

from ..conf.settings import mcp_settings
from ..core import authentication
from ..core.context import Caller, Emitter, RequestContext
from ..core.jsonrpc import JSONRPCError, Message, error_response, parse_message, request_id_of
from ..core.types import (
    BATCH_PROTOCOL_VERSIONS,
    DEFAULT_HTTP_PROTOCOL_VERSION,
    INTERNAL_ERROR,
    INVALID_REQUEST,
    PARSE_ERROR,
    REQUEST_CANCELLED,
    STATELESS_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
)
from ..protocol.server import MCPServer
from ..protocol.server import server as default_server
from ..protocol.versions import batch_refusal
from .rules import body_protocol_version
from .streaming import STREAM_REFUSED, streams_answer

logger = logging.getLogger("drf_mcp_bridge")


def find_user(username: str | None) -> Any:
    if not username:
        return AnonymousUser()
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist as exc:
        raise CommandError(f"No user {username!r}.") from exc


def endpoint_path() -> str:
    try:
        return reverse("drf_mcp_bridge:endpoint")
    except NoReverseMatch as exc:
        raise CommandError(
            'The MCP endpoint is not in the URLconf: add path("mcp/", '
            'include("drf_mcp_bridge.urls")).'
        ) from exc


def parse_header(header: str) -> tuple[str, str]:
    name, sep, value = header.partition(":")
    if not sep or not name.strip():
        raise CommandError(f'A header must look like "Name: value"; got {header!r}.')
    return name.strip(), value.strip()


#: Who this process's in-process client is, for what a later message must match (its
#: cancellations, its replies to elicitation): one client per process, as stdio has.
LOCAL_CALLER = "local:" + secrets.token_urlsafe(16)


def endpoint_server() -> MCPServer:
    """The server the URLconf's endpoint view dispatches to (``MCPView.as_view(server=)``
    may give its own)."""
    match = resolve(endpoint_path())
    view_class = getattr(match.func, "view_class", None)
    initkwargs = getattr(match.func, "view_initkwargs", {}) or {}
    found = initkwargs.get("server") or getattr(view_class, "server", None)
    return found if isinstance(found, MCPServer) else default_server


def local_request(user: Any, headers: dict[str, str] | None = None) -> HttpRequest:
    """The Django request a local caller's tool calls inherit: a POST to the endpoint as
    ``user``, with ``headers`` (credentials, for the views' own authentication)."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")]
    extra = {"HTTP_HOST": hosts[0] if hosts else "localhost"}
    for name, value in (headers or {}).items():
        extra["HTTP_" + name.upper().replace("-", "_")] = value
    post: Any = RequestFactory().post
    request: HttpRequest = post(endpoint_path(), data=b"", content_type="application/json", **extra)
    request.user = user
    # Not a network request (stdio, mcp_call in process): instrumentation records a pipe.
    request.mcp_transport = "local"  # type: ignore[attr-defined]
    # A local process is not a browser: there is no cross-site request to forge.
    request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
    if "django.contrib.sessions" in settings.INSTALLED_APPS:
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore()
    return request


class LocalEndpoint:
    """One in-process client: answers JSON-RPC messages as the protocol answers them over
    HTTP, for one caller. What only HTTP has (Origin, status codes, sessions, the 2026
    routing headers, which an in-process client derives from the body) is left out."""

    def __init__(
        self, user: Any, headers: dict[str, str] | None = None, server: MCPServer | None = None
    ) -> None:
        self.server = server or endpoint_server()
        request = local_request(user, headers)
        self.refused: authentication.EndpointAuthError | None = None
        drf_request = None
        try:
            drf_request = authentication.authenticate(request)
        except authentication.EndpointAuthError as refused:
            self.refused = refused  # every request is answered with the refusal
        key = hashlib.sha256(f"{LOCAL_CALLER}:{getattr(user, 'pk', None)}".encode()).hexdigest()
        self.caller = Caller(request, drf_request=drf_request, key=key[:32])
        #: The version the last initialize settled on (later requests use it).
        self.version: str | None = None

    def answer_line(self, line: str, emit: Emitter | None = None) -> Any:
        """The answer to one line of JSON (a response, a list for a batch, None for
        notifications, replies and cancelled calls)."""
        try:
            payload = json.loads(line)
        except (ValueError, RecursionError):
            return error_response(None, JSONRPCError(PARSE_ERROR, "Parse error: invalid JSON."))
        return self.answer(payload, emit)

    def answer(self, payload: Any, emit: Emitter | None = None) -> Any:
        if isinstance(payload, list):
            return self._batch(payload)
        try:
            message = parse_message(payload)
        except JSONRPCError as invalid:
            return error_response(request_id_of(payload), invalid)
        response = self.handle(message, emit)
        failure = (response or {}).get("error")
        if isinstance(failure, dict) and failure.get("code") == REQUEST_CANCELLED:
            return None  # "receivers SHOULD NOT send a response for the cancelled request"
        return response

    def version_of(self, message: Message) -> str:
        body_version = body_protocol_version(message.params)
        if body_version in STATELESS_PROTOCOL_VERSIONS:
            return str(body_version)
        return self.version or DEFAULT_HTTP_PROTOCOL_VERSION

    def handle(self, message: Message, emit: Emitter | None = None) -> dict[str, Any] | None:
        refused = self.refused
        drf_request = self.caller.drf_request
        if refused is None and drf_request is not None:
            try:
                # The endpoint's scope check, on the tool the message would really run.
                self.server.gate.authorize(drf_request, message.method, message.params)
            except authentication.EndpointAuthError as scopes:
                refused = scopes
        if refused is not None:
            if message.kind != "request":
                return None  # over HTTP refused too; nothing answers a notification
            return error_response(message.id, JSONRPCError(INVALID_REQUEST, refused.message))
        if message.method == "subscriptions/listen" and mcp_settings.SUBSCRIPTIONS:
            return error_response(
                message.id,
                JSONRPCError(
                    STREAM_REFUSED,
                    "subscriptions/listen is served over HTTP only: an in-process server "
                    "answers one request at a time, and a listen stream would hold it.",
                ),
            )
        context = RequestContext(
            self.caller,
            protocol_version=self.version_of(message),
            # Notifications reach the client while the call runs where HTTP would stream.
            emit=emit if emit is not None and streams_answer(self.server, message) else None,
        )
        try:
            response = self.server.handle(message, context)
        except Exception:
            logger.exception("MCP %s failed", message.method)
            return error_response(
                message.id,
                JSONRPCError(INTERNAL_ERROR, "Internal error; the server log has details."),
            )
        if message.method == "initialize" and response is not None:
            result = response.get("result")
            version = result.get("protocolVersion") if isinstance(result, dict) else None
            if version in SUPPORTED_PROTOCOL_VERSIONS:
                self.version = version
        return response

    def _batch(self, payload: list[Any]) -> Any:
        version = self.version or DEFAULT_HTTP_PROTOCOL_VERSION
        if version not in BATCH_PROTOCOL_VERSIONS:
            return error_response(
                None,
                JSONRPCError(
                    INVALID_REQUEST,
                    f"JSON-RPC batches are not supported in protocol version {version}; "
                    "send one message per line.",
                ),
            )
        if not payload or len(payload) > int(mcp_settings.MAX_BATCH_SIZE):
            return error_response(
                None,
                JSONRPCError(
                    INVALID_REQUEST,
                    f"Invalid Request: a batch holds 1 to {mcp_settings.MAX_BATCH_SIZE} messages.",
                ),
            )
        responses = []
        for item in payload:
            try:
                message = parse_message(item)
            except JSONRPCError as error:
                responses.append(error_response(request_id_of(item), error))
                continue
            refusal = batch_refusal(message)
            if refusal is not None:
                responses.append(refusal)
                continue
            response = self.handle(message)
            if response is not None:
                responses.append(response)
        return responses or None
