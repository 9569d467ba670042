"""``MCPRouter``: a DRF ``DefaultRouter`` that also exposes what it registers as tools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rest_framework.routers import DefaultRouter, SimpleRouter

from .registry import ViewSetRegistration, registry


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
    ) -> None:
        """Register as DRF does; with ``mcp=True`` (default) also expose the ViewSet's
        actions as tools named after ``prefix`` ("customers" → ``customers_list``).
        A ViewSet already decorated with ``@mcp_viewset`` keeps its own options.
        """
        super().register(prefix, viewset, basename)  # type: ignore[misc]
        if not mcp:
            return
        existing = registry.registration_for(viewset)
        if existing is not None:
            existing.router_prefix = existing.router_prefix or prefix
            existing.basename = existing.basename or basename
            registry.invalidate()
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
            )
        )


class MCPRouter(MCPRouterMixin, DefaultRouter):
    """``DefaultRouter`` whose registrations are also MCP tools."""


class MCPSimpleRouter(MCPRouterMixin, SimpleRouter):
    """``SimpleRouter`` whose registrations are also MCP tools."""
