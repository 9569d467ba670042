"""Run a tool call through the real DRF view.

The inner request is a real request: the action's HTTP method, the path the URLconf
routes to the view, a query string or JSON body built from the arguments, and the outer
request's META (auth headers, cookies, REMOTE_ADDR, host, scheme), user and session.
It is dispatched to the callable ``django.urls.resolve`` returns, the one the URLconf
runs, so authentication, permissions, throttles, versioning, content negotiation and
exception handling behave exactly as for the same HTTP request.
"""

from __future__ import annotations

import base64
import binascii
import functools
import io
import json
import logging
import mimetypes
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlencode, urlsplit

from asgiref.sync import async_to_sync, iscoroutinefunction
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponseBase
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import NoReverseMatch, Resolver404, get_script_prefix
from rest_framework.authentication import SessionAuthentication
from rest_framework.views import APIView

from ..conf.settings import mcp_settings
from ..core import observe
from ..core.authentication import endpoint_classes
from ..core.context import CallOutcome
from ..core.types import CallToolResult
from . import middleware, routes
from .results import error_result, refused_request_result, response_to_result, unknown_arguments

if TYPE_CHECKING:
    from ..core.context import RequestContext
    from .interfaces import APIViewBackedTool, DRFBackedTool, ViewSetTool

logger = logging.getLogger("drf_mcp_bridge")

#: Outer headers that describe the MCP exchange, not the REST request it becomes.
_DROPPED_META = {
    "CONTENT_LENGTH",
    "CONTENT_TYPE",
    "HTTP_ACCEPT",
    "HTTP_MCP_PROTOCOL_VERSION",
    "HTTP_MCP_SESSION_ID",
    "HTTP_LAST_EVENT_ID",
    "QUERY_STRING",
    "wsgi.input",
}
#: Request attributes the outer request's middleware (or the test client) set and the
#: inner request inherits, so that it is authenticated as the outer one was.
_CARRIED_ATTRIBUTES = (
    "user",
    "_cached_user",
    "auser",
    "session",
    "_messages",
    "_dont_enforce_csrf_checks",
    "_force_auth_user",
    "_force_auth_token",
    "urlconf",
)


def is_mcp_request(request: Any) -> bool:
    """True when ``request`` (a DRF or Django request) is the inner request of a tool call."""
    django_request = getattr(request, "_request", request)
    return getattr(django_request, "mcp_context", None) is not None


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(v) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return str(value)


def build_inner_request(
    outer: HttpRequest,
    *,
    method: str,
    path: str,
    query: dict[str, Any],
    body: bytes | None,
    content_type: str = "application/json",
    context: RequestContext | None = None,
    extra_meta: dict[str, str] | None = None,
) -> WSGIRequest:
    """A real request for ``method path?query`` carrying the outer request's identity."""
    meta = outer.META.copy()
    for dropped in _DROPPED_META:
        meta.pop(dropped, None)
    prefix = get_script_prefix()
    path_info = "/" + path[len(prefix) :] if path.startswith(prefix) else path
    pairs = {k: _query_value(v) for k, v in query.items() if v is not None}
    meta.update(
        {
            "REQUEST_METHOD": method.upper(),
            "SCRIPT_NAME": prefix.rstrip("/"),
            "PATH_INFO": path_info,
            "QUERY_STRING": urlencode(pairs, doseq=True),
            # JSON first; a view that renders no JSON (an HTML docs page, a YAML schema)
            # answers in its own media type, as for a client that accepts anything.
            "HTTP_ACCEPT": "application/json, */*;q=0.1",
            "wsgi.url_scheme": outer.scheme or "http",
            "wsgi.input": io.BytesIO(body or b""),
        }
    )
    if body is not None:
        meta["CONTENT_TYPE"] = content_type
        meta["CONTENT_LENGTH"] = str(len(body))
    meta.update(extra_meta or {})
    inner = WSGIRequest(meta)
    # Instance attributes all (the middleware or the test client set them).
    carried = outer.__dict__
    inner.__dict__.update({a: carried[a] for a in _CARRIED_ATTRIBUTES if a in carried})
    inner.mcp_context = context  # type: ignore[attr-defined]
    return inner


