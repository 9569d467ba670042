"""How a view's response becomes a ``CallToolResult``: :class:`ResultRenderer`.

Like DRF's pagination classes: one small class whose hooks a project overrides, chosen by
the ``RESULT_RENDERER`` setting (a dotted path) or per registration
(``result_renderer=``). Only the tool result changes: the REST response is the view's own.

* :meth:`ResultRenderer.error_message`: the text that opens an error result (the status,
  and what the model can do about it: :attr:`ResultRenderer.status_hints`, Retry-After);
* :meth:`ResultRenderer.error_result`: the whole error result (that text and the body);
* :meth:`ResultRenderer.empty_result`: a 204 or an empty body;
* :meth:`ResultRenderer.file_result`: a body that is not JSON (a file, an image, a CSV);
* :meth:`ResultRenderer.json_result`: a JSON body, as text and structured content;
* :meth:`ResultRenderer.list_text`: the compact text of a tabular list result
  (``RESULT_TEXT_FORMAT``, a registration's ``result_text_format``; see :mod:`.compact`).
"""

from __future__ import annotations

import base64
import functools
import json
import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils.module_loading import import_string

from ..conf.settings import mcp_settings
from ..core.jsonrpc import EncodedObject
from ..core.types import CallToolResult
from .compact import checked_format, compact_text

if TYPE_CHECKING:
    from .interfaces import ResultTool

