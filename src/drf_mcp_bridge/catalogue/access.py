"""The access gate: for a caller and a tool, resource or prompt, whether it is listed,
whether it may run, and which scopes it needs.

The caller is the outer request authenticated with the endpoint's DRF authentication
classes; every tool call's inner request then authenticates itself again, from the same
headers, with its own view's classes (invocation/).
"""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request

from ..conf.settings import mcp_settings
from ..core.authentication import authorize
from ..core.jsonrpc import JSONRPCError
from ..invocation.prepared import ReadRefused, _guarded, prepared_view
from .discovery import CALL
from .resources import lookup_value, parse_drf_uri, resource_key, user_resources, viewset_resource


class AccessGate:
    """The one place that answers, for a caller and a tool, resource or prompt:
    **visible?** (listed to this caller), **may run?** (the view's permission classes let
    the caller's request for that action through, as REST would) and **scopes needed?**
    (the endpoint's authenticator, e.g. OAuth write scopes, for the tool a message would
    really run). Every MCP method that lists, reads or runs anything asks it.

    ``PER_USER_TOOLS`` decides only visibility: off, everything is listed to everyone,
    but what a caller may run, read or complete is still decided by the view's checks.
    """

    def __init__(self, tool_registry: Any) -> None:
        self.registry = tool_registry

    # who is asking ----------------------------------------------------------------
    @staticmethod
    def caller(context: Any) -> Request:
        """The caller's outer request, authenticated with the endpoint's classes (an
        anonymous request when there is none: refused credentials were answered with 401
        before dispatch)."""
        found: Request | None = context.drf_request
        if found is None:
            found = Request(context.http_request, authenticators=())
        return found

    # tools --------------------------------------------------------------------------
    def may_use(self, tool: Any, context: Any) -> bool:
        """Whether the caller's request for ``tool``'s action passes its view's
        ``has_permission`` checks (object permissions are checked on the object)."""
        return bool(tool.visible_to(self.caller(context)))

    def visible(self, tool: Any, context: Any) -> bool:
        """Whether lists show ``tool`` to the caller: always without ``PER_USER_TOOLS``."""
        return not mcp_settings.PER_USER_TOOLS or self.may_use(tool, context)

    def visible_tools(self, context: Any) -> list[Any]:
        return [t for t in self.registry.tools().values() if self.visible(t, context)]

    def visible_tool(self, name: str, context: Any) -> Any:
        """The tool ``name`` if it exists and the caller may see it, else None."""
        tool = self.registry.get_tool(name)
        return tool if tool is not None and self.visible(tool, context) else None

    def target(self, method: str | None, params: dict[str, Any]) -> Any:
        """The tool a message would really run: the named one for ``tools/call``, the
        inner one for discovery's ``call_tool``, the list/retrieve tool behind a
        ``drf://`` URI for ``resources/read``; None for anything else."""
        if method == "tools/call":
            name = params.get("name")
            if name == CALL and mcp_settings.TOOL_DISCOVERY:
                arguments = params.get("arguments")
                name = arguments.get("name") if isinstance(arguments, dict) else None
            return self.registry.get_tool(name) if isinstance(name, str) else None
        if method == "resources/read":
            uri = params.get("uri")
            return self.resource_tool(uri)[0] if isinstance(uri, str) else None
        return None

    def authorize(self, drf_request: Request, method: str | None, params: dict[str, Any]) -> None:
        """The endpoint authenticator's scope check for one message, on the tool it would
        really run (:class:`EndpointAuthError` when refused)."""
        authorize(drf_request, method, self.target(method, params))

    # resources ----------------------------------------------------------------------
    def resource_tool(self, uri: str) -> tuple[Any, Any]:
        """(the list or retrieve tool serving ``uri``, the lookup value or None), or
        (None, None) when ``uri`` is no ``drf://`` resource of this server."""
        try:
            key, lookup, _query = parse_drf_uri(uri)
        except JSONRPCError:
            return None, None
        tool = viewset_resource(self.registry.tools(), key, lookup)
        return tool, (lookup if tool is not None else None)

    def check_read(self, uri: str, context: Any) -> None:
        """Raise :class:`ReadRefused` unless the caller may read ``uri`` now: the view's
        authentication and permissions for the caller, and for one object its lookup in
        the caller's filtered queryset and its object permissions — what a GET of the same
        URL checks before it answers (throttles are not charged)."""
        if any(r.match(uri) is not None for r in user_resources()):
            return  # an @mcp_resource function decides for itself when read
        tool, lookup = self.resource_tool(uri)
        if tool is None:
            raise ReadRefused(404, f"Resource not found: {uri!r}.")
        if not self.may_use(tool, context):
            raise ReadRefused(403, f"You may not read {uri}.")

        value = lookup_value(tool, lookup) if lookup is not None else None

        def fetch(view: Any) -> None:
            if lookup is not None:
                _guarded(lambda: view.get_object(), uri)

        prepared_view(tool, context, value, throttle=False, work=fetch)

    def may_read(self, uri: str, context: Any) -> bool:
        try:
            self.check_read(uri, context)
        except ReadRefused:
            return False
        return True

    def readable_queryset(self, tool: Any, context: Any, select: Any) -> Any:
        """``select(queryset)`` of the rows the caller's list request would return (its
        view's filter backends over ``get_queryset()``, after authentication, permissions
        and throttles, as the list call would run them, inside the project's middleware);
        :class:`ReadRefused` when the list is refused. ``select`` must evaluate what it
        needs: request-scoped state (a tenant...) ends with the middleware."""
        source = viewset_resource(self.registry.tools(), resource_key(tool), None) or tool
        if not self.may_use(source, context):
            raise ReadRefused(403, f"You may not list {source.resource}.")
        return prepared_view(
            source,
            context,
            None,
            throttle=True,
            work=lambda view: select(
                _guarded(lambda: view.filter_queryset(view.get_queryset()), source.name)
            ),
        )

    # prompts ------------------------------------------------------------------------
    def visible_guides(self, context: Any, build: Any) -> list[Any]:
        """The generated guides for the tools this caller may see, so that no guide names
        a tool, field or URI of a resource hidden from it. ``build(tools)`` makes them
        (cached per set of visible tools)."""
        tools = self.registry.tools()
        if not mcp_settings.PER_USER_TOOLS:
            guides: list[Any] = self.registry.derived("guide_prompts", lambda: build(tools))
            return guides
        visible = {n: t for n, t in tools.items() if self.visible(t, context)}
        names = ",".join(sorted(visible))
        import hashlib

        cache_key = "guide_prompts:" + hashlib.sha256(names.encode()).hexdigest()[:16]
        found: list[Any] = self.registry.derived(cache_key, lambda: build(visible))
        return found