@contextmanager
def call_transaction(function: Any) -> Iterator[list[str]]:
    """The transactions of one tool call, as Django's handler gives a view: an atomic
    block for every database with ``ATOMIC_REQUESTS`` unless ``function`` (the view, or
    a function tool's function) is ``non_atomic_requests`` for it, and a savepoint of
    every open transaction. An exception leaving the block (``InputRequired`` and
    ``CallCancelled`` too) rolls them back; it yields the aliases it wrapped, for a caller
    that answers a failure without raising to mark them with ``transaction.set_rollback``.
    """
    non_atomic: set[str] = getattr(function, "_non_atomic_requests", set())
    # A connection that was never opened in this thread cannot be in a transaction.
    in_transaction = {c.alias for c in connections.all(initialized_only=True) if c.in_atomic_block}
    wrapped = [
        alias
        for alias, database in connections.settings.items()
        if (database.get("ATOMIC_REQUESTS") and alias not in non_atomic) or alias in in_transaction
    ]
    if not wrapped:  # nothing to wrap: no ExitStack
        yield wrapped
        return
    with ExitStack() as stack:
        for alias in wrapped:
            stack.enter_context(transaction.atomic(using=alias))
        yield wrapped


def run_view(
    callback: Any,
    request: HttpRequest,
    args: Any,
    kwargs: Any,
    template: Callable[[HttpRequest, Any], Any] | None = None,
) -> HttpResponseBase:
    """Call the view as Django's handler would, in :func:`call_transaction`, so that a
    failed call leaves no writes and the outer transaction stays usable.

    An async view (an adrf ViewSet) is awaited with asgiref's ``async_to_sync``: under
    ASGI on the server's own event loop, with its ``sync_to_async`` database work sent back
    to this thread (same connection, same transaction). Like Django, ``ATOMIC_REQUESTS``
    does not wrap async views.
    """
    shape = template or (lambda request, response: response)
    if _is_async(callback):
        response: HttpResponseBase = async_to_sync(callback)(request, *args, **kwargs)
        return _rendered(shape(request, response))
    with call_transaction(callback):
        # Rendered inside the transaction, as the handler does for lazy responses, after
        # the middleware's process_template_response.
        return _rendered(shape(request, callback(request, *args, **kwargs)))


def _is_async(callback: Any) -> bool:
    """``iscoroutinefunction`` of a view function, asked once per function (views live as
    long as the URLconf; the check walks partials and code flags on every call)."""
    try:
        return _is_async_cached(callback)
    except TypeError:  # an unhashable callable
        return bool(iscoroutinefunction(callback))


@functools.lru_cache(maxsize=1024)
def _is_async_cached(callback: Any) -> bool:
    return bool(iscoroutinefunction(callback))


def _rendered(response: HttpResponseBase) -> HttpResponseBase:
    render = getattr(response, "render", None)
    if callable(render):
        rendered: HttpResponseBase = render()
        return rendered
    return response


def _split_arguments(
    tool: ViewSetTool, arguments: dict[str, Any]
) -> tuple[Any, dict[str, Any], dict[str, Any]] | CallToolResult:
    input_schema, _output, query_arguments = tool.schemas()
    properties = input_schema.get("properties", {})
    lookup_value: Any = None
    lookup = tool.lookup_argument if tool.detail else None
    if lookup is not None:
        if lookup not in arguments:
            return error_result(f"Missing required argument {lookup!r}: the {lookup} to act on.")
        lookup_value = arguments[lookup]
        if isinstance(lookup_value, bool) or not isinstance(lookup_value, (str, int)):
            return error_result(f"Argument {lookup!r} must be a string or an integer.")
    parents = tool.path_arguments()
    if parents:
        missing = [name for name in parents if name not in arguments]
        if missing:
            return error_result(
                f"Missing required argument(s) {', '.join(map(repr, missing))}: the URL needs them."
            )
        for name in parents:
            value = arguments[name]
            if isinstance(value, bool) or not isinstance(value, (str, int)):
                return error_result(f"Argument {name!r} must be a string or an integer.")
    unknown = [name for name in arguments if name not in properties and name != lookup]
    if unknown:
        return unknown_arguments(sorted(unknown), list(properties))
    skip = set(parents)
    if lookup is not None:
        skip.add(lookup)
    query, body = query_and_body(arguments, skip, query_arguments, tool.method)
    return lookup_value, query, body


