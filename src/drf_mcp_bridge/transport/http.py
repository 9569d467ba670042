"""The Django view at ``/mcp``: Streamable HTTP in, JSON-RPC dispatch, JSON out."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from rest_framework.request import Request

from ..conf.settings import mcp_settings
from ..core import authentication, sessions
from ..core import params as params_codec
from ..core.context import Caller
from ..core.jsonrpc import JSONRPCError, Message, error_response, parse_message, request_id_of
from ..core.state import StateRefused
from ..core.types import (
    BATCH_PROTOCOL_VERSIONS,
    DEFAULT_HTTP_PROTOCOL_VERSION,
    HEADER_MISMATCH,
    INVALID_REQUEST,
    PARSE_ERROR,
    STATELESS_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
)
from ..protocol.server import MCPServer, RequestContext, server
from ..protocol.versions import batch_refusal
from . import explorer, streaming
from . import rules as transport

logger = logging.getLogger("drf_mcp_bridge")


# CSRF: the endpoint only accepts application/json (a CORS-preflighted type for
# cross-site pages), checks Origin, and every tool call runs the inner DRF view, whose
# SessionAuthentication enforces CSRF for session-authenticated writes as over REST.
class MCPView(View):
    """MCP Streamable HTTP endpoint (stateless: any worker answers any request)."""

    server: MCPServer = server
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Any:
        # csrf_exempt on the view function (as DRF's APIView does), not method_decorator
        # on dispatch, which wraps the method anew on every request.
        return csrf_exempt(super().as_view(**initkwargs))

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # One view instance per request (Django's View): what this request found.
        self._drf_request: Request | None = None
        self._caller: Caller | None = None
        self._session: sessions.Session | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        # Host first (Django answers 400 for a Host not in ALLOWED_HOSTS), then Origin.
        request.get_host()
        request.mcp_endpoint = True  # type: ignore[attr-defined]
        if not transport.origin_allowed(request):
            return transport.transport_error(
                403, INVALID_REQUEST, "Forbidden: this Origin may not use the MCP endpoint."
            )
        return super().dispatch(request, *args, **kwargs)

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return transport.method_not_allowed()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if mcp_settings.BROWSABLE_EXPLORER and explorer.wants_html(request):
            return explorer.page(request)
        session_id = self.session_id(request)
        if session_id is None:
            return transport.method_not_allowed()
        if not transport.accepts_event_stream(request):
            return transport.transport_error(
                406, INVALID_REQUEST, "Not Acceptable: the GET stream is text/event-stream."
            )
        found = self.session_of(request, session_id)
        if not isinstance(found, sessions.Session):
            return found
        refusal = streaming.long_lived_refusal(request)
        if refusal is not None:
            # A sync worker would be held for the stream's whole lifetime: the server does
            # not offer the stream here ("or else return HTTP 405 Method Not Allowed").
            not_offered = transport.transport_error(405, INVALID_REQUEST, refusal)
            not_offered["Allow"] = "POST, DELETE"
            return not_offered
        try:
            slot = streaming.reserve(self.caller(request), found)
        except streaming.TooManyStreams as full:
            busy = transport.transport_error(429, INVALID_REQUEST, str(full))
            busy["Retry-After"] = str(streaming.retry_after_seconds())
            return busy
        # The stream carries this session's notifications (resource updates), each one
        # checked again against what the caller may read when it is sent.
        context = RequestContext(
            self.caller(request), protocol_version=found.protocol_version, session=found
        )
        return streaming.session_stream(
            request, found, lambda uri: self.server.gate.may_read(uri, context), slot
        )

    def head(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return transport.method_not_allowed()

    def put(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return transport.method_not_allowed()

    patch = put

    def delete(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """End a session ("Mcp-Session-Id" given); without sessions there is none."""
        session_id = self.session_id(request)
        if session_id is None:
            return transport.method_not_allowed()
        owner = self.owner(request)
        if not isinstance(owner, str):
            return owner
        try:
            ended = sessions.delete(session_id, owner)
        except StateRefused as refused:
            response = transport.transport_error(429, INVALID_REQUEST, str(refused))
            response["Retry-After"] = "3600"
            return response
        if not ended:
            return self.session_gone()
        return HttpResponse(status=204)

    def owner(self, request: HttpRequest) -> str | HttpResponse:
        """Who the caller is for sessions (see sessions.owner_of), or the endpoint's
        refusal (refused credentials, ``AUTHENTICATION_REQUIRED``, scopes) — for GET and
        DELETE as for POST."""
        drf_request = self.authenticated(request)
        if isinstance(drf_request, HttpResponse):
            return drf_request
        if request.method != "POST":
            try:
                authentication.authorize(drf_request, None, None)
            except authentication.EndpointAuthError as refused:
                return self.refused(refused)
        return sessions.owner_of(drf_request.user)

    def authenticated(self, request: HttpRequest) -> Request | HttpResponse:
        """The request authenticated with the endpoint's classes (once per request), or
        the refusal: credentials a class refuses are HTTP 401 with its WWW-Authenticate,
        as REST answers them; missing ones are anonymous unless AUTHENTICATION_REQUIRED."""
        found: Request | None = self._drf_request
        if found is None:
            try:
                found = authentication.authenticate(request)
            except authentication.EndpointAuthError as refused:
                return self.refused(refused)
            self._drf_request = found
        return found

    def caller(self, request: HttpRequest) -> Caller:
        """The caller the protocol is told about (one per request; authenticated first)."""
        if self._caller is None:
            self._caller = Caller(request, drf_request=self._drf_request)
        return self._caller

    def session_of(self, request: HttpRequest, session_id: str) -> sessions.Session | HttpResponse:
        """The caller's live session ``session_id``, or the answer to give instead: the
        endpoint's refusal, or 404 for a session that is unknown, ended, expired or
        another caller's (indistinguishable, so ids cannot be probed)."""
        owner = self.owner(request)
        if not isinstance(owner, str):
            return owner
        found = sessions.load(session_id, owner)
        return found if found is not None else self.session_gone()

    @staticmethod
    def session_id(request: HttpRequest) -> str | None:
        """The Mcp-Session-Id the request names, when sessions are on."""
        session_id = request.META.get("HTTP_MCP_SESSION_ID")
        return session_id if mcp_settings.SESSIONS and session_id else None

    @staticmethod
    def session_gone() -> HttpResponse:
        # "The server MAY terminate the session at any time, after which it MUST respond
        # to requests containing that session ID with HTTP 404": the client starts anew.
        return transport.transport_error(
            404, INVALID_REQUEST, "Session not found: it ended or expired; initialize again."
        )

    def options(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = HttpResponse(status=204)
        response["Allow"] = "POST, OPTIONS"
        return response

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """One POST: the HTTP rules decided from the headers (before the body is read), the
        body as JSON, then one message (or a 2025-03-26 batch) to the protocol."""
        header_version = self.header_version(request)
        if isinstance(header_version, HttpResponse):
            return self.with_request_id(request, header_version)
        refused = self.find_session(request, header_version)
        if refused is not None:
            return refused
        # Decided from the headers, before the body is read. (A tool call's view
        # authenticates its inner request again, itself.)
        authenticated = self.authenticated(request)
        if isinstance(authenticated, HttpResponse):
            return authenticated
        payload = self.read_json(request)
        if isinstance(payload, HttpResponse):
            return payload
        session = self._session
        version = header_version or (
            session.protocol_version if session is not None else DEFAULT_HTTP_PROTOCOL_VERSION
        )
        if isinstance(payload, list):
            return self.handle_batch(request, payload, header_version, version)
        return self.answer(request, payload, version)

    def header_version(self, request: HttpRequest) -> str | HttpResponse | None:
        """The MCP-Protocol-Version the request names (None: none), or the refusal of its
        headers: Content-Length over the limit, not JSON, JSON not accepted, an unknown
        version."""
        limit = int(mcp_settings.MAX_REQUEST_BODY_SIZE)
        declared = request.META.get("CONTENT_LENGTH")
        try:
            declared_length = int(declared) if declared else None
        except ValueError:
            return transport.transport_error(400, INVALID_REQUEST, "Invalid Content-Length.")
        if declared_length is not None and declared_length > limit:
            # Decided before the body is read.
            return transport.transport_error(
                413, INVALID_REQUEST, f"Request body too large: the limit is {limit} bytes."
            )
        if not transport.content_type_is_json(request):
            return transport.transport_error(
                415, INVALID_REQUEST, "Unsupported Media Type: send Content-Type: application/json."
            )
        if not transport.accepts_json(request):
            return transport.transport_error(
                406, INVALID_REQUEST, "Not Acceptable: the client must accept application/json."
            )
        header_version = transport.requested_protocol_version(request)
        if header_version is not None and header_version not in SUPPORTED_PROTOCOL_VERSIONS:
            return transport.protocol_version_error(header_version)
        return header_version

    def with_request_id(self, request: HttpRequest, refusal: HttpResponse) -> HttpResponse:
        """A refusal decided from the headers, answered with the id of the request in the
        body when one can be read (JSON within the size limit): every error response
        that can be tied to a request carries its id."""
        if refusal.status_code == 413:
            return refusal  # the body is not read
        payload = self.read_json(request)
        request_id = None if isinstance(payload, HttpResponse) else request_id_of(payload)
        if request_id is None:
            return refusal
        body = json.loads(refusal.content)
        body["id"] = request_id
        return transport.json_response(body, status=refusal.status_code)

    def find_session(self, request: HttpRequest, header_version: str | None) -> HttpResponse | None:
        """The caller's session the request names (2025 revisions, ``SESSIONS``), kept for
        this request; or the answer instead (refused credentials, a session gone)."""
        session_id = self.session_id(request)
        if session_id is not None and header_version not in STATELESS_PROTOCOL_VERSIONS:
            found = self.session_of(request, session_id)
            if not isinstance(found, sessions.Session):
                return found
            self._session = found
        return None

    @staticmethod
    def read_json(request: HttpRequest) -> Any:
        """The body decoded (any JSON value), or the HTTP 413 / 400 -32700 answer."""
        limit = int(mcp_settings.MAX_REQUEST_BODY_SIZE)
        body = request.read(limit + 1)
        if len(body) > limit:
            return transport.transport_error(
                413, INVALID_REQUEST, f"Request body too large: the limit is {limit} bytes."
            )
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError):
            message = "Parse error: invalid JSON."
        except RecursionError:
            message = "Parse error: JSON nested too deeply."
        return transport.json_response(
            error_response(None, JSONRPCError(PARSE_ERROR, message)), status=400
        )

    def answer(self, request: HttpRequest, payload: Any, version: str) -> HttpResponseBase:
        """The answer to one message: 400 for an invalid one or (2026-07-28) headers that
        disagree with its body, the endpoint's refusal, an SSE stream, 202 for what has no
        response, else its JSON response (and a new session for an initialize)."""
        try:
            message = parse_message(payload)
        except JSONRPCError as error:
            return transport.json_response(
                error_response(request_id_of(payload), error), status=400
            )
        stateless = version in STATELESS_PROTOCOL_VERSIONS
        mismatch = self.header_mismatch(request, message, stateless)
        if mismatch is not None:
            return mismatch
        denied = self.authorize(request, [message])
        if denied is not None:
            return denied
        context = RequestContext(
            self.caller(request), protocol_version=version, session=self._session
        )
        if self.should_stream(request, message):
            streamed = self.stream(request, message, context)
            if streamed is not None:
                return streamed
        response = self.server.handle(message, context)
        if response is None:
            return HttpResponse(status=202)
        status = 200
        if stateless and "error" in response:
            status = transport.STATELESS_ERROR_STATUS.get(response["error"]["code"], 200)
        answer = transport.json_response(response, status=status)
        if message.method == "initialize" and mcp_settings.SESSIONS and "result" in response:
            owner = self.owner(request)
            if not isinstance(owner, str):
                return owner
            created = sessions.create(
                response["result"]["protocolVersion"], message.params.get("capabilities"), owner
            )
            answer["Mcp-Session-Id"] = created.id
        return answer

    def header_mismatch(
        self, request: HttpRequest, message: Message, stateless: bool
    ) -> HttpResponse | None:
        """2026-07-28: a request's headers repeat its body, and must agree with it
        (notifications are only routed by their version, as the SDKs do)."""
        if message.kind != "request" or not (
            stateless or transport.body_protocol_version(message.params) is not None
        ):
            return None
        assert message.method is not None
        mismatch = transport.header_mismatch(request, message.method, message.params)
        if mismatch is None and message.method == "tools/call":
            mismatch = self.param_header_mismatch(request, message.params)
        if mismatch is None:
            return None
        return transport.json_response(
            error_response(message.id, JSONRPCError(HEADER_MISMATCH, mismatch)), status=400
        )

    def param_header_mismatch(self, request: HttpRequest, params: dict[str, Any]) -> str | None:
        """A tools/call's ``Mcp-Param-*`` headers against its arguments (SEP-2243), for the
        tool's listed ``x-mcp-header`` arguments: checked before anything runs."""
        name = params.get("name")
        tool = self.server.registry.get_tool(name) if isinstance(name, str) else None
        if tool is None or not tool.header_arguments():
            return None
        try:
            schema = tool.listed_definition().get("inputSchema")
        except Exception:  # the tool cannot be listed: its call answers why
            return None

        def header_of(header: str) -> str | None:
            value = request.headers.get(header)
            return value if isinstance(value, str) else None

        return params_codec.mismatch(header_of, schema, params.get("arguments"))

    def stream(
        self, request: HttpRequest, message: Message, context: RequestContext
    ) -> HttpResponseBase | None:
        """The SSE answer to ``message``, or the refusal of a ``subscriptions/listen``
        stream (a sync worker, or the stream caps reached); None: answer as plain JSON (a
        tool call over the caps runs all the same, without notifications)."""
        listen = message.method == "subscriptions/listen"
        refusal = streaming.long_lived_refusal(request) if listen else None
        if refusal is None:
            try:
                slot = streaming.reserve(context.caller, context.session)
            except streaming.TooManyStreams as full:
                if not listen:
                    logger.info("MCP tool call answered without a stream: %s", full)
                    return None
                refusal = str(full)
            else:
                return streaming.call_stream(self.server, message, context, slot, long_lived=listen)
        return transport.json_response(
            error_response(message.id, JSONRPCError(streaming.STREAM_REFUSED, refusal))
        )

    def should_stream(self, request: HttpRequest, message: Message) -> bool:
        """Answer as SSE: the client accepts an event stream and the message streams (see
        :func:`~drf_mcp_bridge.transport.streaming.streams_answer`)."""
        return transport.accepts_event_stream(request) and streaming.streams_answer(
            self.server, message
        )

    def authorize(self, request: HttpRequest, messages: list[Message]) -> HttpResponse | None:
        """The endpoint's refusal of any of ``messages`` (e.g. a token without a needed
        scope: HTTP 403 with ``WWW-Authenticate``), or None."""
        drf_request = self._drf_request
        if drf_request is None:
            return None
        for message in messages:
            try:
                # On the tool the message would really run (discovery's call_tool too).
                self.server.gate.authorize(drf_request, message.method, message.params)
            except authentication.EndpointAuthError as refused:
                return self.refused(refused)
        return None

    @staticmethod
    def refused(refused: authentication.EndpointAuthError) -> HttpResponse:
        denied = transport.transport_error(refused.status, INVALID_REQUEST, refused.message)
        if refused.www_authenticate:
            denied["WWW-Authenticate"] = refused.www_authenticate
        return denied

    def handle_batch(
        self,
        request: HttpRequest,
        payload: list[Any],
        header_version: str | None,
        version: str,
    ) -> HttpResponse:
        if version not in BATCH_PROTOCOL_VERSIONS:
            return transport.transport_error(
                400,
                INVALID_REQUEST,
                f"JSON-RPC batches are not supported in protocol version {version}; "
                "send one message per request.",
            )
        if not payload:
            return transport.transport_error(400, INVALID_REQUEST, "Invalid Request: empty batch.")
        if len(payload) > int(mcp_settings.MAX_BATCH_SIZE):
            return transport.transport_error(
                400,
                INVALID_REQUEST,
                f"Batch too large: at most {mcp_settings.MAX_BATCH_SIZE} messages.",
            )
        # Each item parsed once: a message, or the error answering it.
        parsed: list[Message | dict[str, Any]] = []
        for item in payload:
            try:
                parsed.append(parse_message(item))
            except JSONRPCError as error:
                parsed.append(error_response(request_id_of(item), error))
        denied = self.authorize(request, [m for m in parsed if isinstance(m, Message)])
        if denied is not None:
            return denied
        responses: list[dict[str, Any]] = []
        for message in parsed:
            if not isinstance(message, Message):
                responses.append(message)
                continue
            context = RequestContext(
                self.caller(request), protocol_version=version, session=self._session
            )
            refusal = batch_refusal(message)
            if refusal is not None:
                responses.append(refusal)
                continue
            response = self.server.handle(message, context)
            if response is not None:
                responses.append(response)
        if not responses:
            return HttpResponse(status=202)
        return transport.json_response(responses)
