"""Who is calling the endpoint, and which tools they may see.

The endpoint authenticates the outer request with DRF's authentication classes (the
``AUTHENTICATION_CLASSES`` setting, by default DRF's ``DEFAULT_AUTHENTICATION_CLASSES``),
so a token, JWT or Basic credential identifies the user for ``tools/list`` as it would for
a REST view; every tool call's inner request then authenticates itself again, from the
same headers, with its own view's classes.
"""

from __future__ import annotations

import copy
import inspect
import logging
from typing import Any

from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from ..conf.settings import mcp_settings
from ..core.authentication import authorize

logger = logging.getLogger("rest_framework_mcp")


# requirements ----------------------------------------------------------------------

_SAFE = {"get", "head", "options"}


def requirement_notes(permission_objects: list[Any], method: str, model: Any) -> list[str]:
    """Plain-language requirements of a tool's permission classes, where known:
    "Requires staff.", "Requires a signed-in user.", "Requires the permission app.add_x.".
    A permission class can state its own with a ``mcp_requirement`` attribute.
    """
    notes: list[str] = []
    for permission in permission_objects:
        explicit = getattr(permission, "mcp_requirement", None)
        if explicit:
            notes.append(str(explicit))
        elif isinstance(permission, permissions.IsAdminUser):
            notes.append("Requires staff.")
        elif isinstance(permission, permissions.IsAuthenticated):
            notes.append("Requires a signed-in user.")
        elif isinstance(permission, permissions.IsAuthenticatedOrReadOnly):
            if method not in _SAFE:
                notes.append("Requires a signed-in user.")
        elif isinstance(permission, permissions.DjangoModelPermissions) and model is not None:
            anonymous_reads = isinstance(
                permission, permissions.DjangoModelPermissionsOrAnonReadOnly
            )
            if anonymous_reads and method in _SAFE:
                continue
            required = permission.get_required_permissions(method.upper(), model)
            if required:
                notes.append(f"Requires the permission {', '.join(required)}.")
            elif not anonymous_reads:
                notes.append("Requires a signed-in user.")
    unique: list[str] = []
    for note in notes:
        if note not in unique:
            unique.append(note)
    return unique


def as_method(drf_request: Request, method: str) -> Request:
    """The authenticated outer request as if it used ``method`` (permissions such as
    IsAuthenticatedOrReadOnly look at the method; the endpoint is always POSTed to)."""
    cache: dict[str, Request] = drf_request.__dict__.setdefault("_mcp_as_method", {})
    found = cache.get(method)
    if found is None:
        django_request = copy.copy(drf_request._request)
        django_request.method = method.upper()
        outer_authenticators: Any = tuple(drf_request.authenticators or ())
        found = Request(django_request, authenticators=outer_authenticators)
        # What the outer request's authentication found: a permission that reads
        # request.successful_authenticator or request.auth sees what it sees on the real
        # request (without it, DRF would authenticate this copy again, as anonymous).
        found._authenticator = drf_request.successful_authenticator  # type: ignore[attr-defined]
        found.user = drf_request.user
        found.auth = drf_request.auth
        cache[method] = found
    return found


def caller_name(user: Any) -> str:
    """The user for messages and logs: "user 'alice'", or "anonymous"."""
    if user is None or not getattr(user, "is_authenticated", False):
        return "anonymous"
    get_username = getattr(user, "get_username", None)
    name = get_username() if get_username is not None else user.pk
    return f"user {str(name)!r}"


def permissions_pass(view: Any, drf_request: Request, tool: str | None = None) -> bool:
    """Whether ``has_permission`` of every permission of ``view`` allows the request (object
    permissions are checked when the tool is called). When one refuses, the logger
    ``rest_framework_mcp`` says at DEBUG which one hid ``tool`` from whom."""
    what = tool or type(view).__name__
    try:
        for permission in view.get_permissions():
            if not permission.has_permission(drf_request, view):
                logger.debug(
                    "Tool %s hidden from %s: %s.has_permission() refused %s.",
                    what,
                    caller_name(getattr(drf_request, "user", None)),
                    type(permission).__name__,
                    drf_request.method,
                )
                return False
    except Exception:
        # Permissions that read what the URL or middleware sets on the real request
        # (request.event under events/<slug:event>/...) cannot be judged without one: the
        # tool is listed, and its calls run the real check, as REST does.
        logger.debug(
            "has_permission raised for %s outside a real request; tool listed (its calls "
            "check permissions on the real request)",
            what,
            exc_info=True,
        )
        return True
    return True


