"""``MCPRouter``: a DRF ``DefaultRouter`` that also exposes what it registers as tools."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from rest_framework.routers import BaseRouter, DefaultRouter, SimpleRouter

from ..invocation import routes
from .options import (
    OPTION_NAMES,
    ROUTER_ALIASES,
    VIEWSET_ALIASES,
    MCPToolConfig,
    build_config,
    deprecated,
    kept_option,
)
from .registrations import ViewRegistration, ViewSetRegistration
from .registry import registry

logger = logging.getLogger("drf_mcp_bridge")


def _adopt_existing(
    viewset: type[Any],
    prefix: str,
    basename: str | None,
    given: Mapping[str, Any] | None = None,
    where: str = "",
) -> bool:
    """A ViewSet already registered (``@mcp_viewset``) keeps its options and learns the
    router prefix (for its tool names) and basename. False when it is not registered.
    Options ``given`` here (``MCPToolConfig.given()``) that differ from the ones it keeps
    are recorded as conflicts (system check W050), never dropped in silence.
    """
    existing = registry.registration_for(viewset)
    if existing is None:
        return False
    existing.router_prefix = existing.router_prefix or prefix
    given = dict(given or {})
    if existing.basename is None and given.get("basename"):
        existing.basename = given.pop("basename")  # merged, as the router's own basename is
    existing.basename = existing.basename or basename
    for option, value in given.items():
        kept = kept_option(existing, option)
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
        config: MCPToolConfig | None = None,
        **options: Any,
    ) -> None:
        """Register as DRF does; with ``mcp=True`` (default) also expose the ViewSet's
        actions as tools named after ``prefix`` ("customers" → ``customers_list``).

        Takes the options of ``MCPToolConfig`` (those of ``@mcp_viewset``) as keyword
        arguments or as ``config=``; ``mcp_name=``, ``mcp_actions=``, ``mcp_exclude=``,
        ``mcp_prefix=`` and ``mcp_version=``, their old names, still work for one release.
        A ViewSet already decorated with ``@mcp_viewset`` keeps its own options; the ones
        given here that differ are reported by system check W050.
        """
        chosen = build_config("MCPRouter.register", config, options, ROUTER_ALIASES)
        if basename is None and chosen.basename is not None:
            basename = chosen.basename
        if not mcp and chosen.given():
            raise TypeError(
                f"MCPRouter.register({prefix!r}, mcp=False) keeps the ViewSet off MCP, so "
                f"its MCP options ({', '.join(sorted(chosen.given()))}) would go unused; "
                "drop them or drop mcp=False."
            )
        super().register(prefix, viewset, basename)  # type: ignore[misc]
        if not mcp:
            return
        where = f"MCPRouter.register({prefix!r})"
        if _adopt_existing(viewset, prefix, basename, chosen.given(), where):
            return
        registry.register_viewset(
            chosen.registration(viewset, router_prefix=prefix, basename=basename)
        )


class MCPRouter(MCPRouterMixin, DefaultRouter):
    """``DefaultRouter`` whose registrations are also MCP tools."""


class MCPSimpleRouter(MCPRouterMixin, SimpleRouter):
    """``SimpleRouter`` whose registrations are also MCP tools."""


def expose_router(
    router: BaseRouter,
    *,
    include_viewsets: Sequence[str | type[Any]] | None = None,
    exclude_viewsets: Sequence[str | type[Any]] = (),
    options: Mapping[str | type[Any], Mapping[str, Any] | MCPToolConfig] | None = None,
    config: MCPToolConfig | None = None,
    **tool_options: Any,
) -> list[ViewSetRegistration]:
    """Expose every ViewSet already registered on a DRF router (``DefaultRouter``,
    ``SimpleRouter`` or any ``BaseRouter``) as tools, in one line::

        router = DefaultRouter()
        router.register("customers", CustomerViewSet)
        ...
        expose_router(router, exclude_viewsets=["audit-log"])

    ``include_viewsets``/``exclude_viewsets`` pick ViewSets by router prefix or class.
    The options of ``MCPToolConfig`` (those of ``@mcp_viewset`` and
    ``MCPRouter.register``), as keyword arguments or ``config=``, apply to every ViewSet
    exposed; ``options`` gives single ViewSets theirs (a dict of them or an
    ``MCPToolConfig``), keyed by router prefix or class, set over the shared ones. Tool
    names come from the router prefixes, so they stay stable as long as the URLs do. A
    ViewSet decorated with ``@mcp_viewset`` keeps its own options (the ones given here
    that differ are reported by system check W050). Returns the registrations made.

    Old names, for one release: ``include=`` is ``include_viewsets=``; ``prefix=`` is
    ``tool_prefix=``; ``exclude=`` entries that are ViewSet classes or prefixes of this
    router are ``exclude_viewsets=`` (with a DeprecationWarning), the others action names.
    """
    include_viewsets, exclude_viewsets = _old_viewset_picks(
        router, tool_options, include_viewsets, exclude_viewsets
    )
    shared = build_config("expose_router", config, tool_options, VIEWSET_ALIASES)
    per_viewset = _checked_options("expose_router", options, OPTION_NAMES)
    made: list[ViewSetRegistration] = []
    for entry in router.registry:
        route_prefix, viewset, basename = entry[0], entry[1], entry[2]
        if (
            include_viewsets is not None
            and route_prefix not in include_viewsets
            and viewset not in include_viewsets
        ):
            continue
        if route_prefix in exclude_viewsets or viewset in exclude_viewsets:
            continue
        chosen = _chosen(per_viewset, [route_prefix, viewset])
        own = replace(shared, **_config_fields(chosen)) if chosen else shared
        if _adopt_existing(viewset, route_prefix, basename, own.given(), "expose_router"):
            continue
        registration = own.registration(viewset, router_prefix=route_prefix, basename=basename)
        registry.register_viewset(registration)
        made.append(registration)
    return made


def _old_viewset_picks(
    router: BaseRouter,
    tool_options: dict[str, Any],
    include_viewsets: Sequence[str | type[Any]] | None,
    exclude_viewsets: Sequence[str | type[Any]],
) -> tuple[Sequence[str | type[Any]] | None, Sequence[str | type[Any]]]:
    """expose_router's old ``include=``/``exclude=`` (ViewSets), taken out of
    ``tool_options`` with a DeprecationWarning: ``exclude=`` names actions now, as it does
    everywhere else, so only its entries that are this router's prefixes or ViewSets keep
    the old meaning."""
    if "include" in tool_options:
        deprecated("expose_router", "include", "include_viewsets", stacklevel=3)
        if include_viewsets is not None:
            raise TypeError("expose_router: pass include_viewsets= or include=, not both.")
        include_viewsets = tool_options.pop("include")
    exclude = tool_options.get("exclude")
    if exclude is None or isinstance(exclude, str):
        return include_viewsets, exclude_viewsets
    prefixes = {entry[0] for entry in router.registry}
    viewsets = {entry[1] for entry in router.registry}
    old = [e for e in exclude if isinstance(e, type) or e in prefixes or e in viewsets]
    if old:
        warnings.warn(
            f"expose_router(exclude={old!r}) naming ViewSets is deprecated; pass "
            f"exclude_viewsets={old!r} instead. exclude= names actions, as it does for "
            "@mcp_viewset and MCPRouter.register; the old meaning goes in the next release.",
            DeprecationWarning,
            stacklevel=3,
        )
        exclude_viewsets = [*exclude_viewsets, *old]
        rest = [e for e in exclude if e not in old]
        if rest:
            tool_options["exclude"] = rest
        else:
            tool_options.pop("exclude")
    return include_viewsets, exclude_viewsets


def _config_fields(chosen: Mapping[str, Any] | MCPToolConfig) -> dict[str, Any]:
    """The options one ViewSet is given in expose_router's ``options``, as fields."""
    if isinstance(chosen, MCPToolConfig):
        return chosen.given()
    checked = MCPToolConfig(**chosen)  # validated as any config is
    return {key: getattr(checked, key) for key in chosen}


