"""The resources methods: ``resources/list``, ``resources/templates/list``,
``resources/read`` (a ``drf://`` URI is read by running its list or retrieve tool), and
subscriptions: ``resources/subscribe``/``unsubscribe`` (2025, sessions) and
``subscriptions/listen`` (2026-07-28)."""

from __future__ import annotations

import threading
from typing import Any

from ..catalogue import resources
from ..conf.settings import mcp_settings
from ..core.context import RequestContext
from ..core.jsonrpc import JSONRPCError, checked_uri, notification
from ..core.sessions import owner_of
from ..core.types import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    META_SUBSCRIPTION_ID,
    METHOD_NOT_FOUND,
    RESOURCE_NOT_FOUND,
)
from ..invocation.prepared import ReadRefused
from . import subscriptions
from .extensions import listen_sources
from .paging import page_of, read_cursor
from .subscriptions import TooManySubscriptions, set_subscribed
from .tools import ToolMethods


class ResourceMethods(ToolMethods):
    """The resources methods of :class:`~drf_mcp_bridge.protocol.server.MCPServer`
    (reading runs a tool, hence the tools methods beneath)."""

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
        try:
            key, lookup, query = resources.parse_drf_uri(uri)
        except JSONRPCError as error:
            # No resource of this server has that URI: the error names it (SEP-2164).
            raise JSONRPCError(error.code, error.message, {"uri": uri}) from None
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
        uris = subscriptions.listen_items(
            wanted.get("resourceSubscriptions") or [], "resourceSubscriptions", "resources"
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
        # What extensions let a stream follow (the Tasks extension: taskIds).
        acknowledged: dict[str, Any] = {"resourceSubscriptions": honored} if honored else {}
        renderers: dict[str, Any] = {}
        for source in listen_sources(context.stateless):
            if source.field not in wanted:
                continue
            items = source.accept(wanted[source.field], params, context)
            acknowledged[source.field] = items
            for item in items:
                renderers[source.counter(item)] = lambda item=item, source=source: source.render(
                    item, context
                )
        # Registered before the acknowledgment: an update right after it is not lost.
        owner = owner_of(self.gate.caller(context).user)
        listener = subscriptions.FixedListener(subscriptions.watch([*honored, *renderers], owner))
        # The lists never change while the server runs: no list_changed is promised.
        stamp = {META_SUBSCRIPTION_ID: context.request_id}
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
            renderers,
        )
        return {"_meta": stamp}
