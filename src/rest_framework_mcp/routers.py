"""``MCPRouter``: a DRF ``DefaultRouter`` that also exposes what it registers as tools."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rest_framework.routers import BaseRouter, DefaultRouter, SimpleRouter

from .registry import ViewSetRegistration, registry


def _adopt_existing(viewset: type[Any], prefix: str, basename: str | None) -> bool:
    """A ViewSet already registered (``@mcp_viewset``) keeps its options and learns the
    router prefix (for its tool names) and basename. False when it is not registered.
    """
    existing = registry.registration_for(viewset)
    if existing is None:
        return False
    existing.router_prefix = existing.router_prefix or prefix
    existing.basename = existing.basename or basename
    registry.invalidate()
    return True


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
        if _adopt_existing(viewset, prefix, basename):
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
    options = options or {}
    for key, chosen in options.items():
        unknown = set(chosen) - _OPTION_NAMES
        if unknown:
            raise TypeError(
                f"expose_router options for {key!r}: unknown {sorted(unknown)}; "
                f"use some of {sorted(_OPTION_NAMES)}."
            )
    made: list[ViewSetRegistration] = []
    for entry in router.registry:
        route_prefix, viewset, basename = entry[0], entry[1], entry[2]
        if include is not None and route_prefix not in include and viewset not in include:
            continue
        if route_prefix in exclude or viewset in exclude:
            continue
        if _adopt_existing(viewset, route_prefix, basename):
            continue
        chosen = dict(options.get(route_prefix) or options.get(viewset) or {})
        actions = chosen.get("actions")
        registration = ViewSetRegistration(
            viewset=viewset,
            name=chosen.get("name"),
            actions=tuple(actions) if actions is not None else None,
            exclude=tuple(chosen.get("exclude", ())),
            prefix=prefix,
            tool_names=dict(chosen.get("tool_names", {})),
            titles=dict(chosen.get("titles", {})),
            descriptions=dict(chosen.get("descriptions", {})),
            router_prefix=route_prefix,
            basename=basename,
            version=chosen.get("version"),
            metadata=bool(chosen.get("metadata", False)),
        )
        registry.register_viewset(registration)
        made.append(registration)
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
