"""Streamable HTTP rules (MCP 2025-11-25, "Transports"): Origin, headers, bodies, statuses."""

from __future__ import annotations

import base64
import functools
from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from ..conf.settings import mcp_settings
from ..core.jsonrpc import JSONRPCError, dumps, error_response
from ..core.types import (
    HEADER_MISMATCH,
    INVALID_PARAMS,
    INVALID_REQUEST,
    META_PROTOCOL_VERSION,
    METHOD_NOT_FOUND,
    MISSING_REQUIRED_CLIENT_CAPABILITY,
    PARSE_ERROR,
    STATELESS_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
    UNSUPPORTED_PROTOCOL_VERSION,
)

_DEFAULT_PORTS = {"http": "80", "https": "443"}


def json_response(payload: Any, status: int = 200) -> HttpResponse:
    body = dumps(payload)
    return HttpResponse(body, status=status, content_type="application/json")


def transport_error(status: int, code: int, message: str) -> HttpResponse:
    """An HTTP error that still carries a JSON-RPC error body (id null) for the client."""
    return json_response(error_response(None, JSONRPCError(code, message)), status=status)


def _normalise_origin(scheme: str, host: str) -> str:
    host = host.lower()
    name, _, port = host.rpartition(":") if host.count(":") == 1 or "]:" in host else (host, "", "")
    if not name:
        name, port = host, ""
    if port == _DEFAULT_PORTS.get(scheme):
        port = ""
    return f"{scheme}://{name}" + (f":{port}" if port else "")


def origin_allowed(request: HttpRequest) -> bool:
    """DNS-rebinding protection: "Servers MUST validate the Origin header on all incoming
    connections". Absent Origin (non-browser clients), same origin as the request, or an
    origin on ``ALLOWED_ORIGINS`` is allowed.
    """
    # META, not request.headers: building the headers mapping costs more than the check.
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    allowed = mcp_settings.ALLOWED_ORIGINS
    if "*" in allowed:
        return True
    parts = urlsplit(origin)
    if not parts.scheme or not parts.netloc:
        return False
    candidate = _normalise_origin(parts.scheme.lower(), parts.netloc)
    own = _normalise_origin(request.scheme or "http", request.get_host())
    if candidate == own:
        return True
    for entry in allowed:
        entry_parts = urlsplit(str(entry))
        if entry_parts.scheme and entry_parts.netloc:
            normalised = _normalise_origin(entry_parts.scheme.lower(), entry_parts.netloc)
            if normalised == candidate:
                return True
    return False


def content_type_is_json(request: HttpRequest) -> bool:
    content_type = (request.content_type or "").lower()
    return content_type == "application/json" or content_type.endswith("+json")


def accepted_media(request: HttpRequest) -> frozenset[str]:
    """The media types of the Accept header, lower-cased, parameters dropped."""
    return _media_types(request.META.get("HTTP_ACCEPT") or "")


@functools.lru_cache(maxsize=128)
def _media_types(accept: str) -> frozenset[str]:
    # Clients send one Accept header on every request: parsed once per distinct value.
    return frozenset(part.split(";")[0].strip().lower() for part in accept.split(","))


def accepts_json(request: HttpRequest) -> bool:
    """The client must accept application/json for a POST to get an answer. A missing
    Accept header is read as "anything", as HTTP says.
    """
    if not request.META.get("HTTP_ACCEPT"):
        return True
    return bool(accepted_media(request) & {"application/json", "application/*", "*/*"})


def accepts_event_stream(request: HttpRequest) -> bool:
    return "text/event-stream" in accepted_media(request)


def requested_protocol_version(request: HttpRequest) -> str | None:
    """The MCP-Protocol-Version header, or None when absent."""
    value = request.META.get("HTTP_MCP_PROTOCOL_VERSION")
    return value.strip() if value is not None else None


