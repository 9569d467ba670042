"""The floor of a tool call (bench/bench_calls.py): the least an MCP server that runs the
real view must do, and nothing else — read and parse the JSON-RPC POST, build the view's
request, run the view the URLconf routes it to, and answer with the result as the
specification asks (the view's JSON as text and as structuredContent). No header or
argument checks, no authentication, no middleware, no output check, no logging: it is a
measuring stick, not a server (it trusts its input).

``realistic_floor`` is the same for bench/bench_realistic.py's app, with what the issue's
realistic case adds: the view's request carries the caller's headers (the view
authenticates the token itself, as over REST) and goes through the project's middleware
that the tool calls' inner requests run (django-crum's)."""

from __future__ import annotations

import io
import json
from functools import lru_cache
from typing import Any

from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest, HttpResponse
from django.urls import ResolverMatch, resolve
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

#: tool name → (method, path with "{pk}" where the lookup goes)
ROUTES = {
    "items_list": ("GET", "/api/items/"),
    "items_retrieve": ("GET", "/api/items/{pk}/"),
    "items_create": ("POST", "/api/items/"),
    "orders_list": ("GET", "/api/orders/"),
    "orders_retrieve": ("GET", "/api/orders/{pk}/"),
    "orders_create": ("POST", "/api/orders/"),
}


@lru_cache(maxsize=256)
def _resolved(path: str) -> ResolverMatch:
    return resolve(path)


def _parsed(request: HttpRequest) -> tuple[dict[str, Any], str, str, bytes]:
    """The JSON-RPC message, and the view's method, path and body for its tool call."""
    message = json.loads(request.body)
    params = message["params"]
    arguments: dict[str, Any] = dict(params.get("arguments") or {})
    method, template = ROUTES[params["name"]]
    path = template.format(pk=arguments.pop("pk", ""))
    body = json.dumps(arguments).encode() if method == "POST" else b""
    return message, method, path, body


@csrf_exempt
def floor(request: HttpRequest) -> HttpResponse:
    message, method, path, body = _parsed(request)
    inner = WSGIRequest(
        {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
        }
    )
    match = _resolved(path)
    response: Any = match.func(inner, *match.args, **match.kwargs)
    response.render()
    return _answer(message, response)


def _answer(message: dict[str, Any], response: Any) -> HttpResponse:
    raw = response.content.decode()
    structured = raw if raw.startswith("{") else '{"results":' + raw + "}"
    answer = (
        f'{{"jsonrpc":"2.0","id":{json.dumps(message["id"])},"result":{{"content":'
        f'[{{"type":"text","text":{json.dumps(structured, ensure_ascii=False)}}}],'
        f'"structuredContent":{structured}}}}}'
    )
    return HttpResponse(answer, content_type="application/json")


@lru_cache(maxsize=1)
def _inner_chain() -> Any:
    """The inner middleware (the package's default choice for this project's
    MIDDLEWARE: crum's), built once as Django's handler builds it, around a view the
    request names."""
    from drf_mcp_bridge.invocation.middleware import inner_middleware

    def innermost(request: Any) -> Any:
        response = request.floor_view(request)
        response.render()
        return response

    handler: Any = innermost
    for path in reversed(inner_middleware()):
        handler = import_string(path)(handler)
    return handler


@csrf_exempt
def realistic_floor(request: HttpRequest) -> HttpResponse:
    message, method, path, body = _parsed(request)
    meta = request.META.copy()
    meta.update(
        {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "HTTP_ACCEPT": "application/json",
            "wsgi.input": io.BytesIO(body),
            "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(body)),
        }
    )
    inner = WSGIRequest(meta)
    match = _resolved(path)
    inner.floor_view = lambda r: match.func(r, *match.args, **match.kwargs)  # type: ignore[attr-defined]
    return _answer(message, _inner_chain()(inner))