def _checked_options(
    function: str,
    options: Mapping[str | type[Any], Any] | None,
    names: frozenset[str] | set[str] | None = None,
) -> Mapping[str | type[Any], Any]:
    """``options`` (per ViewSet or view: a dict of options, or for expose_router an
    ``MCPToolConfig``), whose option names are all among ``names`` (default: expose_urls'
    set); TypeError naming the valid ones otherwise."""
    valid = _OPTION_NAMES if names is None else names
    options = options or {}
    for key, chosen in options.items():
        if isinstance(chosen, MCPToolConfig) and names is not None:
            continue
        if not isinstance(chosen, Mapping):
            raise TypeError(
                f"{function} options for {key!r}: a dict of options"
                + (" or an MCPToolConfig" if names is not None else "")
                + f", not {chosen!r}."
            )
        unknown = set(chosen) - valid
        if unknown:
            raise TypeError(
                f"{function} options for {key!r}: unknown {sorted(unknown)}; "
                f"use some of {sorted(valid)}."
            )
    return options


def _chosen(options: Mapping[str | type[Any], Any], keys: Sequence[str | type[Any]]) -> Any:
    """The options given under the first of ``keys`` that has some (a dict, or an
    ``MCPToolConfig`` as it was given)."""
    for key in keys:
        found = options.get(key)
        if isinstance(found, MCPToolConfig):
            return found
        if found:
            return dict(found)
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
    tool_prefix: str = "",
    options: Mapping[str | type[Any], Mapping[str, Any]] | None = None,
    prefix: str | None = None,
) -> list[ViewSetRegistration | ViewRegistration]:
    """Expose every DRF view the URLconf routes under ``url_prefix`` as tools, routers or
    not: ViewSets (as ``expose_router`` does) and ``APIView``/generic views::

        expose_urls("api/", exclude=["audit-log"], options={"parts": {"name": "part"}})

    Generic views get CRUD names from their class (``ListCreateAPIView`` at "api/parts/"
    → ``parts_list``, ``parts_create``; ``RetrieveUpdateDestroyAPIView`` at
    "api/parts/<int:pk>/" → ``parts_retrieve``, ``parts_update``, ``parts_partial_update``,
    ``parts_destroy``), other views one per method (``status_get``). ``include`` and
    ``exclude`` pick views, ``options`` gives single ones ``name``, ``actions``,
    ``exclude`` (actions), ``tool_names``, ``titles``, ``descriptions`` (and, for ViewSets
    only, ``version`` and ``metadata``), each keyed by class, URL name or resource segment
    ("parts"); ``tool_prefix`` is put before every tool name (``prefix=``, its old name,
    still works for one release).
    Views that already have tools (``@mcp_viewset``, ``@mcp_view``, an earlier call) keep
    them, so calling it twice registers nothing new. Call it once the URLconf can be
    imported: in an ``AppConfig.ready()``. Returns the registrations made.
    """
    from rest_framework.routers import APIRootView
    from rest_framework.views import APIView

    if prefix is not None:
        deprecated("expose_urls", "prefix", "tool_prefix", stacklevel=2)
        if tool_prefix:
            raise TypeError("expose_urls: pass tool_prefix= or its old name prefix=, not both.")
        tool_prefix = prefix
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
            prefix=tool_prefix,
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
        if view_class.__module__.split(".")[0] == "drf_mcp_bridge":
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
            prefix=tool_prefix,
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