def protocol_version_error(version: str) -> HttpResponse:
    """HTTP 400 ("If the server receives a request with an invalid or unsupported
    MCP-Protocol-Version, it MUST respond with 400 Bad Request"), with the -32022 error
    that 2026-07-28 clients read to fall back to a version listed in ``data.supported``.
    """
    supported = ", ".join(SUPPORTED_PROTOCOL_VERSIONS)
    error = JSONRPCError(
        UNSUPPORTED_PROTOCOL_VERSION,
        f"Unsupported MCP-Protocol-Version {version!r}; this server supports {supported}.",
        {"supported": list(SUPPORTED_PROTOCOL_VERSIONS), "requested": version},
    )
    return json_response(error_response(None, error), status=400)


#: 2026-07-28 answers these JSON-RPC errors with an HTTP error status too.
STATELESS_ERROR_STATUS = {
    PARSE_ERROR: 400,
    INVALID_REQUEST: 400,
    INVALID_PARAMS: 400,
    HEADER_MISMATCH: 400,
    MISSING_REQUIRED_CLIENT_CAPABILITY: 400,
    UNSUPPORTED_PROTOCOL_VERSION: 400,
    METHOD_NOT_FOUND: 404,
}
#: Methods whose target is mirrored in the Mcp-Name header (2026-07-28).
_NAME_PARAM = {
    "tools/call": "name",
    "prompts/get": "name",
    "resources/read": "uri",
    # The Tasks extension (SEP-2663): Mcp-Name carries the task id.
    "tasks/get": "taskId",
    "tasks/update": "taskId",
    "tasks/cancel": "taskId",
}


def body_protocol_version(params: dict[str, Any]) -> Any:
    """The version a request's ``params._meta`` names (2026-07-28), or None."""
    meta = params.get("_meta")
    return meta.get(META_PROTOCOL_VERSION) if isinstance(meta, dict) else None


def routing_headers(message: Any) -> dict[str, str]:
    """The headers a 2026-07-28 HTTP client sends with ``message`` (a decoded request or
    notification), for callers that have no HTTP (the stdio server); {} for others."""
    params = message.get("params") if isinstance(message, dict) else None
    version = body_protocol_version(params) if isinstance(params, dict) else None
    if not isinstance(version, str) or version not in STATELESS_PROTOCOL_VERSIONS:
        return {}
    assert isinstance(params, dict)
    method = message.get("method")
    headers = {"MCP-Protocol-Version": version, "Mcp-Method": str(method)}
    name = params.get(_NAME_PARAM.get(str(method), ""))
    if isinstance(name, str):
        encoded = base64.b64encode(name.encode()).decode("ascii")
        headers["Mcp-Name"] = name if name.isascii() else f"=?base64?{encoded}?="
    return headers


def _header_value(value: str | None) -> str | None:
    """An Mcp-Name value, with the ``=?base64?...?=`` form for non-ASCII names decoded."""
    if value is None or not (value.startswith("=?base64?") and value.endswith("?=")):
        return value
    try:
        return base64.b64decode(value[9:-2], validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def header_mismatch(request: HttpRequest, method: str, params: dict[str, Any]) -> str | None:
    """What in a 2026-07-28 request's headers disagrees with its body, or None."""
    header_version = requested_protocol_version(request)
    body_version = body_protocol_version(params)
    if body_version is not None and header_version != body_version:
        return (
            f"The MCP-Protocol-Version header ({header_version!r}) does not match "
            f"params._meta's protocol version ({body_version!r})."
        )
    method_header = request.META.get("HTTP_MCP_METHOD")
    if method_header != method:
        return f"The Mcp-Method header ({method_header!r}) does not match the method ({method!r})."
    key = _NAME_PARAM.get(method)
    if key is not None and isinstance(params.get(key), str):
        name = _header_value(request.META.get("HTTP_MCP_NAME"))
        if name != params[key]:
            return f"The Mcp-Name header does not match the request's {key!r}."
    return None


def method_not_allowed(allowed: str = "POST") -> HttpResponse:
    response = transport_error(
        405,
        INVALID_REQUEST,
        "Method not allowed: send JSON-RPC messages with POST. This server offers an SSE "
        "stream on GET only to a session (REST_FRAMEWORK_MCP['SESSIONS']).",
    )
    response["Allow"] = allowed
    return response