def query_and_body(
    arguments: dict[str, Any], skip: set[str], query_arguments: dict[str, str], method: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split arguments into the query string and the body: list parameters always go to
    the query (under their parameter names), the rest to the body unless the method has
    none (GET, DELETE). Path arguments (``skip``) are in neither.
    """
    query: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for name, value in arguments.items():
        if name in skip:
            continue
        if name in query_arguments:
            query[query_arguments[name]] = value
        elif method in {"get", "delete"}:
            query[name] = value
        else:
            body[name] = value
    return query, body


def _endpoint_path(
    tool: ViewSetTool, lookup_value: Any, arguments: dict[str, Any] | None = None
) -> tuple[str, Any] | str:
    """(path, callback or None) for the call; a string is an error message. ``arguments``
    fill the route's other parameters (a nested router's parents)."""
    version = call_version(tool)
    route = tool.endpoint_route(version)
    if route is not None and route.url_name is not None:
        parents = tool.path_arguments()
        kwargs: tuple[tuple[str, str], ...] = ()
        if parents and arguments is not None:
            kwargs = tuple((name, str(arguments[name])) for name in parents if name in arguments)
        if tool.detail:
            kwargs = (*kwargs, (tool.lookup_argument, str(lookup_value)))
        if version is not None and tool.version_param in route.path_kwargs:
            kwargs = ((tool.version_param, version), *kwargs)  # URLPathVersioning
        try:
            return routes.cached_reverse(route.url_name, kwargs, get_script_prefix()), None
        except NoReverseMatch:
            if tool.detail:
                return (
                    f"{lookup_value!r} is not a valid {tool.lookup_argument} for "
                    f"{tool.resource} (it does not fit the URL pattern {route.route!r})."
                )
            given = ", ".join(
                f"{name}={arguments.get(name)!r}" for name in tool.path_arguments() if arguments
            )
            if given:
                return f"{given} does not fit the URL pattern {route.route!r}."
            return f"The route {route.route!r} needs arguments this tool does not have."
    # Not routed: run a synthesized view at a path under the MCP endpoint.
    registration = tool.registration
    initkwargs = {"basename": registration.basename or tool.resource, "detail": tool.detail}
    initkwargs.update(tool.initkwargs)
    actions = {tool.method: tool.action} if tool.method != "options" else {"get": "list"}
    callback = tool.view_class.as_view(actions, **initkwargs)
    path = f"{get_script_prefix()}__mcp__/{tool.resource}/"
    if tool.detail:
        path += f"{lookup_value}/"
    if tool.operation.extra:
        path += f"{getattr(tool.operation.function, 'url_path', tool.action)}/"
    return path, callback


def invoke_viewset_action(
    tool: ViewSetTool, arguments: dict[str, Any], context: RequestContext
) -> CallToolResult:
    split = _split_arguments(tool, arguments)
    if isinstance(split, dict):
        return split
    lookup_value, query, body = split
    target = _endpoint_path(tool, lookup_value, arguments)
    if isinstance(target, str):
        return error_result(target)
    path, callback = target
    kwargs = {tool.lookup_argument: str(lookup_value)} if callback and tool.detail else {}
    extra_meta: dict[str, str] = {}
    version = call_version(tool)
    scheme = getattr(tool.viewset, "versioning_class", None)
    if version is not None and scheme is not None:
        from rest_framework import versioning

        if issubclass(scheme, versioning.QueryParameterVersioning):
            query.setdefault(tool.version_param, version)
        elif issubclass(scheme, versioning.AcceptHeaderVersioning):
            extra_meta["HTTP_ACCEPT"] = f"application/json; version={version}"
    return run_tool_request(tool, context, path, query, body, callback, kwargs, extra_meta)


def call_version(tool: ViewSetTool) -> str | None:
    """The API version a call uses: the registration's pinned version, else the
    versioning scheme's default version (DRF's DEFAULT_VERSION unless the class sets one).
    """
    scheme = getattr(tool.viewset, "versioning_class", None)
    if scheme is None:
        return None
    version: str | None = tool.version or scheme.default_version
    return version


def invoke_api_view(
    tool: APIViewBackedTool, arguments: dict[str, Any], context: RequestContext
) -> CallToolResult:
    """Call an APIView tool: path parameters fill the route, the rest is query or body."""
    route = tool.route()
    if route is None or route.url_name is None:
        return error_result(
            f"{tool.name} cannot be called: {tool.view_class.__name__} is not in the "
            "URLconf under a named route."
        )
    input_schema, _output, query_arguments = tool.schemas()
    properties = input_schema.get("properties", {})
    unknown = sorted(set(arguments) - set(properties))
    if unknown and input_schema.get("additionalProperties") is not True:
        return unknown_arguments(unknown, list(properties))
    missing = [n for n in route.path_kwargs if n not in arguments]
    if missing:
        return error_result(f"Missing required argument(s): {', '.join(missing)}.")
    path_kwargs = tuple((n, str(arguments[n])) for n in route.path_kwargs)
    try:
        path = routes.cached_reverse(route.url_name, path_kwargs, get_script_prefix())
    except NoReverseMatch:
        return error_result(
            f"These values do not fit the URL pattern {route.route!r}: "
            + ", ".join(f"{n}={v!r}" for n, v in path_kwargs)
            + "."
        )
    query, body = query_and_body(arguments, set(route.path_kwargs), query_arguments, tool.method)
    return run_tool_request(tool, context, path, query, body)


def run_tool_request(
    tool: DRFBackedTool,
    context: RequestContext,
    path: str,
    query: dict[str, Any],
    body: dict[str, Any],
    callback: Any = None,
    kwargs: dict[str, Any] | None = None,
    extra_meta: dict[str, str] | None = None,
) -> CallToolResult:
    """Build the inner request for ``path``, run the view the URLconf routes it to (or
    ``callback``), and turn the response into a tool result.
    """
    payload = None
    content_type = "application/json"
    extra_meta = dict(extra_meta or {})
    if tool.method not in {"get", "delete", "head", "options"}:
        files = [n for n in tool.file_arguments() if body.get(n) is not None]
        if files:
            encoded = encode_uploads(tool, body, files)
            if isinstance(encoded, str):
                return error_result(encoded)
            payload, content_type, upload_meta = encoded
            extra_meta.update(upload_meta)
        else:
            payload = json.dumps(body, separators=(",", ":")).encode()
    inner = build_inner_request(
        context.http_request,
        method=tool.method,
        path=path,
        query=query,
        body=payload,
        content_type=content_type,
        context=context,
        extra_meta=extra_meta,
    )
    args: Any = ()
    if callback is None:
        try:
            match = routes.cached_resolve(inner.path_info, getattr(inner, "urlconf", None))
        except Resolver404:
            return error_result(f"No route serves {path}; is the view still routed?")
        inner.resolver_match = match
        callback, args, kwargs = match.func, match.args, match.kwargs
        rebind = getattr(tool, "view_callback", None)
        if rebind is not None:
            callback = rebind(callback)
    reused = reused_authentication(context, callback)
    if reused is not None:
        inner._force_auth_user, inner._force_auth_token = reused  # type: ignore[attr-defined]
    inner_chain = middleware.chain()

    def view(request: HttpRequest) -> HttpResponseBase:
        return run_view(callback, request, args, kwargs or {}, inner_chain.template_response)

    try:
        # Through the project's middleware, as over REST (drf_mcp_bridge.middleware).
        if observe.OBSERVERS:
            response = observe.observed(
                "inner_request",
                functools.partial(inner_chain.run, inner, view),
                inner,
                tool,
                context,
            )
        else:
            response = inner_chain.run(inner, view)
        failure = middleware.failure_of(response)
        if failure is not None:
            raise failure
    except SuspiciousOperation as refused:
        # Django answers these with a 400 (TooManyFieldsSent when the view reads a query
        # of too many values...): the client's mistake, not a crash. Django's handler, which
        # the inner request does not pass through, would log it on django.security.*; it
        # is logged here, as a warning without a traceback.
        logger.warning("Tool %s: Django refused the request as %r", tool.name, refused)
        context.outcome = CallOutcome(400)
        return refused_request_result(refused)
    except Exception:
        # Over HTTP this would be a 500; here the model gets a generic error and the
        # traceback goes only to the server log.
        logger.exception("Tool %s raised an unexpected error", tool.name)
        context.outcome = CallOutcome(500)
        return error_result(
            f"The tool {tool.name} failed with an internal server error (HTTP 500). "
            "The error was logged on the server; retrying will not help."
        )
    # The user the view authenticated (DRF sets it on the request it wraps), for the record.
    context.outcome = CallOutcome(response.status_code, getattr(inner, "user", None))
    result = response_to_result(response, tool)
    if tool.listing and not result.get("isError"):
        _add_next_page_hint(tool, result)
    return result


def reused_authentication(context: RequestContext, callback: Any) -> tuple[Any, Any] | None:
    """(user, auth) of the outer request, for the inner request's view to use instead of
    authenticating the same credentials again (``REUSE_AUTHENTICATION``), or None.

    Only when the answer is bound to be the same: the outer request was authenticated by
    a class, and the view (a sync DRF view with the standard ``get_authenticators``) has
    the same authentication classes, in the same order, up to and including that one —
    each class before it found no credentials in the same headers, and that class found
    these. Otherwise (another class list, an anonymous caller, a caller the session
    authenticated: the view's session class checks CSRF) the view authenticates itself.
    """
    if not mcp_settings.REUSE_AUTHENTICATION:
        return None
    outer = context.caller.authenticated_request
    if outer is None:
        return None
    winner = getattr(outer, "_authenticator", None)
    view_class = getattr(callback, "cls", None)
    if winner is None or view_class is None or _is_async(callback):
        return None
    if not (isinstance(view_class, type) and issubclass(view_class, APIView)):
        return None
    if view_class.get_authenticators is not APIView.get_authenticators:
        return None
    found = endpoint_classes(outer)
    if type(winner) not in found or type(winner) is SessionAuthentication:
        return None  # the view's own session class checks CSRF: it runs
    upto = found.index(type(winner)) + 1
    # As a class attribute (a view may compute its classes per instance: a property,
    # as Nautobot's token views do, is the property object when read on the class; then
    # the view authenticates itself).
    declared = getattr(view_class, "authentication_classes", None)
    if not isinstance(declared, (list, tuple)) or list(declared[:upto]) != found[:upto]:
        return None
    return outer.user, outer.auth


def decode_upload(name: str, value: Any) -> SimpleUploadedFile | str:
    """A file argument ({"filename", "content" in base64, "media_type"}) as an uploaded
    file, or the message that tells the model what is wrong with it.
    """
    if not isinstance(value, dict):
        return f"Argument {name!r} must be an object with filename and content (base64)."
    filename, content = value.get("filename"), value.get("content")
    if not isinstance(filename, str) or not filename or "/" in filename or "\\" in filename:
        return f"Argument {name!r} needs a filename without directories."
    if not isinstance(content, str):
        return f"Argument {name!r} needs its content as a base64 string."
    limit = int(mcp_settings.MAX_FILE_SIZE)
    if len(content) > (limit + 2) // 3 * 4 + 4:
        return f"The file in {name!r} is larger than the limit of {limit} bytes."
    try:
        data = base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        return f"The content of {name!r} is not valid base64."
    if len(data) > limit:
        return f"The file in {name!r} is {len(data)} bytes; the limit is {limit} bytes."
    media_type = value.get("media_type")
    if not isinstance(media_type, str) or "/" not in media_type:
        media_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return SimpleUploadedFile(filename, data, content_type=media_type)


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return [_form_value(v) for v in value]
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"))
    return value if isinstance(value, SimpleUploadedFile) else str(value)


def encode_uploads(
    tool: DRFBackedTool, body: dict[str, Any], files: list[str]
) -> tuple[bytes, str, dict[str, str]] | str:
    """The request body for arguments that include files, as the view's parsers take it:
    multipart/form-data (MultiPartParser), or the raw file with its name in
    Content-Disposition (FileUploadParser). A string is the error for the model.
    """
    uploads: dict[str, SimpleUploadedFile] = {}
    for name in files:
        decoded = decode_upload(name, body[name])
        if isinstance(decoded, str):
            return decoded
        uploads[name] = decoded
    media_types = tool.parser_media_types()
    if any(m.startswith("multipart/form-data") for m in media_types):
        form = {k: _form_value(uploads.get(k, v)) for k, v in body.items()}
        return encode_multipart(BOUNDARY, form), MULTIPART_CONTENT, {}
    if "*/*" in media_types:  # FileUploadParser: the body is the file itself
        others = sorted(set(body) - set(files))
        if len(uploads) != 1 or others:
            return (
                f"{tool.name} takes exactly one file as the whole request body; "
                f"send only {files[0]!r}."
            )
        upload = next(iter(uploads.values()))
        quoted = str(upload.name).replace('"', "")
        disposition = f'attachment; filename="{quoted}"'
        media_type = str(upload.content_type or "application/octet-stream")
        return upload.read(), media_type, {"HTTP_CONTENT_DISPOSITION": disposition}
    return (
        f"{tool.name} cannot take files: its view parses only {', '.join(media_types)} "
        "(add MultiPartParser to its parser_classes)."
    )


def next_page_arguments(tool: DRFBackedTool, next_url: str) -> dict[str, Any]:
    """The tool arguments that fetch the page a paginator's ``next`` link points at: its
    query parameters (a cursor, page, offset, and the filters it carries), typed by the
    tool's input schema, under their argument names.
    """
    input_schema, _output, query_arguments = tool.schemas()
    properties = input_schema.get("properties", {})
    argument_of = {query: argument for argument, query in query_arguments.items()}
    arguments: dict[str, Any] = {}
    for name, values in parse_qs(urlsplit(next_url).query, keep_blank_values=True).items():
        argument = argument_of.get(name)
        if argument is None:
            continue
        arguments[argument] = _typed(values, properties.get(argument, {}))
    return arguments


def _schema_types(schema: dict[str, Any]) -> set[Any]:
    """The JSON types a schema allows, its ``anyOf``/``oneOf`` branches included."""
    kind = schema.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    for branch in [*schema.get("anyOf", ()), *schema.get("oneOf", ())]:
        if isinstance(branch, dict):
            kinds |= _schema_types(branch)
    return kinds


def _typed(values: list[str], schema: dict[str, Any]) -> Any:
    """A query value as the argument's schema types it: an integer stays an integer (also
    where the schema says "number"), so the hint is the call the model should make."""
    kinds = _schema_types(schema)
    if "array" in kinds:
        items = schema.get("items", {})
        return [_typed([v], items if isinstance(items, dict) else {}) for v in values]
    value = values[-1]
    try:
        if "integer" in kinds or ("number" in kinds and re.fullmatch(r"-?\d+", value)):
            return int(value)
        if "number" in kinds:
            return float(value)
    except ValueError:
        return value
    if "boolean" in kinds and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    return value


def _add_next_page_hint(tool: DRFBackedTool, result: CallToolResult) -> None:
    """Tell the model how to get the next page, in the arguments it has to send."""
    page = result.get("structuredContent")
    next_url = page.get("next") if isinstance(page, dict) else None
    if not isinstance(next_url, str) or not next_url:
        return
    arguments = next_page_arguments(tool, next_url)
    if not arguments:
        return
    encoded = json.dumps(arguments, separators=(", ", ": "), ensure_ascii=False)
    result["content"].append(
        {"type": "text", "text": f"More results: call {tool.name} with {encoded}."}
    )
