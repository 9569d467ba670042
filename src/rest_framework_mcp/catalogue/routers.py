"""``MCPRouter``: a DRF ``DefaultRouter`` that also exposes what it registers as tools."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework.routers import BaseRouter, DefaultRouter, SimpleRouter

from ..invocation import routes
from .registrations import ViewRegistration, ViewSetRegistration
from .registry import registry

logger = logging.getLogger("rest_framework_mcp")


def _adopt_existing(
    viewset: type[Any],
    prefix: str,
    basename: str | None,
    given: Mapping[str, Any] | None = None,
    where: str = "",
) -> bool:
    """A ViewSet already registered (``@mcp_viewset``) keeps its options and learns the
    router prefix (for its tool names) and basename. False when it is not registered.
    Options ``given`` here that differ from the ones it keeps are recorded as conflicts
    (system check W050), never dropped in silence.
    """
    existing = registry.registration_for(viewset)
    if existing is None:
        return False
    existing.router_prefix = existing.router_prefix or prefix
    existing.basename = existing.basename or basename
    for option, value in (given or {}).items():
        kept = getattr(existing, option, None)
        if value in (None, (), "", {}, False) or _same(value, kept):
            continue
        registry.option_conflicts.append(
            f"{viewset.__name__}: {where} gives {option}={value!r}, but the ViewSet's own "
            f"registration (@mcp_viewset) keeps {option}={kept!r}."
        )
    registry.invalidate()
    return True


def _same(given: Any, kept: Any) -> bool:
    if isinstance(given, (list, tuple)) and isinstance(kept, (list, tuple)):
        return tuple(given) == tuple(kept)
    return bool(given == kept)


class MCPRouterMixin:
    def register(
        self,
        prefix: str,
        viewset: type[Any],
        basename: str | None = None,
        *,
        mcp: bool = True,
        mcp_name: str | None = None,
        mcp_actions: Sequence[str] | None = None,
        mcp_exclude: Sequence[str] = (),
        mcp_prefix: str = "",
        mcp_version: str | None = None,
    ) -> None:
        """Register as DRF does; with ``mcp=True`` (default) also expose the ViewSet's
        actions as tools named after ``prefix`` ("customers" → ``customers_list``).
        A ViewSet already decorated with ``@mcp_viewset`` keeps its own options.
        """
        super().register(prefix, viewset, basename)  # type: ignore[misc]
        if not mcp:
            return
        given = {
            "name": mcp_name,
            "actions": mcp_actions,
            "exclude": tuple(mcp_exclude),
            "prefix": mcp_prefix,
            "version": mcp_version,
        }
        if _adopt_existing(viewset, prefix, basename, given, f"MCPRouter.register({prefix!r})"):
            return
        registry.register_viewset(
            ViewSetRegistration(
                viewset=viewset,
                name=mcp_name,
                actions=tuple(mcp_actions) if mcp_actions is not None else None,
                exclude=tuple(mcp_exclude),
                prefix=mcp_prefix,
                router_prefix=prefix,
                basename=basename,
                version=mcp_version,
            )
        )


class MCPRouter(MCPRouterMixin, DefaultRouter):
    """``DefaultRouter`` whose registrations are also MCP tools."""


class MCPSimpleRouter(MCPRouterMixin, SimpleRouter):
    """``SimpleRouter`` whose registrations are also MCP tools."""


def expose_router(
    router: BaseRouter,
    *,
    include: Sequence[str | type[Any]] | None = None,
    exclude: Sequence[str | type[Any]] = (),
    prefix: str = "",
    options: Mapping[str | type[Any], Mapping[str, Any]] | None = None,
) -> list[ViewSetRegistration]:
    """Expose every ViewSet already registered on a DRF router (``DefaultRouter``,
    ``SimpleRouter`` or any ``BaseRouter``) as tools, in one line::

        router = DefaultRouter()
        router.register("customers", CustomerViewSet)
        ...
        expose_router(router, exclude=["audit-log"])

    ``include``/``exclude`` pick ViewSets by router prefix or class; ``prefix`` is put
    before every tool name; ``options`` gives single ViewSets the options of
    ``@mcp_viewset`` (``name``, ``actions``, ``exclude``, ``tool_names``, ``titles``,
    ``descriptions``, ``version``, ``metadata``), keyed by router prefix or class. Tool
    names come from the router prefixes, so they stay stable as long as the URLs do. A
    ViewSet decorated with ``@mcp_viewset`` keeps its own options. Returns the
    registrations made.
    """
    options = _checked_options("expose_router", options)
    made: list[ViewSetRegistration] = []
    for entry in router.registry:
        route_prefix, viewset, basename = entry[0], entry[1], entry[2]
        if include is not None and route_prefix not in include and viewset not in include:
            continue
        if route_prefix in exclude or viewset in exclude:
            continue
        chosen = _chosen(options, [route_prefix, viewset])
        given = {**chosen, "prefix": prefix}
        if _adopt_existing(viewset, route_prefix, basename, given, "expose_router"):
            continue
        registration = ViewSetRegistration(
            viewset=viewset,
            **_common_options(chosen),
            prefix=prefix,
            router_prefix=route_prefix,
            basename=basename,
            version=chosen.get("version"),
            metadata=bool(chosen.get("metadata", False)),
        )
        registry.register_viewset(registration)
        made.append(registration)
    return made


def _checked_options(
    function: str, options: Mapping[str | type[Any], Mapping[str, Any]] | None
) -> Mapping[str | type[Any], Mapping[str, Any]]:
    options = options or {}
    for key, chosen in options.items():
        unknown = set(chosen) - _OPTION_NAMES
        if unknown:
            raise TypeError(
                f"{function} options for {key!r}: unknown {sorted(unknown)}; "
                f"use some of {sorted(_OPTION_NAMES)}."
            )
    return options


def _chosen(
    options: Mapping[str | type[Any], Mapping[str, Any]], keys: Sequence[str | type[Any]]
) -> dict[str, Any]:
    """The options given under the first of ``keys`` that has some."""
    for key in keys:
        if options.get(key):
            return dict(options[key])
    return {}


def _common_options(chosen: Mapping[str, Any]) -> dict[str, Any]:
    """The options ViewSets and views share, as registration fields."""
    actions = chosen.get("actions")
    return {
        "name": chosen.get("name"),
        "actions": tuple(actions) if actions is not None else None,
        "exclude": tuple(chosen.get("exclude", ())),
        "tool_names": dict(chosen.get("tool_names", {})),
        "titles": dict(chosen.get("titles", {})),
        "descriptions": dict(chosen.get("descriptions", {})),
    }


def _under(route: str, url_prefix: str) -> bool:
    text = route.replace("^", "").replace("\\", "")
    if not url_prefix or url_prefix.endswith("/"):
        return text.startswith(url_prefix)
    return text == url_prefix or text.startswith(url_prefix + "/")


def _route_keys(route: str, url_name: str | None) -> list[str]:
    """What include/exclude/options may name a route by: its URL name (qualified and
    not) and its resource segment ("api/audit-log/<int:pk>/" → "audit-log")."""
    keys: list[str] = []
    if url_name:
        keys += [url_name, url_name.rsplit(":", 1)[-1]]
    literals = routes.literal_segments(route)
    if literals:
        keys.append(literals[-1])
    return keys


def _picked(
    keys: Sequence[str | type[Any]],
    include: Sequence[str | type[Any]] | None,
    exclude: Sequence[str | type[Any]],
) -> bool:
    if include is not None and not any(k in include for k in keys):
        return False
    return not any(k in exclude for k in keys)


def expose_urls(
    url_prefix: str = "",
    *,
    include: Sequence[str | type[Any]] | None = None,
    exclude: Sequence[str | type[Any]] = (),
    prefix: str = "",
    options: Mapping[str | type[Any], Mapping[str, Any]] | None = None,
) -> list[ViewSetRegistration | ViewRegistration]:
    """Expose every DRF view the URLconf routes under ``url_prefix`` as tools, routers or
    not: ViewSets (as ``expose_router`` does) and ``APIView``/generic views::

        expose_urls("api/", exclude=["audit-log"], options={"parts": {"name": "part"}})

    Generic views get CRUD names from their class (``ListCreateAPIView`` at "api/parts/"
    → ``parts_list``, ``parts_create``; ``RetrieveUpdateDestroyAPIView`` at
    "api/parts/<int:pk>/" → ``parts_retrieve``, ``parts_update``, ``parts_partial_update``,
    ``parts_destroy``), other views one per method (``status_get``). ``include``,
    ``exclude`` and ``options`` (those of ``expose_router``; ``version`` and ``metadata``
    only for ViewSets) name a view by class, URL name or resource segment ("parts").
    Views that already have tools (``@mcp_viewset``, ``@mcp_view``, an earlier call) keep
    them, so calling it twice registers nothing new. Call it once the URLconf can be
    imported: in an ``AppConfig.ready()``. Returns the registrations made.
    """
    from rest_framework.routers import APIRootView
    from rest_framework.views import APIView

    options = _checked_options("expose_urls", options)
    made: list[ViewSetRegistration | ViewRegistration] = []
    seen: set[type[Any]] = set()
    for route in routes.discover_routes():
        viewset = route.viewset
        if viewset in seen or not _under(route.route, url_prefix):
            continue
        seen.add(viewset)
        mine = [r for r in routes.routes_for(viewset) if _under(r.route, url_prefix)]
        keys: list[str | type[Any]] = [viewset]
        for each in mine:
            keys += _route_keys(each.route, each.url_name)
        if not _picked(keys, include, exclude) or registry.registration_for(viewset):
            continue
        chosen = _chosen(options, keys)
        registration = ViewSetRegistration(
            viewset=viewset,
            **_common_options(chosen),
            prefix=prefix,
            version=chosen.get("version"),
            metadata=bool(chosen.get("metadata", False)),
        )
        registry.register_viewset(registration)
        made.append(registration)
    routed: set[str] = {r.route for r in routes.discover_routes()}
    for view_class, view_route in routes.view_routes():
        if view_route.route in routed or not _under(view_route.route, url_prefix):
            # An earlier pattern of the same text takes every request: REST never reaches
            # this one, so no tool does either.
            continue
        routed.add(view_route.route)
        if not issubclass(view_class, APIView) or issubclass(view_class, APIRootView):
            continue  # a Django view, or a DefaultRouter's root
        if view_class.__module__.split(".")[0] == "rest_framework_mcp":
            continue
        keys = [view_class, *_route_keys(view_route.route, view_route.url_name)]
        if not _picked(keys, include, exclude):
            continue
        if registry.view_exposed(view_class, view_route.route):
            continue
        if view_route.url_name is None:
            logger.warning(
                "expose_urls: %s is routed at %r without a name; tool calls reverse() "
                "its route, so it is not exposed.",
                view_class.__name__,
                view_route.route,
            )
            continue
        chosen = _chosen(options, keys)
        for_viewsets = sorted({"version", "metadata"} & set(chosen))
        if for_viewsets:
            raise TypeError(
                f"expose_urls options for {view_class.__name__}: {for_viewsets} only apply "
                "to ViewSets."
            )
        view = ViewRegistration(
            view_class=view_class,
            route=view_route.route,
            url_name=view_route.url_name,
            **_common_options(chosen),
            prefix=prefix,
        )
        registry.register_view(view)
        made.append(view)
    return made


_OPTION_NAMES = {
    "name",
    "actions",
    "exclude",
    "tool_names",
    "titles",
    "descriptions",
    "version",
    "metadata",
}
