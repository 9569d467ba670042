"""MCP method dispatch: :class:`MCPServer`, the JSON-RPC method table, and the lifecycle
methods (initialize, server/discover, ping, logging/setLevel).

Transport-independent: it takes validated JSON-RPC messages and a :class:`RequestContext`
and returns response objects; the HTTP view and the stdio server both use it. The methods
of each feature live in their own module (tools.py, resources.py, prompts.py,
completion.py, skills.py), mixed in here; versions.py says which revision has which method.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from ..catalogue.access import AccessGate
from ..catalogue.registry import Registry, registry
from ..conf.settings import mcp_settings
from ..core import observe
from ..core.context import RequestContext as RequestContext
from ..core.jsonrpc import JSONRPCError, Message, error_response, result_response
from ..core.state import StateRefused, locked
from ..core.types import (
    HANDSHAKE_PROTOCOL_VERSIONS,
    INTERNAL_ERROR,
    INVALID_PARAMS,
    INVALID_REQUEST,
    LATEST_PROTOCOL_VERSION,
    META_SERVER_INFO,
    METHOD_NOT_FOUND,
    RESOURCE_NOT_FOUND,
    SUPPORTED_PROTOCOL_VERSIONS,
)
from ..invocation import calls
from .completion import complete
from .extensions import extension_capabilities, extension_method
from .paging import make_cursor as make_cursor
from .paging import page_of as page_of
from .paging import read_cursor as read_cursor
from .prompts import PromptMethods
from .skills import SkillMethods
from .tools import argument_problem as argument_problem
from .tools import call_logger as call_logger
from .tools import cap_result_size as cap_result_size
from .tools import record_call as record_call
from .versions import CACHEABLE, KNOWN_METHODS, check_envelope, nesting_problem
from .versions import METHODS_BY_VERSION as METHODS_BY_VERSION

logger = logging.getLogger("drf_mcp_bridge")


def package_version() -> str:
    try:
        return version("drf-mcp-bridge")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


Handler = Callable[["MCPServer", dict[str, Any], RequestContext], Any]


class MCPServer(SkillMethods, PromptMethods):
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
            "skills/list": "skills_list",
            "skills/get": "skills_get",
        }

    # dispatch -------------------------------------------------------------------------
    def handle(self, message: Message, context: RequestContext) -> dict[str, Any] | None:
        """The response object for a request; None for notifications and responses."""
        if observe.OBSERVERS and message.kind != "response":
            return observe.observed(
                "message", functools.partial(self.respond, message, context), message, context
            )
        return self.respond(message, context)

    def respond(self, message: Message, context: RequestContext) -> dict[str, Any] | None:
        """:meth:`handle` without the observers (``core.observe``)."""
        problem = nesting_problem(message.payload if message.kind == "response" else message.params)
        if message.kind == "notification":
            if message.method == "notifications/cancelled" and problem is None:
                calls.cancel(context.caller.key, message.params)
            # notifications/initialized and others: nothing to do or answer.
            return None
        if message.kind != "request":
            if problem is None:
                calls.deliver_reply(context.caller.key, message.payload)
            return None
        assert message.method is not None
        if problem is not None:
            return error_response(message.id, JSONRPCError(INVALID_PARAMS, problem))
        handler = self.methods.get(message.method)
        if handler is None:
            handler = extension_method(message.method, context.stateless)
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
        if method not in KNOWN_METHODS:
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
        if method in CACHEABLE and result["resultType"] == "complete":
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
        found: dict[str, Any] = {
            "tools": {"listChanged": False},
            "resources": {"subscribe": subscribe, "listChanged": False},
            "prompts": {"listChanged": False},
            "completions": {},
            "logging": {},
        }
        extensions = self.skills_capability()
        extensions.update(extension_capabilities(context.stateless))
        if extensions:
            found["extensions"] = extensions
        return found

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

    # completion -----------------------------------------------------------------------
    def completion_complete(
        self, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        return complete(self, params, context)


MCPServer.signal_sender = MCPServer
server = MCPServer()
