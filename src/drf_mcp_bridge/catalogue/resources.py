"""MCP resources: ViewSet data as readable resources, and user-registered resources.

URI scheme (documented in docs/resources.md):

* ``drf://<resource>`` — a list action (``customers_list``); a query string passes the list
  tool's arguments: ``drf://customers?search=ann&page=2``.
* ``drf://<resource>/{<lookup>}`` — a retrieve action, as an RFC 6570 level-1 template:
  ``drf://customers/{pk}`` read as ``drf://customers/42``.

Reading one runs the same tool a ``tools/call`` would, through the real DRF view with the
caller's credentials, so permissions, throttles and filters apply alike.

``@mcp_resource("docs://readme")`` registers a function as a static resource; a URI with
``{variables}`` registers a template whose variables are the function's keyword arguments.
"""

from __future__ import annotations

import base64
import inspect
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from ..core.jsonrpc import JSONRPCError
from ..core.types import INVALID_PARAMS, RESOURCE_NOT_FOUND
from .registry import registry
from .tools import ViewSetActionTool

SCHEME = "drf"
#: The view refused the read (401/403/429/400...): ``data.status`` says how.
RESOURCE_REFUSED = -32001

_VARIABLE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_STATUS = re.compile(r"^Error: HTTP (\d{3})")


@dataclass
class UserResource:
    """A resource (or template, when ``uri`` has ``{variables}``) a function answers."""

    uri: str
    function: Callable[..., Any]
    name: str
    title: str | None = None
    description: str | None = None
    mime_type: str | None = None
    complete: dict[str, Any] = field(default_factory=dict)

    @property
    def variables(self) -> list[str]:
        return _VARIABLE.findall(self.uri)

    @property
    def is_template(self) -> bool:
        return bool(self.variables)

    def match(self, uri: str) -> dict[str, str] | None:
        if not self.is_template:
            return {} if uri == self.uri else None
        pattern = "".join(
            f"(?P<{part[1:-1]}>[^/?#]+)" if _VARIABLE.fullmatch(part) else re.escape(part)
            for part in re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", self.uri)
        )
        found = re.fullmatch(pattern, uri)
        if found is None:
            return None
        return {k: unquote(v) for k, v in found.groupdict().items()}

    def describe(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"uriTemplate" if self.is_template else "uri": self.uri}
        entry["name"] = self.name
        if self.title:
            entry["title"] = self.title
        if self.description:
            entry["description"] = self.description
        if self.mime_type:
            entry["mimeType"] = self.mime_type
        return entry

    def read(self, uri: str, variables: dict[str, str], drf_request: Any) -> dict[str, Any]:
        kwargs: dict[str, Any] = dict(variables)
        if "request" in inspect.signature(self.function).parameters:
            kwargs["request"] = drf_request
        value = self.function(**kwargs)
        return contents_of(uri, value, self.mime_type)


def contents_of(uri: str, value: Any, mime_type: str | None) -> dict[str, Any]:
    """One ``contents`` entry: text, base64 blob for bytes, JSON for anything else."""
    if isinstance(value, bytes):
        return {
            "uri": uri,
            "mimeType": mime_type or "application/octet-stream",
            "blob": base64.b64encode(value).decode("ascii"),
        }
    if isinstance(value, str):
        return {"uri": uri, "mimeType": mime_type or "text/plain", "text": value}
    return {
        "uri": uri,
        "mimeType": mime_type or "application/json",
        "text": json.dumps(value, ensure_ascii=False, default=str),
    }


