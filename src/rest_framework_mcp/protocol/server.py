"""MCP method dispatch: lifecycle, version negotiation, tools.

Transport-independent: :class:`MCPServer` takes validated JSON-RPC messages and a
:class:`RequestContext`, and returns response objects. The HTTP view and the stdio
command both use it.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..catalogue import discovery, prompts, resources
from ..catalogue.access import AccessGate
from ..catalogue.prompts import Prompt
from ..catalogue.registry import Registry, registry
from ..conf.settings import mcp_settings
from ..core.context import RequestContext as RequestContext
from ..core.jsonrpc import (
    JSONRPCError,
    Message,
    checked_uri,
    error_response,
    notification,
    result_response,
)
from ..core.sessions import owner_of
from ..core.signals import tool_called, tool_failed
from ..core.state import StateRefused, locked
from ..core.types import (
    HANDSHAKE_PROTOCOL_VERSIONS,
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    LATEST_PROTOCOL_VERSION,
    META_CLIENT_CAPABILITIES,
    META_PROTOCOL_VERSION,
    META_SERVER_INFO,
    META_SUBSCRIPTION_ID,
    METHOD_NOT_FOUND,
    REQUEST_CANCELLED,
    RESOURCE_NOT_FOUND,
    STATELESS_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
)
from ..invocation import calls
from ..invocation.prepared import ReadRefused
from ..invocation.results import error_result
from . import subscriptions
from .completion import complete
from .subscriptions import TooManySubscriptions, set_subscribed

logger = logging.getLogger("rest_framework_mcp")
#: One record per tool call (a child of "rest_framework_mcp": its handlers get it too).
call_logger = logging.getLogger("rest_framework_mcp.calls")


def package_version() -> str:
    try:
        return version("django-rest-framework-mcp")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


Handler = Callable[["MCPServer", dict[str, Any], RequestContext], Any]

#: Methods of the handshake era (2025 revisions) and of 2026-07-28, which drops the
#: handshake, ping, logging/setLevel and the subscribe pair, and adds server/discover.
_COMMON_METHODS = frozenset(
    {
        "tools/list",
        "tools/call",
        "resources/list",
        "resources/templates/list",
        "resources/read",
        "prompts/list",
        "prompts/get",
        "completion/complete",
    }
)
_HANDSHAKE_ONLY = frozenset(
    {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"}
)
_STATELESS_ONLY = frozenset({"server/discover", "subscriptions/listen"})
#: The methods each protocol version has. A method added to ``MCPServer.methods`` that is
#: in none of them (an extension) is served in every version.
METHODS_BY_VERSION: dict[str, frozenset[str]] = {
    version: _COMMON_METHODS
    | (_STATELESS_ONLY if version in STATELESS_PROTOCOL_VERSIONS else _HANDSHAKE_ONLY)
    for version in SUPPORTED_PROTOCOL_VERSIONS
}
_KNOWN_METHODS = _COMMON_METHODS | _HANDSHAKE_ONLY | _STATELESS_ONLY
#: 2026-07-28 results that carry cache hints (ttlMs, cacheScope).
_CACHEABLE = frozenset(
    {
        "server/discover",
        "tools/list",
        "resources/list",
        "resources/templates/list",
        "prompts/list",
        "resources/read",
    }
)


class MCPServer:
    """The JSON-RPC method table, dispatched by name: override a method in a subclass
    (``def ping(self, params, context)``) and the subclass's runs; add entries to
    ``methods`` for new methods."""

    def __init__(self, tool_registry: Registry | None = None) -> None:
        self.registry = tool_registry or registry
        #: Who may see, run and read what: every method below asks it.
        self.gate = AccessGate(self.registry)
        #: Method name → the name of the method of this class that answers it (looked up on
        #: the instance, so a subclass's override runs), or a function taking
        #: ``(server, params, context)`` for methods added from outside.
        self.methods: dict[str, str | Handler] = {
            "initialize": "initialize",
            "server/discover": "discover",
            "ping": "ping",
            "logging/setLevel": "set_log_level",
            "resources/subscribe": "resources_subscribe",
            "resources/unsubscribe": "resources_unsubscribe",
            "subscriptions/listen": "subscriptions_listen",
            "tools/list": "tools_list",
            "tools/call": "tools_call",
            "resources/list": "resources_list",
            "resources/templates/list": "resource_templates_list",
            "resources/read": "resources_read",
            "prompts/list": "prompts_list",
            "prompts/get": "prompts_get",
            "completion/complete": "completion_complete",
        }

    # dispatch -------------------------------------------------------------------------
    def handle(self, message: Message, context: RequestContext) -> dict[str, Any] | None:
        """The response object for a request; None for notifications and responses."""
        problem = nesting_problem(message.payload if message.kind == "response" else message.params)
        if message.kind == "notification":
            if message.method == "notifications/cancelled" and problem is None:
                calls.cancel(context.http_request, message.params)
            # notifications/initialized and others: nothing to do or answer.
            return None
        if message.kind != "request":
            if problem is None:
                calls.deliver_reply(context.http_request, message.payload)
            return None
        assert message.method is not None
        if problem is not None:
            return error_response(message.id, JSONRPCError(INVALID_PARAMS, problem))
        handler = self.methods.get(message.method)
        if handler is None or not self.method_enabled(message.method, context.protocol_version):
            return error_response(
                message.id,
                JSONRPCError(
                    METHOD_NOT_FOUND,
                    f"Method not found: {message.method!r}"
                    + (
                        f" (not part of protocol version {context.protocol_version})."
                        if handler is not None
                        else "."
                    ),
                ),
            )
        context.request_id = message.id
        try:
            if context.stateless:
                check_envelope(message.params, context.protocol_version)
            if isinstance(handler, str):
                result = getattr(self, handler)(message.params, context)
            else:
                result = handler(self, message.params, context)
        except JSONRPCError as error:
            if context.stateless and error.code == RESOURCE_NOT_FOUND:
                # 2026-07-28 answers an unknown resource with the standard code.
                error = JSONRPCError(INVALID_PARAMS, error.message, error.data)
            return error_response(message.id, error)
        except StateRefused as refused:
            # The caller's budget of cache entries is used up (see state.charge).
            return error_response(message.id, JSONRPCError(INVALID_REQUEST, str(refused)))
        except Exception:
            logger.exception("MCP method %s failed", message.method)
            return error_response(
                message.id,
                JSONRPCError(INTERNAL_ERROR, "Internal error; the server log has details."),
            )
        if context.stateless and isinstance(result, dict):
            result = self.stateless_result(message.method, result, context)
        return result_response(message.id, result)

    def method_enabled(self, method: str, version: str) -> bool:
        if method not in _KNOWN_METHODS:
            return True
        return method in METHODS_BY_VERSION.get(version, frozenset())

    def stateless_result(
        self, method: str, result: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        """A 2026-07-28 result: ``resultType``, the server in ``_meta``, and cache hints
        on the cacheable methods."""
        result = dict(result)
        result.setdefault("resultType", "complete")
        meta = dict(result.get("_meta") or {})
        meta.setdefault(META_SERVER_INFO, self.server_info())
        result["_meta"] = meta
        if method in _CACHEABLE and result["resultType"] == "complete":
            per_user = mcp_settings.PER_USER_TOOLS or method == "resources/read"
            result.setdefault(
                "ttlMs", 0 if method == "resources/read" else int(mcp_settings.LIST_TTL_MS)
            )
            result.setdefault("cacheScope", "private" if per_user else "public")
        return result

    # lifecycle ------------------------------------------------------------------------
    def capabilities(self, context: RequestContext) -> dict[str, Any]:
        # Tools, resources and prompts are fixed for the life of the process (they come
        # from code), so no list ever changes: listChanged is false.
        # Subscriptions need a session to remember them (2025), or listen streams (2026).
        subscribe = bool(mcp_settings.SUBSCRIPTIONS if context.stateless else mcp_settings.SESSIONS)
        return {
            "tools": {"listChanged": False},
            "resources": {"subscribe": subscribe, "listChanged": False},
            "prompts": {"listChanged": False},
            "completions": {},
            "logging": {},
        }

    def server_info(self) -> dict[str, Any]:
        info: dict[str, Any] = {
            "name": mcp_settings.SERVER_NAME,
            "version": mcp_settings.SERVER_VERSION or package_version(),
        }
        if mcp_settings.SERVER_TITLE:
            info["title"] = mcp_settings.SERVER_TITLE
        return info

    def initialize(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        requested = params.get("protocolVersion")
        if not isinstance(requested, str):
            raise JSONRPCError(
                INVALID_PARAMS, 'initialize needs "protocolVersion" (a string) in params.'
            )
        # Echo a version we speak; otherwise offer our latest and let the client decide.
        negotiated = (
            requested if requested in HANDSHAKE_PROTOCOL_VERSIONS else LATEST_PROTOCOL_VERSION
        )
        context.protocol_version = negotiated
        result: dict[str, Any] = {
            "protocolVersion": negotiated,
            "capabilities": self.capabilities(context),
            "serverInfo": self.server_info(),
        }
        if mcp_settings.INSTRUCTIONS:
            result["instructions"] = str(mcp_settings.INSTRUCTIONS)
        return result

    def discover(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        """2026-07-28 ``server/discover``: versions, capabilities, instructions."""
        result: dict[str, Any] = {
            "supportedVersions": list(SUPPORTED_PROTOCOL_VERSIONS),
            "capabilities": self.capabilities(context),
            # The same for every caller (ttlMs is added with the other cache hints).
            "cacheScope": "public",
        }
        if mcp_settings.INSTRUCTIONS:
            result["instructions"] = str(mcp_settings.INSTRUCTIONS)
        return result

    def ping(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        return {}

    def set_log_level(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        level = params.get("level")
        if level not in calls.LOG_LEVELS:
            raise JSONRPCError(
                INVALID_PARAMS, f'"level" must be one of: {", ".join(calls.LOG_LEVELS)}.'
            )
        # Remembered by the session; a stateless server has nowhere to keep it, and its
        # calls log at DEFAULT_LOG_LEVEL.
        session = context.session
        if session is not None and session.log_level != level:
            with locked(session.key):
                session.reload()
                session.data["log_level"] = level
                session.save()
        return {}

    # tools ----------------------------------------------------------------------------
    def visible_tools(self, context: RequestContext) -> list[Any]:
        """The registered tools this caller may see (all, without PER_USER_TOOLS)."""
        return self.gate.visible_tools(context)

    def visible_tool(self, name: str, context: RequestContext) -> Any:
        """The tool ``name`` if this caller may see it, else None."""
        return self.gate.visible_tool(name, context)

    def meta_tools(self) -> dict[str, Any]:
        """Discovery mode's tools (``TOOL_DISCOVERY``), built once per tool set."""

        def build() -> dict[str, Any]:
            names = {discovery.resource_of(t) for t in self.registry.tools().values()}
            resources = sorted(n for n in names if n)
            return discovery.meta_tools(self.visible_tools, self.visible_tool, resources)

        found: dict[str, Any] = self.registry.derived(f"meta_tools:{id(self)}", build)
        return found

    def tools_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        offset = read_cursor(params, "tools")
        if mcp_settings.TOOL_DISCOVERY:
            meta = self.meta_tools()
            definitions = [t.definition() for t in meta.values()]
            if mcp_settings.PER_USER_TOOLS:
                # find_tools names only the resources whose tools this caller may see.
                finder = meta[discovery.FIND]
                assert isinstance(finder, discovery.FindTools)
                definitions[0] = finder.definition_for(self.visible_tools(context))
            return page_of("tools", definitions, offset, mcp_settings.TOOLS_PAGE_SIZE)
        drf_request = self._listing_request(context)
        size = mcp_settings.TOOLS_PAGE_SIZE
        if size or offset:
            tools = self.registry.encoded_tool_list(drf_request)
            return page_of("tools", tools, offset, size)
        if drf_request is None:
            return {"tools": self.registry.encoded_tool_definitions()}
        return {"tools": self.registry.encoded_tool_definitions_for(drf_request)}

    def tools_call(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        name = params.get("name")
        if not isinstance(name, str) or not name:
            raise JSONRPCError(INVALID_PARAMS, 'tools/call needs "name" (a string) in params.')
        arguments = params.get("arguments")
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, dict):
            raise JSONRPCError(INVALID_PARAMS, '"arguments" must be an object.')
        tool = self.registry.get_tool(name)
        if mcp_settings.TOOL_DISCOVERY and name in discovery.META_TOOL_NAMES:
            tool = self.meta_tools()[name]
            if name == discovery.CALL:
                return self._call_by_name(arguments, params, context)
        if tool is None:
            raise JSONRPCError(
                INVALID_PARAMS,
                f"Unknown tool: {name!r}. Call tools/list for the available tools.",
            )
        return self.run_tool(tool, arguments, params, context)

    def _call_by_name(
        self, arguments: dict[str, Any], params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        """Discovery mode's ``call_tool``: the named tool, run as tools/call runs it."""
        name, inner = arguments.get("name"), arguments.get("arguments", {})
        if not isinstance(name, str) or not isinstance(inner, dict):
            return dict(
                error_result('call_tool needs "name" (a string) and "arguments" (an object).')
            )
        # Any existing tool runs, hidden or not, so that the answer is the one tools/call
        # (and REST) gives: a 401/403 from its view for a caller who may not use it.
        tool = self.registry.get_tool(name)
        if tool is None:
            return dict(discovery.unknown_tool(name, self.visible_tools(context)))
        return self.run_tool(tool, inner, params, context)

    def run_tool(
        self,
        tool: Any,
        arguments: dict[str, Any],
        params: dict[str, Any],
        context: RequestContext,
    ) -> dict[str, Any]:
        """Run ``tool`` for the protocol (tools/call and resources/read): the argument
        check, the call context, the result cap and the call record."""
        problem = argument_problem(arguments)
        if problem is not None:
            return dict(error_result(f"Invalid arguments: {problem}"))
        call = calls.CallContext(context, context.request_id, params)
        started = time.perf_counter()
        # Calls answered as a stream (or whose tool takes the call context) are marked in
        # flight, so that notifications/cancelled can reach them; a plain JSON answer of a
        # tool that cannot report progress costs no cache write.
        cancellable = context.emit is not None or bool(getattr(tool, "streams", False))
        try:
            with calls.active(call, cancellable):
                result: dict[str, Any] = dict(tool.call(arguments, context))
        except calls.InputRequired as needed:
            if not context.stateless:  # pragma: no cover - ask() raises it only then
                raise
            return needed.result()
        except calls.CallCancelled:
            raise JSONRPCError(REQUEST_CANCELLED, "Request cancelled by the client.") from None
        except calls.InputUnavailable as unavailable:
            result = dict(error_result(str(unavailable)))
        except Exception:
            # Tools turn their own failures into results; this is a bug in one of them.
            logger.exception("Tool %s raised an unexpected error", tool.name)
            result = dict(
                error_result(
                    f"The tool {tool.name} failed with an internal error; see the server log."
                )
            )
        result = cap_result_size(result)
        record_call(tool.name, arguments, result, context, started)
        return result

    # resources ------------------------------------------------------------------------
    @staticmethod
    def _listing_request(context: RequestContext) -> Any:
        """The request whose user lists are filtered for (``PER_USER_TOOLS``), or None when
        every caller sees everything."""
        return context.drf_request if mcp_settings.PER_USER_TOOLS else None

    def _visible(self, tool: Any, context: RequestContext) -> bool:
        return self.gate.visible(tool, context)

    def resources_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        offset = read_cursor(params, "resources")
        tools = self.registry.tools()
        entries = resources.resource_entries(tools, lambda t: self._visible(t, context))
        return page_of("resources", entries, offset, mcp_settings.RESOURCES_PAGE_SIZE)

    def resource_templates_list(
        self, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        offset = read_cursor(params, "resourceTemplates")
        tools = self.registry.tools()
        entries = resources.template_entries(tools, lambda t: self._visible(t, context))
        return page_of("resourceTemplates", entries, offset, mcp_settings.RESOURCES_PAGE_SIZE)

    def resources_read(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        uri = checked_uri(params.get("uri"), "resources/read")
        for resource in resources.user_resources():
            variables = resource.match(uri)
            if variables is not None:
                return {"contents": [resource.read(uri, variables, context.drf_request)]}
        key, lookup, query = resources.parse_drf_uri(uri)
        tool = resources.viewset_resource(self.registry.tools(), key, lookup)
        if tool is None:
            raise JSONRPCError(RESOURCE_NOT_FOUND, f"Resource not found: {uri!r}.", {"uri": uri})
        if lookup is None:
            arguments = resources.query_arguments(tool, query)
        else:
            arguments = {tool.lookup_argument: resources.lookup_value(tool, lookup)}
        result = self.run_tool(tool, arguments, params, context)
        if result.get("resultType") == "input_required":
            return result
        status = context.outcome.http_status if context.outcome is not None else None
        return {"contents": resources.result_to_contents(uri, result, status)}

    def _subscription_uri(
        self, params: dict[str, Any], context: RequestContext, subscribed: bool
    ) -> str:
        uri = checked_uri(params.get("uri"), "Subscribing")
        if context.session is None:
            raise JSONRPCError(
                INVALID_REQUEST,
                "Subscriptions need a session, and this server runs without one "
                "(REST_FRAMEWORK_MCP['SESSIONS'] is off, or no Mcp-Session-Id was sent).",
            )
        if not subscribed:
            return uri  # ending a subscription needs no check
        self.check_subscriber(context)
        if not resources.is_known_uri(uri, self.registry.tools()):
            raise JSONRPCError(RESOURCE_NOT_FOUND, f"Resource not found: {uri!r}.", {"uri": uri})
        try:
            self.gate.check_read(uri, context)
        except ReadRefused as refused:
            if refused.status == 404:
                raise JSONRPCError(
                    RESOURCE_NOT_FOUND, f"Resource not found: {uri!r}.", {"uri": uri}
                ) from None
            raise JSONRPCError(
                resources.RESOURCE_REFUSED,
                f"You may not subscribe to {uri}: {refused.message}",
                {"uri": uri, "status": refused.status},
            ) from None
        return uri

    def check_subscriber(self, context: RequestContext) -> None:
        """Anonymous callers subscribe only with ``ANONYMOUS_SUBSCRIPTIONS``."""
        if mcp_settings.ANONYMOUS_SUBSCRIPTIONS:
            return
        user = self.gate.caller(context).user
        if not getattr(user, "is_authenticated", False):
            raise JSONRPCError(
                INVALID_REQUEST,
                "Subscriptions need a signed-in caller on this server "
                "(REST_FRAMEWORK_MCP['ANONYMOUS_SUBSCRIPTIONS'] is off).",
            )

    def resources_subscribe(
        self, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        return self._subscription(params, context, subscribed=True)

    def resources_unsubscribe(
        self, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        return self._subscription(params, context, subscribed=False)

    def _subscription(
        self, params: dict[str, Any], context: RequestContext, subscribed: bool
    ) -> dict[str, Any]:
        uri = self._subscription_uri(params, context, subscribed)
        assert context.session is not None
        try:
            set_subscribed(context.session, uri, subscribed)
        except TooManySubscriptions as many:
            raise JSONRPCError(INVALID_PARAMS, str(many)) from None
        return {}

    def subscriptions_listen(
        self, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        """2026-07-28 ``subscriptions/listen``: this request's SSE answer carries the
        acknowledgment, then ``notifications/resources/updated`` for the URIs it names, until
        the client closes it or the server ends it gracefully (the result) after
        ``LISTEN_STREAM_SECONDS``."""
        if not mcp_settings.SUBSCRIPTIONS:
            raise JSONRPCError(
                METHOD_NOT_FOUND,
                "subscriptions/listen is off on this server (REST_FRAMEWORK_MCP['SUBSCRIPTIONS']).",
            )
        if context.emit is None:
            raise JSONRPCError(
                INVALID_REQUEST,
                "subscriptions/listen answers as an SSE stream: send Accept: text/event-stream.",
            )
        wanted = params.get("notifications")
        if not isinstance(wanted, dict):
            raise JSONRPCError(
                INVALID_PARAMS, '"notifications" (a subscription filter) is required.'
            )
        uris = wanted.get("resourceSubscriptions") or []
        if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
            raise JSONRPCError(INVALID_PARAMS, '"resourceSubscriptions" must be a list of URIs.')
        limit = int(mcp_settings.MAX_SUBSCRIPTIONS)
        if len(uris) > limit:
            raise JSONRPCError(
                INVALID_PARAMS,
                f"A listen stream follows at most {limit} resources "
                "(REST_FRAMEWORK_MCP['MAX_SUBSCRIPTIONS']); split them over streams.",
            )
        for uri in uris:
            checked_uri(uri, "subscriptions/listen")
        if uris:
            self.check_subscriber(context)
        tools = self.registry.tools()
        # Only resources this caller may read now are honoured (and acknowledged).
        honored = [
            u
            for u in dict.fromkeys(uris)
            if resources.is_known_uri(u, tools) and self.gate.may_read(u, context)
        ]
        # Registered before the acknowledgment: an update right after it is not lost.
        owner = owner_of(self.gate.caller(context).user)
        listener = subscriptions.FixedListener(subscriptions.watch(honored, owner))
        # The lists never change while the server runs: no list_changed is promised.
        stamp = {META_SUBSCRIPTION_ID: context.request_id}
        acknowledged = {"resourceSubscriptions": honored} if honored else {}
        context.emit(
            notification(
                "notifications/subscriptions/acknowledged",
                {"notifications": acknowledged, "_meta": stamp},
            )
        )
        until = subscriptions.deadline("LISTEN_STREAM_SECONDS")
        # Until the client closes the stream, or the graceful end (this result). Each
        # update is checked again: the caller may have lost access since.
        subscriptions.relay(
            listener,
            context.emit,
            context.closed or threading.Event(),
            until,
            lambda uri: self.gate.may_read(uri, context),
            stamp,
        )
        return {"_meta": stamp}

    # prompts --------------------------------------------------------------------------
    def prompts(self, context: RequestContext) -> dict[str, prompts.Prompt]:
        """The prompts this caller may see: the ``@mcp_prompt`` ones, and the generated
        guides of the resources whose tools it may see."""
        found = {p.name: p for p in prompts.user_prompts()}
        if mcp_settings.AUTO_PROMPTS:
            for prompt in self._guide_prompts(context):
                found.setdefault(prompt.name, prompt)
        return found

    def all_prompts(self) -> dict[str, Prompt]:
        """Every prompt, for every caller's eyes (the catalogue export)."""
        found = {p.name: p for p in prompts.user_prompts()}
        if mcp_settings.AUTO_PROMPTS:
            tools = self.registry.tools()
            guides = self.registry.derived("guide_prompts", lambda: prompts.guide_prompts(tools))
            for prompt in guides:
                found.setdefault(prompt.name, prompt)
        return found

    def _guide_prompts(self, context: RequestContext) -> list[Prompt]:
        """The generated guides, built once per set of visible tools."""
        guides: list[Prompt] = self.gate.visible_guides(context, prompts.guide_prompts)
        return guides

    def prompts_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        offset = read_cursor(params, "prompts")
        entries = [p.definition() for p in self.prompts(context).values()]
        return page_of("prompts", entries, offset, mcp_settings.RESOURCES_PAGE_SIZE)

    def prompts_get(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        name = params.get("name")
        if not isinstance(name, str) or not name:
            raise JSONRPCError(INVALID_PARAMS, 'prompts/get needs "name" (a string) in params.')
        prompt = self.prompts(context).get(name)
        if prompt is None:
            raise JSONRPCError(
                INVALID_PARAMS, f"Unknown prompt: {name!r}. Call prompts/list for the prompts."
            )
        arguments = params.get("arguments")
        return prompt.get({} if arguments is None else arguments)

    # completion -----------------------------------------------------------------------
    def completion_complete(
        self, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        return complete(self, params, context)


def check_envelope(params: dict[str, Any], version: str) -> None:
    """2026-07-28: every request names its version and the client's capabilities in
    ``params._meta`` (the transport checked that the version is ours)."""
    meta = params.get("_meta")
    if not isinstance(meta, dict):
        raise JSONRPCError(
            INVALID_PARAMS,
            f'params._meta must be an object with "{META_PROTOCOL_VERSION}" and '
            f'"{META_CLIENT_CAPABILITIES}" (protocol version {version}).',
        )
    missing = [k for k in (META_PROTOCOL_VERSION, META_CLIENT_CAPABILITIES) if k not in meta]
    if missing:
        raise JSONRPCError(INVALID_PARAMS, f"params._meta lacks {', '.join(missing)}.")
    if not isinstance(meta[META_CLIENT_CAPABILITIES], dict):
        raise JSONRPCError(INVALID_PARAMS, f"{META_CLIENT_CAPABILITIES} must be an object.")


def nesting_problem(value: Any) -> str | None:
    """Why a whole message is refused before anything reads it: nested deeper than
    twice ``MAX_ARGUMENT_DEPTH`` plus the envelope's levels (code that walks it, the cache's
    pickling among them, would run out of stack). None when fine."""
    limit = 2 * int(mcp_settings.MAX_ARGUMENT_DEPTH) + 16
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= limit:
                return f"The message is nested more than {limit} levels deep."
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def read_cursor(params: dict[str, Any], kind: str) -> int:
    """The offset an opaque cursor of ``kind`` stands for (0 without one)."""
    cursor = params.get("cursor")
    if cursor is None:
        return 0
    if not isinstance(cursor, str):
        raise JSONRPCError(INVALID_PARAMS, '"cursor" must be a string.')
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if decoded["k"] != kind or not isinstance(decoded["o"], int) or decoded["o"] < 0:
            raise ValueError
        offset: int = decoded["o"]
    except (ValueError, KeyError, TypeError, UnicodeEncodeError, binascii.Error):
        raise JSONRPCError(
            INVALID_PARAMS, f"Invalid cursor: {cursor!r}. Use the nextCursor of a {kind} list."
        ) from None
    return offset


def make_cursor(kind: str, offset: int) -> str:
    raw = json.dumps({"k": kind, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def page_of(kind: str, items: list[Any], offset: int, size: Any) -> dict[str, Any]:
    """``{kind: items[offset:offset+size]}`` plus ``nextCursor`` when more remain."""
    if offset > len(items):
        raise JSONRPCError(INVALID_PARAMS, f"Invalid cursor: past the end of the {kind} list.")
    end = len(items) if not size else offset + int(size)
    page: dict[str, Any] = {kind: items[offset:end]}
    if end < len(items):
        page["nextCursor"] = make_cursor(kind, end)
    return page


server = MCPServer()


def argument_problem(arguments: Any) -> str | None:
    """What is wrong with the arguments' shape (nesting too deep, a string too long), or
    None. Checked before any tool runs."""
    max_depth = int(mcp_settings.MAX_ARGUMENT_DEPTH)
    max_length = int(mcp_settings.MAX_ARGUMENT_STRING_LENGTH)
    stack: list[tuple[Any, int, str]] = [(arguments, 0, "arguments")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            if len(value) > max_length:
                return f"{path} is {len(value)} characters long; the limit is {max_length}."
        elif isinstance(value, (dict, list)):
            if depth >= max_depth:
                return f"{path} is nested more than {max_depth} levels deep."
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and len(key) > max_length:
                    return f"a key in {path} is longer than {max_length} characters."
                stack.append((item, depth + 1, f"{path}[{key!r}]"))
    return None


def cap_result_size(result: dict[str, Any]) -> dict[str, Any]:
    """Cut a result whose text is over ``MAX_RESULT_SIZE`` characters, telling the model
    to ask for less. The structured content goes too (it cannot be cut and stay valid), so
    the result is marked as an error: clients expect structured content otherwise."""
    limit = int(mcp_settings.MAX_RESULT_SIZE)
    blocks = result.get("content") or []
    size = sum(len(b.get("text", "")) for b in blocks if isinstance(b, dict))
    if size <= limit:
        return result
    text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict))
    note = (
        f"The result is {size} characters, over the limit of {limit}; it was cut. "
        "Ask for less: filter, search or use smaller pages."
    )
    return {
        "content": [
            {"type": "text", "text": note},
            {"type": "text", "text": text[:limit]},
        ],
        "isError": True,
    }


def record_call(
    name: str,
    arguments: dict[str, Any],
    result: dict[str, Any],
    context: RequestContext,
    started: float,
) -> None:
    """One structured log record per call, and the tool_called/tool_failed signals. The
    arguments are never logged (they may carry secrets)."""
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    status = context.outcome.http_status if context.outcome is not None else None
    failed = bool(result.get("isError"))
    outcome = "error" if failed else "ok"
    inner_user = context.outcome.user if context.outcome is not None else None
    user = inner_user or getattr(context.http_request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        drf_request = getattr(context.http_request, "mcp_drf_request", None)
        user = getattr(drf_request, "user", None) if drf_request is not None else user
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    call_logger.info(
        "tools/call %s -> %s (%s, %.1f ms)",
        name,
        status if status is not None else "-",
        outcome,
        duration_ms,
        extra={
            "mcp_tool": name,
            "mcp_status": status,
            "mcp_outcome": outcome,
            "mcp_duration_ms": duration_ms,
            "mcp_user_id": user_id,
        },
    )
    details = {
        "tool": name,
        "arguments": arguments,
        "user": user,
        "result": result,
        "status": status,
        "duration_ms": duration_ms,
        "request": context.http_request,
    }
    tool_called.send(sender=MCPServer, **details)
    if failed:
        tool_failed.send(sender=MCPServer, **details)
