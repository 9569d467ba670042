"""MCP-only overrides: a ViewSet that behaves differently for the assistant.

The REST routes keep running the ViewSet as it is. Tool calls run a subclass made here,
with the same name, routes and ``initkwargs``, whose ``get_serializer_class``,
``get_permissions``, ``get_throttles`` and ``get_queryset`` answer the overrides given
for the action being run, else for the whole ViewSet, else what the ViewSet answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .registrations import ViewSetRegistration

#: Keys an override may set, per ViewSet or per action.
OVERRIDE_KEYS = frozenset(
    {"serializer_class", "permission_classes", "throttle_classes", "filter_queryset"}
)
_MISSING = object()


def _override(view: Any, registration: ViewSetRegistration, key: str) -> Any:
    """The override of ``key`` for the view's current action, or ``_MISSING``."""
    action = getattr(view, "action", None)
    per_action = registration.action_overrides.get(action or "", {})
    if key in per_action:
        return per_action[key]
    handler = getattr(type(view), action, None) if action else None
    declared = getattr(handler, "mcp_options", None) or {}
    if key in declared:
        return declared[key]
    return registration.overrides.get(key, _MISSING)


def has_overrides(registration: ViewSetRegistration) -> bool:
    if registration.overrides or any(registration.action_overrides.values()):
        return True
    return any(OVERRIDE_KEYS & set(operation.options) for operation in registration.operations())


def mcp_viewset_class(registration: ViewSetRegistration) -> type[Any]:
    """The class tool calls run: the ViewSet itself when nothing is overridden (made
    once per registration)."""
    cached: type[Any] | None = registration.__dict__.get("_mcp_class")
    if cached is None:
        cached = _make_class(registration)
        registration.__dict__["_mcp_class"] = cached
    return cached


def _make_class(registration: ViewSetRegistration) -> type[Any]:
    if not has_overrides(registration):
        return registration.viewset
    base = registration.viewset

    def get_serializer_class(self: Any) -> Any:
        value = _override(self, registration, "serializer_class")
        return base.get_serializer_class(self) if value is _MISSING else value

    def get_permissions(self: Any) -> Any:
        value = _override(self, registration, "permission_classes")
        return base.get_permissions(self) if value is _MISSING else [p() for p in value]

    def get_throttles(self: Any) -> Any:
        value = _override(self, registration, "throttle_classes")
        return base.get_throttles(self) if value is _MISSING else [t() for t in value]

    def get_queryset(self: Any) -> Any:
        queryset = base.get_queryset(self)
        narrow: Callable[[Any, Any], Any] | Any = _override(self, registration, "filter_queryset")
        return queryset if narrow is _MISSING else narrow(queryset, self.request)

    attributes: dict[str, Any] = {
        "__module__": base.__module__,
        "__qualname__": base.__qualname__,
        "__doc__": base.__doc__,
        "get_serializer_class": get_serializer_class,
        "get_permissions": get_permissions,
        "get_throttles": get_throttles,
        "mcp_overrides_of": base,
    }
    if hasattr(base, "get_queryset"):
        attributes["get_queryset"] = get_queryset
    return type(base.__name__, (base,), attributes)
