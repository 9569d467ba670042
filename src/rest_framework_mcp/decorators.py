"""``@mcp_viewset``: expose a ViewSet's actions as MCP tools."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from .registry import ViewSetRegistration, registry

T = TypeVar("T", bound=type[Any])


def mcp_viewset(
    *,
    name: str | None = None,
    actions: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    prefix: str = "",
    tool_names: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    basename: str | None = None,
) -> Callable[[T], T]:
    """Expose the decorated ViewSet's actions as tools.

    ``name`` is the resource part of tool names (default: the router prefix the ViewSet
    is registered under); ``actions``/``exclude`` choose the actions; ``prefix`` is put
    before every tool name; ``tool_names``, ``titles`` and ``descriptions`` override
    those of single actions (keys are action names). Bad values are reported by
    ``manage.py check`` (ids ``rest_framework_mcp.E0xx``).
    """

    def decorator(viewset: T) -> T:
        registry.register_viewset(
            ViewSetRegistration(
                viewset=viewset,
                name=name,
                actions=tuple(actions) if actions is not None else None,
                exclude=tuple(exclude),
                prefix=prefix,
                tool_names=dict(tool_names or {}),
                titles=dict(titles or {}),
                descriptions=dict(descriptions or {}),
                basename=basename,
            )
        )
        return viewset

    return decorator
