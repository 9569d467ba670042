"""Streamable HTTP rules (MCP 2025-11-25, "Transports"): Origin, headers, bodies, statuses."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse

from .jsonrpc import JSONRPCError, dumps, error_response
from .settings import mcp_settings
from .types import INVALID_REQUEST, SUPPORTED_PROTOCOL_VERSIONS, UNSUPPORTED_PROTOCOL_VERSION

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


def accepts_json(request: HttpRequest) -> bool:
    """The client must accept application/json for a POST to get an answer. A missing
    Accept header is read as "anything", as HTTP says.
    """
    accept = request.META.get("HTTP_ACCEPT")
    if not accept:
        return True
    media = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    return bool(media & {"application/json", "application/*", "*/*"})


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


def method_not_allowed(allowed: str = "POST") -> HttpResponse:
    response = transport_error(
        405,
        INVALID_REQUEST,
        "Method not allowed: send JSON-RPC messages with POST. This server does not offer "
        "an SSE stream on GET.",
    )
    response["Allow"] = allowed
    return response