def mcp_resource(
    uri: str,
    *,
    name: str | None = None,
    title: str | None = None,
    description: str | None = None,
    mime_type: str | None = None,
    complete: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a resource (or a template when ``uri`` has ``{variables}``).

    The function takes the template's variables as keyword arguments (and ``request``, the
    caller's DRF request, if it asks for it) and returns ``str`` (text), ``bytes`` (a blob)
    or any JSON-serialisable value. ``complete`` maps a variable to a list of values or a
    callable ``(value, request) -> list[str]`` for ``completion/complete``.
    """

    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", uri):
            raise ValueError(f"Resource URI {uri!r} needs a scheme, e.g. 'docs://readme'.")
        resource = UserResource(
            uri=uri,
            function=function,
            name=name or function.__name__,
            title=title,
            description=description or inspect.getdoc(function),
            mime_type=mime_type,
            complete=dict(complete or {}),
        )
        registry.register_resource(resource)
        return function

    return decorator


def unregister_resource(uri: str) -> None:
    """Remove the ``@mcp_resource`` of ``uri``: ``registry.unregister(uri,
    kind="resource")``."""
    registry.unregister(uri, kind="resource")


def user_resources() -> list[UserResource]:
    """The ``@mcp_resource`` resources: ``registry.resources()``."""
    return [r for r in registry.resources() if isinstance(r, UserResource)]


# ViewSet resources ---------------------------------------------------------------------


def viewset_resources(tools: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """(list tools, retrieve tools) of the registered ViewSets, in tool order; a tool left
    out of tools/list (its definition fails) gives no resource either."""
    lists, details = [], []
    for tool in tools.values():
        if not isinstance(tool, ViewSetActionTool) or tool.operation.extra:
            continue
        if tool.unavailable() is not None:
            continue
        if tool.action == "list" and tool.method == "get":
            lists.append(tool)
        elif tool.action == "retrieve" and tool.method == "get":
            details.append(tool)
    return lists, details


def resource_key(tool: Any) -> str:
    """The ``<resource>`` part of a ViewSet tool's URIs (its name without the action)."""
    name: str = tool.name
    suffix = f"_{tool.key}"
    return name[: -len(suffix)] if name.endswith(suffix) else tool.resource


def _text(value: Any) -> str | None:
    """A title or description as a string (a lazy translation is resolved)."""
    return None if value is None else str(value)


def list_entry(tool: Any) -> dict[str, Any]:
    entry = {
        "uri": f"{SCHEME}://{resource_key(tool)}",
        "name": resource_key(tool),
        "title": _text(tool.title),
        "description": (
            f"{tool.description} Read with a query string of {tool.name}'s arguments, "
            f"e.g. {SCHEME}://{resource_key(tool)}?page=2."
        ),
        "mimeType": "application/json",
    }
    return entry


def template_entry(tool: Any) -> dict[str, Any]:
    return {
        "uriTemplate": f"{SCHEME}://{resource_key(tool)}/{{{tool.lookup_argument}}}",
        "name": f"{resource_key(tool)}_item",
        "title": _text(tool.title),
        "description": _text(tool.description),
        "mimeType": "application/json",
    }


def resource_entries(
    tools: dict[str, Any], visible: Callable[[Any], bool] = lambda tool: True
) -> list[dict[str, Any]]:
    """``resources/list``: the list tools ``visible`` lets through, then the static
    ``@mcp_resource`` resources."""
    lists, _ = viewset_resources(tools)
    entries = [list_entry(tool) for tool in lists if visible(tool)]
    return entries + [r.describe() for r in user_resources() if not r.is_template]


def template_entries(
    tools: dict[str, Any], visible: Callable[[Any], bool] = lambda tool: True
) -> list[dict[str, Any]]:
    """``resources/templates/list``: the retrieve tools ``visible`` lets through, then the
    ``@mcp_resource`` templates."""
    _, details = viewset_resources(tools)
    entries = [template_entry(tool) for tool in details if visible(tool)]
    return entries + [r.describe() for r in user_resources() if r.is_template]


def is_known_uri(uri: str, tools: dict[str, Any]) -> bool:
    """Whether ``uri`` names a resource of this server (without reading it)."""
    if any(r.match(uri) is not None for r in user_resources()):
        return True
    try:
        key, lookup, _ = parse_drf_uri(uri)
    except JSONRPCError:
        return False
    return viewset_resource(tools, key, lookup) is not None


def viewset_resource(tools: dict[str, Any], key: str, lookup: str | None) -> Any:
    """The tool that serves ``drf://<key>`` (its list tool) or ``drf://<key>/<lookup>``
    (its retrieve tool), or None."""
    lists, details = viewset_resources(tools)
    candidates = lists if lookup is None else details
    return next((t for t in candidates if resource_key(t) == key), None)


def parse_drf_uri(uri: str) -> tuple[str, str | None, dict[str, str]]:
    """(resource, lookup value or None, query arguments) of a ``drf://`` URI."""
    parts = urlsplit(uri)
    if parts.scheme != SCHEME or not parts.netloc:
        raise JSONRPCError(INVALID_PARAMS, f"Not a {SCHEME}:// resource URI: {uri!r}.")
    path = parts.path.strip("/")
    if "/" in path:
        raise JSONRPCError(RESOURCE_NOT_FOUND, f"Resource not found: {uri!r}.", {"uri": uri})
    return parts.netloc, (unquote(path) if path else None), dict(parse_qsl(parts.query))


def result_to_contents(
    uri: str, result: dict[str, Any], status: int | None
) -> list[dict[str, Any]]:
    """A tool result as ``resources/read`` contents, or the JSON-RPC error it means
    (``status``: the inner response's HTTP status, when a view answered)."""
    if result.get("isError"):
        blocks = result.get("content") or []
        text = " ".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))
        if status is None:
            found = _STATUS.match(text)
            status = int(found.group(1)) if found else None
        if status == 404:
            raise JSONRPCError(RESOURCE_NOT_FOUND, f"Resource not found: {uri!r}.", {"uri": uri})
        raise JSONRPCError(
            RESOURCE_REFUSED,
            f"Reading {uri} failed: {text.strip()}",
            {"uri": uri, "status": status},
        )
    structured = result.get("structuredContent")
    if structured is not None:
        return [contents_of(uri, structured, "application/json")]
    blocks = result.get("content") or []
    text = "\n".join(str(b.get("text", "")) for b in blocks if isinstance(b, dict))
    try:
        json.loads(text)
    except ValueError:
        return [{"uri": uri, "mimeType": "text/plain", "text": text}]
    return [{"uri": uri, "mimeType": "application/json", "text": text}]


