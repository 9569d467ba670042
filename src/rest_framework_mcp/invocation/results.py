"""DRF responses → ``CallToolResult``."""

from __future__ import annotations

import base64
import json
import logging
import re
from collections.abc import Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponseBase, StreamingHttpResponse

from ..conf.settings import mcp_settings
from ..core.types import CallToolResult

if TYPE_CHECKING:
    from .interfaces import ResultTool

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


#: Django's data-upload limits: the setting, and what the model is told.
_UPLOAD_LIMITS: list[tuple[type[SuspiciousOperation], str, str]] = [
    (
        TooManyFieldsSent,
        "DATA_UPLOAD_MAX_NUMBER_FIELDS",
        "The call sends more parameters than the server accepts (at most {limit}, "
        "Django's {setting}); send fewer values, e.g. shorter lists.",
    ),
    (
        TooManyFilesSent,
        "DATA_UPLOAD_MAX_NUMBER_FILES",
        "The call sends more files than the server accepts (at most {limit}, "
        "Django's {setting}); send fewer files.",
    ),
    (
        RequestDataTooBig,
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "The call's data is larger than the server accepts (at most {limit} bytes, "
        "Django's {setting}); send less.",
    ),
]


def refused_request_result(exc: SuspiciousOperation) -> CallToolResult:
    """The result of an inner request Django refuses as a ``SuspiciousOperation``
    (``TooManyFieldsSent``, ``RequestDataTooBig``, ``DisallowedHost``...): a 400 over REST,
    so a client's mistake, not a server error. The data-upload limits are explained; other
    refusals are named by their class only, since their messages may quote the request."""
    from django.conf import settings

    detail = f"Django refused the request as malformed or suspicious ({type(exc).__name__})."
    for refusal, setting, hint in _UPLOAD_LIMITS:
        if isinstance(exc, refusal):
            detail = hint.format(setting=setting, limit=getattr(settings, setting, None))
            break
    text = f"Error: HTTP 400 Bad Request. {detail}"
    return {"content": [{"type": "text", "text": text}], "isError": True}


def _body_bytes(response: HttpResponseBase, limit: int | None = None) -> bytes:
    """The body; of a streaming response (StreamingHttpResponse, FileResponse) at most
    ``limit`` + 1 bytes are read, so a huge file is never held in memory."""
    if isinstance(response, StreamingHttpResponse):
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in response.streaming_content:  # type: ignore[union-attr]
                data = chunk if isinstance(chunk, bytes) else str(chunk).encode()
                parts.append(data)
                size += len(data)
                if limit is not None and size > limit:
                    break
        finally:
            response.close()  # a FileResponse's file is closed here
        return b"".join(parts)
    content: bytes = getattr(response, "content", b"")
    return content


_TEXT_TYPES = ("application/xml", "application/javascript", "application/x-ndjson")


def _media_type(response: HttpResponseBase) -> str:
    return (response.get("Content-Type") or "").split(";")[0].strip().lower()


def _is_text(media_type: str) -> bool:
    return (
        not media_type
        or media_type.startswith("text/")
        or media_type in _TEXT_TYPES
        or media_type.endswith(("+json", "+xml", "/json"))
    )


def _filename(response: HttpResponseBase) -> str | None:
    disposition = response.get("Content-Disposition") or ""
    found = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition)
    return unquote(found.group(1)) if found else None


def file_result(response: HttpResponseBase, raw: bytes, limit: int) -> CallToolResult:
    """A non-JSON body (a file download, an image, a CSV export) as content a client can
    use: text as text (an embedded resource when it is an attachment), images and audio
    as such, other bytes as an embedded resource blob. Bodies over ``limit`` bytes are
    refused with a message, never cut mid-file."""
    media_type = _media_type(response)
    name = _filename(response)
    if len(raw) > limit:
        return {
            "content": [
                {
                    "type": "text",
                    "text": f"The response ({media_type or 'unknown type'}"
                    + (f", {name}" if name else "")
                    + f") is over the limit of {limit} bytes for a tool result; "
                    "ask for a smaller file or range, or download it over HTTP.",
                }
            ],
            "isError": True,
        }
    uri = f"attachment://{quote(name)}" if name else None
    if _is_text(media_type):
        text = raw.decode(response.charset or "utf-8", errors="replace")
        if uri is None:
            return {"content": [{"type": "text", "text": text}]}
        resource = {"uri": uri, "mimeType": media_type or "text/plain", "text": text}
        return {"content": [{"type": "resource", "resource": resource}]}
    data = base64.b64encode(raw).decode("ascii")
    kind = media_type.split("/")[0]
    if kind in {"image", "audio"}:
        return {"content": [{"type": kind, "data": data, "mimeType": media_type}]}
    resource = {
        "uri": uri or "attachment://content",
        "mimeType": media_type or "application/octet-stream",
        "blob": data,
    }
    return {"content": [{"type": "resource", "resource": resource}]}


def _is_json(response: HttpResponseBase) -> bool:
    content_type = _media_type(response)
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


def response_to_result(response: HttpResponseBase, tool: ResultTool) -> CallToolResult:
    status = response.status_code
    limit = int(mcp_settings.MAX_FILE_RESULT_SIZE)
    raw = _body_bytes(response, limit)
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
        # Not JSON (a file, an image, HTML, CSV): text or an embedded resource.
        plain = file_result(response, raw, limit)
        _add_http_meta(response, plain)
        return plain
    if not isinstance(parsed, dict):
        # structuredContent must be an object: a bare list is wrapped, and the text
        # block carries the same JSON as the structured content.
        parsed = {"results": parsed}
        text = json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)
    result: CallToolResult = {"content": [{"type": "text", "text": text}]}
    _add_http_meta(response, result)
    if "outputSchema" in tool.listed_definition():
        problem = tool.output_checker()(parsed)
        if problem is None:
            result["structuredContent"] = parsed
        else:
            tool.withdraw_output_schema(problem)
    return result


def error_result(message: str) -> CallToolResult:
    return {"content": [{"type": "text", "text": message}], "isError": True}


def unknown_arguments(unknown: Sequence[str], accepted: Sequence[str]) -> CallToolResult:
    """The tool error for arguments a tool does not take, naming the ones it does, so the
    model can correct the call."""
    return error_result(
        f"Unknown argument(s): {', '.join(sorted(unknown))}. This tool accepts: "
        f"{', '.join(sorted(accepted)) or 'no arguments'}."
    )
