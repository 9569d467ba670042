"""DRF responses → ``CallToolResult``."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.http import HttpResponseBase, StreamingHttpResponse

from .types import CallToolResult

if TYPE_CHECKING:
    from .tools import Tool

logger = logging.getLogger("rest_framework_mcp")

#: What each failing status tells the model beyond DRF's own detail.
_STATUS_HINTS = {
    400: "Fix the arguments named in the errors and call the tool again.",
    401: "This call needs credentials: the MCP client must send them (e.g. an "
    "Authorization header) and the user cannot fix that by changing arguments.",
    403: "The current user is not allowed to do this.",
    404: "Nothing matches these arguments; list the resource to find a valid one.",
    405: "This operation is not allowed on this resource.",
    409: "The request conflicts with the current state; read the object and retry.",
    413: "The request is too large.",
    415: "The view does not accept this content type.",
    429: "Too many requests; wait before calling again.",
}


def _body_bytes(response: HttpResponseBase) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(
            chunk if isinstance(chunk, bytes) else str(chunk).encode()
            for chunk in response.streaming_content  # type: ignore[union-attr]
        )
    content: bytes = getattr(response, "content", b"")
    return content


def _is_json(response: HttpResponseBase) -> bool:
    content_type = (response.get("Content-Type") or "").split(";")[0].strip().lower()
    return content_type == "application/json" or content_type.endswith("+json")


#: Response headers about freshness and caching that are kept in the result's ``_meta``.
CACHE_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Expires", "Age")


def _add_http_meta(response: HttpResponseBase, result: CallToolResult) -> None:
    """Keep the inner response's caching headers (and its status) in ``_meta``, so a
    client can tell how fresh the data is; nothing is added when there are none.
    """
    present = response.headers
    headers = {name: present[name] for name in CACHE_HEADERS if name in present}
    if headers:
        result["_meta"] = {"http": {"status": response.status_code, "headers": headers}}


def response_to_result(response: HttpResponseBase, tool: Tool) -> CallToolResult:
    status = response.status_code
    raw = _body_bytes(response)
    text = raw.decode(response.charset or "utf-8", errors="replace")
    parsed: Any = None
    if raw and _is_json(response):
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = None
    if status >= 400:
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        message = f"Error: HTTP {status} {reason}".rstrip() + "."
        hint = _STATUS_HINTS.get(status)
        if status == 429 and response.get("Retry-After"):
            hint = f"Too many requests; wait {response['Retry-After']} seconds before retrying."
        if hint:
            message += f" {hint}"
        # Never pass a server error page (traceback, SQL) on to the model.
        body_text = "" if status >= 500 else (text if parsed is not None else text[:2000])
        blocks = [{"type": "text", "text": message}]
        if body_text:
            blocks.append({"type": "text", "text": body_text})
        return {"content": blocks, "isError": True}
    if status == 204 or not raw:
        done: CallToolResult = {
            "content": [{"type": "text", "text": f"Done (HTTP {status}, no content)."}]
        }
        _add_http_meta(response, done)
        return done
    if parsed is None:
        # Not JSON (a file, HTML, CSV): the body as text, never a crash.
        plain: CallToolResult = {"content": [{"type": "text", "text": text}]}
        _add_http_meta(response, plain)
        return plain
    if not isinstance(parsed, dict):
        # structuredContent must be an object: a bare list is wrapped, and the text
        # block carries the same JSON as the structured content.
        parsed = {"results": parsed}
        text = json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)
    result: CallToolResult = {"content": [{"type": "text", "text": text}]}
    _add_http_meta(response, result)
    schema = tool.output_schema()
    if schema is not None:
        problem = tool.output_checker()(parsed)
        if problem is None:
            result["structuredContent"] = parsed
        else:
            # Clients reject structured content that breaks the declared schema; send the
            # text alone and tell the developer.
            logger.warning(
                "Result of %s does not match its outputSchema (%s); structuredContent omitted.",
                tool.name,
                problem,
            )
    return result
