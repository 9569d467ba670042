"""Expose Django REST Framework ViewSets as Model Context Protocol tools."""

from __future__ import annotations

from typing import Any

__all__ = [
    "CallContext",
    "MCPRouter",
    "MCPSimpleRouter",
    "MCPToolConfig",
    "ToolError",
    "current_call",
    "expose_router",
    "expose_urls",
    "is_mcp_request",
    "mcp_action",
    "mcp_prompt",
    "mcp_resource",
    "mcp_tool",
    "mcp_view",
    "mcp_viewset",
    "notify_resource_updated",
]


def __getattr__(name: str) -> Any:
    # Lazy: importing the package must not import DRF before Django is set up.
    if name in {"mcp_viewset", "mcp_action", "mcp_tool", "mcp_view"}:
        from .catalogue import decorators

        return getattr(decorators, name)
    if name in {"MCPRouter", "MCPSimpleRouter", "expose_router", "expose_urls"}:
        from .catalogue import routers

        return getattr(routers, name)
    if name == "MCPToolConfig":
        from .catalogue.options import MCPToolConfig

        return MCPToolConfig
    if name == "ToolError":
        from .catalogue import tools

        return getattr(tools, name)
    if name in {"CallContext", "current_call"}:
        from .invocation import calls

        return getattr(calls, name)
    if name == "notify_resource_updated":
        from .protocol.subscriptions import notify_resource_updated

        return notify_resource_updated
    if name == "mcp_resource":
        from .catalogue.resources import mcp_resource

        return mcp_resource
    if name == "mcp_prompt":
        from .catalogue.prompts import mcp_prompt

        return mcp_prompt
    if name == "is_mcp_request":
        from .invocation.run import is_mcp_request

        return is_mcp_request
    raise AttributeError(f"module 'drf_mcp_bridge' has no attribute {name!r}")