def query_arguments(tool: Any, query: dict[str, str]) -> dict[str, Any]:
    """Query-string values typed by the list tool's input schema (integers, booleans,
    arrays from commas); unknown names are passed on for the tool to refuse."""
    properties = tool.input_schema().get("properties", {})
    arguments: dict[str, Any] = {}
    for name, raw in query.items():
        schema = properties.get(name, {})
        types = schema.get("type")
        kinds = set(types) if isinstance(types, list) else {types}
        value: Any = raw
        if "integer" in kinds and re.fullmatch(r"-?\d+", raw):
            value = _integer(raw)
        elif "number" in kinds and re.fullmatch(r"-?\d+(\.\d+)?", raw):
            value = float(raw)
            if not math.isfinite(value):  # too many digits for a float: sent as written
                value = raw
        elif "boolean" in kinds and raw in {"true", "false"}:
            value = raw == "true"
        elif "array" in kinds:
            value = [v for v in raw.split(",") if v]
        arguments[name] = value
    return arguments


def lookup_value(tool: Any, raw: str) -> Any:
    schema = tool.input_schema().get("properties", {}).get(tool.lookup_argument, {})
    if schema.get("type") == "integer" and re.fullmatch(r"-?\d+", raw):
        return _integer(raw)
    return raw


def _integer(digits: str) -> int | str:
    """``digits`` as an integer; kept as text when ``int()`` refuses it (more digits than
    ``sys.get_int_max_str_digits()``), as a value that is not a number is: the view then
    answers as it does over REST (no object has that key: 404)."""
    try:
        return int(digits)
    except ValueError:
        return digits