def unrestricted(view_class: type[Any], view: Any) -> bool:
    """True when a view's permissions cannot depend on the user: it keeps APIView's
    ``get_permissions`` and has none but AllowAny. Such tools skip the per-user check."""
    if getattr(view_class, "get_permissions", None) is not APIView.get_permissions:
        return False
    try:
        found = view.get_permissions()
    except Exception:
        return False
    return all(type(p) is permissions.AllowAny for p in found)


# the access gate ---------------------------------------------------------------------


class ReadRefused(Exception):
    """The caller may not read a resource: ``status`` is what REST would answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


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
        from .discovery import CALL

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
        from ..core.jsonrpc import JSONRPCError
        from .resources import parse_drf_uri, viewset_resource

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
        from .resources import user_resources

        if any(r.match(uri) is not None for r in user_resources()):
            return  # an @mcp_resource function decides for itself when read
        tool, lookup = self.resource_tool(uri)
        if tool is None:
            raise ReadRefused(404, f"Resource not found: {uri!r}.")
        if not self.may_use(tool, context):
            raise ReadRefused(403, f"You may not read {uri}.")
        from .resources import lookup_value

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
        from .resources import resource_key, viewset_resource

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


def _guarded(run: Any, what: str) -> Any:
    """Run a view step; DRF's refusals and Django's 404 become :class:`ReadRefused`."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        result = run()
        if inspect.isawaitable(result):  # an async view's step (adrf): run it to the end
            from asgiref.sync import async_to_sync

            async def finish() -> Any:
                return await result

            result = async_to_sync(finish)()
        return result
    except exceptions.APIException as exc:
        raise ReadRefused(exc.status_code, str(exc.detail)) from None
    except Http404:
        raise ReadRefused(404, f"Not found: {what}.") from None
    except PermissionDenied:
        raise ReadRefused(403, f"You may not read {what}.") from None


def prepared_view(tool: Any, context: Any, lookup: Any, throttle: bool, work: Any) -> Any:
    """``work(view)`` for a view instance of a GET of ``tool``'s route (with ``lookup``
    for a detail route), set up exactly as the URLconf's view would be for the caller: the
    inner request carries the caller's credentials and goes through the project's
    middleware, and the view has run DRF's ``initial()`` (content negotiation, versioning,
    authentication, permissions and — when ``throttle`` — throttles) before ``work`` runs,
    inside the middleware. :class:`ReadRefused` when ``initial()`` refuses."""
    from django.http import HttpResponse
    from django.urls import Resolver404

    from ..invocation import middleware, routes
    from ..invocation.run import _endpoint_path, build_inner_request

    target = _endpoint_path(tool, lookup)
    if isinstance(target, str):
        raise ReadRefused(404, target)
    path, callback = target
    inner = build_inner_request(
        context.http_request, method="GET", path=path, query={}, body=None, context=context
    )
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {tool.lookup_argument: str(lookup)} if callback and tool.detail else {}
    if callback is None:
        try:
            match = routes.cached_resolve(inner.path_info, getattr(inner, "urlconf", None))
        except Resolver404:
            raise ReadRefused(404, f"No route serves {path}.") from None
        inner.resolver_match = match
        callback, args, kwargs = tool.view_callback(match.func), match.args, match.kwargs
    found: list[Any] = []

    def run(django_request: Any) -> HttpResponse:
        view = callback.cls(**callback.initkwargs)
        actions = getattr(callback, "actions", None) or {"get": "list"}
        view.action_map = actions
        for method, action in actions.items():
            setattr(view, method, getattr(view, action))
        view.args, view.kwargs = args, kwargs
        view.headers = dict(getattr(view, "default_response_headers", {}) or {})
        request = view.initialize_request(django_request, *args, **kwargs)
        view.request = request
        if not throttle:
            view.check_throttles = lambda request: None
        _guarded(lambda: view.initial(request, *args, **kwargs), tool.name)
        found.append(work(view))
        return HttpResponse(status=204)

    response = middleware.chain().run(inner, run)
    failure = middleware.failure_of(response)
    if failure is not None:
        raise failure
    if not found:  # a middleware answered on its own (a redirect, a refusal)
        raise ReadRefused(response.status_code, f"The request for {tool.name} was refused.")
    return found[0]