#: What each failing status tells the model beyond DRF's own detail.
STATUS_HINTS: dict[int, str] = {
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

#: Response headers about freshness and caching that are kept in the result's ``_meta``.
CACHE_HEADERS = ("ETag", "Last-Modified", "Cache-Control", "Expires", "Age")

_TEXT_TYPES = ("application/xml", "application/javascript", "application/x-ndjson")


def body_bytes(response: HttpResponseBase, limit: int | None = None) -> bytes:
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


def _utf8(raw: bytes, response: HttpResponseBase) -> str | None:
    """A JSON body (an object or an array) as text when it is plain UTF-8 (as DRF renders
    it), else None."""
    if (response.charset or "utf-8").lower() not in {"utf-8", "utf8"} or raw[:1] not in {
        b"{",
        b"[",
    }:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def media_type(response: HttpResponseBase) -> str:
    return (response.get("Content-Type") or "").split(";")[0].strip().lower()


def _is_text(kind: str) -> bool:
    return (
        not kind
        or kind.startswith("text/")
        or kind in _TEXT_TYPES
        or kind.endswith(("+json", "+xml", "/json"))
    )


def _is_json(response: HttpResponseBase) -> bool:
    kind = media_type(response)
    return kind == "application/json" or kind.endswith("+json")


def _filename(response: HttpResponseBase) -> str | None:
    disposition = response.get("Content-Disposition") or ""
    found = re.search(r'filename\*?=(?:UTF-8\'\')?"?([^";]+)"?', disposition)
    return unquote(found.group(1)) if found else None


def file_result(response: HttpResponseBase, raw: bytes, limit: int) -> CallToolResult:
    """A non-JSON body (a file download, an image, a CSV export) as content a client can
    use: text as text (an embedded resource when it is an attachment), images and audio
    as such, other bytes as an embedded resource blob. Bodies over ``limit`` bytes are
    refused with a message, never cut mid-file."""
    kind = media_type(response)
    name = _filename(response)
    if len(raw) > limit:
        return {
            "content": [
                {
                    "type": "text",
                    "text": f"The response ({kind or 'unknown type'}"
                    + (f", {name}" if name else "")
                    + f") is over the limit of {limit} bytes for a tool result; "
                    "ask for a smaller file or range, or download it over HTTP.",
                }
            ],
            "isError": True,
        }
    uri = f"attachment://{quote(name)}" if name else None
    if _is_text(kind):
        text = raw.decode(response.charset or "utf-8", errors="replace")
        if uri is None:
            return {"content": [{"type": "text", "text": text}]}
        resource = {"uri": uri, "mimeType": kind or "text/plain", "text": text}
        return {"content": [{"type": "resource", "resource": resource}]}
    data = base64.b64encode(raw).decode("ascii")
    top = kind.split("/")[0]
    if top in {"image", "audio"}:
        return {"content": [{"type": top, "data": data, "mimeType": kind}]}
    resource = {
        "uri": uri or "attachment://content",
        "mimeType": kind or "application/octet-stream",
        "blob": data,
    }
    return {"content": [{"type": "resource", "resource": resource}]}


def add_http_meta(response: HttpResponseBase, result: CallToolResult) -> None:
    """Keep the inner response's caching headers (and its status) in ``_meta``, so a
    client can tell how fresh the data is; nothing is added when there are none."""
    present = response.headers
    headers = {name: present[name] for name in CACHE_HEADERS if name in present}
    if headers:
        result["_meta"] = {"http": {"status": response.status_code, "headers": headers}}


class ResultRenderer:
    """Turns the response of a tool's view into the tool result the model reads.

    Override one hook to change one kind of answer; :meth:`render` picks the hook and adds
    what every answer gets (caching headers in ``_meta``, structured content checked
    against the tool's ``outputSchema``). A new instance renders each call.
    """

    #: The hint after "Error: HTTP <status> <reason>." per status (none for the others).
    status_hints: dict[int, str] = STATUS_HINTS
    #: Most characters of a non-JSON error body passed on (server errors pass none).
    error_body_length = 2000

    def render(self, response: HttpResponseBase, tool: ResultTool) -> CallToolResult:
        limit = int(mcp_settings.MAX_FILE_RESULT_SIZE)
        raw = body_bytes(response, limit)
        parsed: Any = None
        if raw and _is_json(response):
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = None
        if response.status_code >= 400:
            return self.error_result(response, raw, parsed)
        if response.status_code == 204 or not raw:
            result = self.empty_result(response)
            add_http_meta(response, result)
            return result
        if parsed is None:
            # Not JSON (a file, an image, HTML, CSV): text or an embedded resource.
            result = self.file_result(response, raw, limit)
            add_http_meta(response, result)
            return result
        result = self.json_result(response, parsed, raw)
        structured = result.pop("structuredContent", None)
        add_http_meta(response, result)
        if structured is not None and (getattr(tool, "listing", False) or isinstance(parsed, list)):
            self._compact(result, structured, text_format_for(tool))
        if structured is not None and "outputSchema" in tool.listed_definition():
            if not mcp_settings.OUTPUT_CHECK:
                result["structuredContent"] = structured  # trusted (OUTPUT_CHECK off)
                return result
            problem = tool.output_checker()(structured)
            if problem is None:
                result["structuredContent"] = structured
            else:
                tool.withdraw_output_schema(problem)
        return result

    def list_text(self, data: Any, text_format: str, json_text: str) -> str | None:
        """The text the model reads for the list result ``data`` (the structured content:
        the paginator's envelope, or ``{"results": [...]}``) in ``text_format`` ("toon" or
        "csv"), or None to keep ``json_text``. By default only tabular lists change (see
        :mod:`drf_mcp_bridge.invocation.compact`)."""
        return compact_text(data, text_format, json_text)

    def _compact(self, result: CallToolResult, structured: Any, text_format: str) -> None:
        if text_format == "json":
            return
        blocks = result.get("content") or []
        first = blocks[0] if blocks else None
        if not isinstance(first, dict) or first.get("type") != "text":
            return
        text = self.list_text(structured, text_format, str(first.get("text", "")))
        if text is not None:
            blocks[0] = {**first, "text": text}

    def error_message(self, response: HttpResponseBase) -> str:
        """The text that opens the result of a failing status: "Error: HTTP 404 Not
        Found." and the status's hint (429: how long to wait, from Retry-After)."""
        status = response.status_code
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        message = f"Error: HTTP {status} {reason}".rstrip() + "."
        hint = self.status_hints.get(status)
        if status == 429 and response.get("Retry-After"):
            hint = f"Too many requests; wait {response['Retry-After']} seconds before retrying."
        return f"{message} {hint}" if hint else message

    def error_result(self, response: HttpResponseBase, raw: bytes, parsed: Any) -> CallToolResult:
        """A status of 400 or more: :meth:`error_message`, then the body (DRF's detail);
        never the body of a server error (a traceback or SQL must not reach the model).
        ``parsed`` is the JSON body, or None when the body is not JSON."""
        text = raw.decode(response.charset or "utf-8", errors="replace")
        if response.status_code >= 500:
            text = ""
        elif parsed is None:
            text = text[: self.error_body_length]
        blocks = [{"type": "text", "text": self.error_message(response)}]
        if text:
            blocks.append({"type": "text", "text": text})
        return {"content": blocks, "isError": True}

    def empty_result(self, response: HttpResponseBase) -> CallToolResult:
        """A 204, or a success without a body."""
        status = response.status_code
        return {"content": [{"type": "text", "text": f"Done (HTTP {status}, no content)."}]}

    def file_result(self, response: HttpResponseBase, raw: bytes, limit: int) -> CallToolResult:
        """A body that is not JSON, of at most ``limit`` + 1 bytes (``raw``); see
        :func:`file_result`."""
        return file_result(response, raw, limit)

    def json_result(self, response: HttpResponseBase, data: Any, raw: bytes) -> CallToolResult:
        """A JSON body (``data``, parsed from ``raw``): its text, and ``structuredContent``
        (an object: a bare list is wrapped as ``{"results": [...]}``), which :meth:`render`
        keeps only when the tool declares an ``outputSchema`` the data matches.

        The structured content is an :class:`~drf_mcp_bridge.core.jsonrpc.EncodedObject`
        that carries the view's own JSON text: the answer sends those bytes instead of
        encoding the data again (replace it with a new object to change it)."""
        clean = _utf8(raw, response)
        if isinstance(data, dict):
            text = (
                clean if clean is not None else raw.decode(response.charset or "utf-8", "replace")
            )
            return {
                "content": [{"type": "text", "text": text}],
                "structuredContent": EncodedObject(data, clean),
            }
        # structuredContent must be an object: a bare list is wrapped, and the text block
        # carries the same JSON as the structured content.
        wrapped = {"results": data}
        if clean is not None:
            text = '{"results":' + clean + "}"
        else:
            text = json.dumps(wrapped, separators=(",", ":"), ensure_ascii=False)
        return {
            "content": [{"type": "text", "text": text}],
            "structuredContent": EncodedObject(wrapped, text if clean is not None else None),
        }


@functools.lru_cache(maxsize=64)
def _imported(path: str) -> type[ResultRenderer]:
    try:
        found = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Result renderer {path!r} cannot be imported: {exc}") from exc
    return _checked(found, path)


def _checked(found: Any, named: str) -> type[ResultRenderer]:
    if not (isinstance(found, type) and issubclass(found, ResultRenderer)):
        raise ImproperlyConfigured(
            f"Result renderer {named} is not a subclass of "
            "drf_mcp_bridge.invocation.renderers.ResultRenderer."
        )
    return found


def resolve_renderer(chosen: Any) -> type[ResultRenderer]:
    """A renderer class given as a class or a dotted path (imported once per path)."""
    if isinstance(chosen, str):
        return _imported(chosen)
    return _checked(chosen, repr(chosen))


def renderer_for(tool: Any) -> type[ResultRenderer]:
    """The renderer of a tool's results: its own ``result_renderer`` (or its
    registration's), else the ``RESULT_RENDERER`` setting."""
    chosen = getattr(tool, "result_renderer", None)
    if chosen is None:
        chosen = getattr(getattr(tool, "registration", None), "result_renderer", None)
    if chosen is None:
        chosen = mcp_settings.RESULT_RENDERER
    return resolve_renderer(chosen)


def text_format_for(tool: Any) -> str:
    """The text format of a tool's list results: its own ``result_text_format`` (an
    ``@mcp_action``/``@mcp_view`` option), its registration's, else the
    ``RESULT_TEXT_FORMAT`` setting."""
    chosen = getattr(tool, "result_text_format", None)
    if chosen is None:
        chosen = getattr(getattr(tool, "registration", None), "result_text_format", None)
    if chosen is None:
        chosen = mcp_settings.RESULT_TEXT_FORMAT
    try:
        return checked_format(chosen)
    except TypeError:
        return "json"  # check E015 reports a wrong setting; a result is never refused
