"""What a registration says: the ViewSets, views and actions exposed, their operations and
their names. Data only: the registry (registry.py) builds tools from these."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..invocation import routes
from ..invocation.routes import generic_action
from ..schema.sources import schema_source

logger = logging.getLogger("drf_mcp_bridge")

#: The CRUD actions, in the order their tools are listed.
STANDARD_ACTIONS: tuple[str, ...] = (
    "list",
    "retrieve",
    "create",
    "update",
    "partial_update",
    "destroy",
)
#: The HTTP method and detail flag DRF's routers give each standard action.
STANDARD_ACTION_ROUTES: dict[str, tuple[str, bool]] = {
    "list": ("get", False),
    "create": ("post", False),
    "retrieve": ("get", True),
    "update": ("put", True),
    "partial_update": ("patch", True),
    "destroy": ("delete", True),
}

#: The MCP specification's rule for tool names (2025-11-25, "Tool names").
SPEC_TOOL_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,128}$")
#: The stricter rule several LLM APIs apply; generated names always satisfy it.
PORTABLE_TOOL_NAME = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


def clean_name(text: str) -> str:
    """A name part reduced to ``[A-Za-z0-9_]``: "order-items" → "order_items"."""
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
    return re.sub(r"_+", "_", cleaned)


#: Methods DRF adds to every route that are not operations of their own.
_IGNORED_METHODS = {"options", "head", "trace"}


@dataclass(frozen=True)
class Operation:
    """One tool's worth of a ViewSet: an action reached with one HTTP method."""

    key: str  # the name in actions/exclude/tool_names and the tool name's tail
    action: str  # the ViewSet method DRF runs (view.action)
    method: str  # lower-case HTTP method
    detail: bool
    function: Any = None  # the @action function; None for the CRUD actions
    handler: Any = None  # the ViewSet method that runs (the CRUD method or the @action)

    @property
    def extra(self) -> bool:
        return self.function is not None

    @property
    def options(self) -> dict[str, Any]:
        """What ``@mcp_action`` set on the method (an ``@action`` or a CRUD method)."""
        target = self.function if self.function is not None else self.handler
        return dict(getattr(target, "mcp_options", None) or {})


#: extra_operations() by ViewSet class (DRF finds @action methods with inspect.getmembers,
#: which is slow); emptied by Registry.invalidate().
_extra_operations: dict[type[Any], list[Operation]] = {}


def extra_operations(viewset: type[Any]) -> list[Operation]:
    """The ``@action`` operations of a ViewSet: one per (function, HTTP method). A function
    reached with one method keeps its name as key; one reached with several gets one key
    per method ("archive_get", "archive_post").
    """
    found = _extra_operations.get(viewset)
    if found is None:
        found = _find_extra_operations(viewset)
        _extra_operations[viewset] = found
    return list(found)


def _find_extra_operations(viewset: type[Any]) -> list[Operation]:
    get_extra_actions = getattr(viewset, "get_extra_actions", None)
    if get_extra_actions is None:
        return []
    operations: list[Operation] = []
    for function in get_extra_actions():
        mapping = getattr(function, "mapping", None) or {}
        methods_of: dict[str, list[str]] = {}
        for method, name in mapping.items():
            if method.lower() not in _IGNORED_METHODS:
                methods_of.setdefault(name, []).append(method.lower())
        for name, methods in methods_of.items():
            target = getattr(viewset, name, function)
            for method in methods:
                key = name if len(methods) == 1 else f"{name}_{method}"
                operation = Operation(key, name, method, bool(function.detail), target)
                if not operation.options.get("exclude"):
                    operations.append(operation)
    return operations


@dataclass
class ViewSetRegistration:
    """How one ViewSet is exposed. Built from an ``MCPToolConfig`` (options.py) by
    ``@mcp_viewset``, ``MCPRouter.register`` or ``expose_router``."""

    viewset: type[Any]
    name: str | None = None  # resource name, e.g. "customers"
    actions: Sequence[str] | None = None  # None: every action the ViewSet implements
    exclude: Sequence[str] = ()
    prefix: str = ""  # prepended to every tool name of this ViewSet
    tool_names: dict[str, str] = field(default_factory=dict)  # action → full tool name
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    router_prefix: str | None = None  # set by MCPRouter.register
    basename: str | None = None
    version: str | None = None  # the API version tool calls use (None: the default)
    metadata: bool = False  # also a "<resource>_metadata" tool: DRF's OPTIONS answer
    # MCP-only behaviour (see overrides.py): serializer_class, permission_classes,
    # throttle_classes, filter_queryset — for the whole ViewSet, and per action.
    overrides: dict[str, Any] = field(default_factory=dict)
    action_overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    # How the tools are described and their results rendered: a class or dotted path
    # (MCPToolConfig.describer / result_renderer); None: the defaults.
    describer: type[Any] | str | None = None
    result_renderer: type[Any] | str | None = None
    # Action → "optional" / "required": calls that may run as tasks (MCPToolConfig.tasks).
    tasks: dict[str, str] = field(default_factory=dict)
    # The text of list results ("json", "toon", "csv"; None: RESULT_TEXT_FORMAT), and the
    # fields tool calls of an action ask for when the model names none (action → names).
    result_text_format: str | None = None
    default_fields: dict[str, list[str]] = field(default_factory=dict)
    #: Not an option: set by :meth:`Registry.resolve_names` when an earlier registration
    #: already has this one's generated tool names ("dcim" → ``dcim_interfaces_list``).
    name_qualifier: str = field(default="", init=False, repr=False, compare=False)

    def operations(self) -> list[Operation]:
        """Every operation the ViewSet implements: the CRUD actions in listing order, then
        its ``@action`` operations in DRF's order.
        """
        found = [
            Operation(
                action,
                action,
                *STANDARD_ACTION_ROUTES[action],
                handler=getattr(self.viewset, action),
            )
            for action in STANDARD_ACTIONS
            if callable(getattr(self.viewset, action, None))
        ]
        found += extra_operations(self.viewset)
        if self.metadata:
            found.append(Operation("metadata", "metadata", "options", False))
        return found

    def implemented_actions(self) -> list[str]:
        """Keys of the operations the ViewSet implements, in listing order."""
        return [operation.key for operation in self.operations()]

    def exposed_operations(self) -> list[Operation]:
        operations = self.operations()
        keys = [o.key for o in operations]
        chosen = list(self.actions) if self.actions is not None else keys
        source = schema_source()  # @extend_schema(exclude=True), with drf-spectacular
        return [
            o
            for o in operations
            if o.key in chosen
            and o.key not in self.exclude
            and not source.excluded(self.viewset, o)
        ]

    def exposed_actions(self) -> list[str]:
        return [operation.key for operation in self.exposed_operations()]

    def resource_name(self) -> str:
        """The resource part of tool names: explicit name → router prefix → URLconf route →
        an explicitly set ``verbose_name_plural`` → the basename.
        """
        if self.name:
            return self.name
        if self.router_prefix:
            segment = routes.resource_name_from_route(self.router_prefix)
            if segment:
                return clean_name(segment)
        for route in routes.routes_for(self.viewset):
            if route.standard:
                segment = routes.resource_name_from_route(route.route)
                if segment:
                    return clean_name(segment)
        model = _model_of(self.viewset)
        if model is not None and "verbose_name_plural" in model._meta.original_attrs:
            return clean_name(str(model._meta.verbose_name_plural))
        if self.basename:
            return clean_name(self.basename)
        if model is not None:
            return clean_name(model._meta.model_name or model.__name__.lower())
        base = re.sub(r"(ViewSet|Viewset|View)$", "", self.viewset.__name__)
        return clean_name(re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()) or "resource"

    def tool_name(self, action: str) -> str:
        explicit = self.explicit_tool_name(action)
        if explicit is not None:
            return explicit
        return self.generated_tool_name(action, self.name_qualifier)

    def explicit_tool_name(self, action: str) -> str | None:
        """The full name the user gave the tool (``tool_names=``, ``@mcp_action(name=)``)."""
        if action in self.tool_names:
            return self.tool_names[action]
        for operation in self.operations():
            if operation.key == action and operation.options.get("name"):
                return str(operation.options["name"])
        return None

    def generated_tool_name(
        self, action: str, qualifier: str = "", resource: str | None = None
    ) -> str:
        """``<prefix><qualifier>_<resource>_<action>`` (no qualifier: no underscore)."""
        qualified = f"{qualifier}_" if qualifier else ""
        return f"{self.prefix}{qualified}{resource or self.resource_name()}_{action}"

    def name_qualifiers(self) -> list[str]:
        """What may tell this registration's tools from another's of the same resource, in
        the order :meth:`Registry.resolve_names` tries them: the URL segment its router
        is mounted under ("api/dcim/interfaces/" → "dcim"), the app label of its model,
        the app label of the module defining the ViewSet."""
        mount = None
        for route in routes.routes_for(self.viewset):
            if route.standard:
                mount = routes.mount_segment(route.route)
                break
        return _qualifiers(self.viewset, mount, self.resource_name())


def _qualifiers(view_class: type[Any], mount: str | None, resource: str) -> list[str]:
    """The name qualifiers of a ViewSet or view, in the order of the rule: the URL
    segment it is mounted under (what a client sees and REST users already tell the two
    apart by: "api/admin/products/" → "admin"), its model's app label, its module's app
    label."""
    from django.apps import apps

    found: list[str] = [mount] if mount else []
    model = _model_of(view_class)
    if model is not None:
        found.append(model._meta.app_label)
    app = apps.get_containing_app_config(view_class.__module__) if apps.ready else None
    if app is not None:
        found.append(app.label)
    unique: list[str] = []
    for text in found:
        cleaned = clean_name(text).lower()
        if cleaned and cleaned != resource and cleaned not in unique:
            unique.append(cleaned)
    return unique


@dataclass
class ViewRegistration:
    """How one ``APIView`` or generic view (not a ViewSet) is exposed by ``expose_urls``:
    one tool per HTTP method it handles, named ``<prefix><resource>_<key>`` where the key
    is the generic view's CRUD action ("list", "create", "retrieve", "update",
    "partial_update", "destroy") or, for anything else, the method ("get", "post")."""

    view_class: type[Any]
    route: str  # the full pattern text
    url_name: str | None  # qualified with namespaces
    name: str | None = None  # resource name; default: the route's last literal segment
    actions: Sequence[str] | None = None  # keys; None: every method the view handles
    exclude: Sequence[str] = ()
    prefix: str = ""
    tool_names: dict[str, str] = field(default_factory=dict)  # key → full tool name
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    #: Not an option: see ViewSetRegistration.name_qualifier.
    name_qualifier: str = field(default="", init=False, repr=False, compare=False)

    def operations(self) -> list[tuple[str, str]]:
        """(key, HTTP method) for every method the view handles, in DRF's method order."""
        detail = bool(re.search(r"<[^>]+>|\(\?P<", self.route))
        found = []
        for method in self.view_class.http_method_names:
            if method in _IGNORED_METHODS or not callable(getattr(self.view_class, method, None)):
                continue
            found.append((generic_action(self.view_class, method, detail) or method, method))
        return found

    def exposed_operations(self) -> list[tuple[str, str]]:
        chosen = self.actions
        return [
            (key, method)
            for key, method in self.operations()
            if (chosen is None or key in chosen) and key not in self.exclude
        ]

    def exposed_actions(self) -> list[str]:
        return [key for key, _method in self.exposed_operations()]

    def resource_name(self) -> str:
        if self.name:
            return self.name
        literals = routes.literal_segments(self.route)
        if literals:
            return clean_name(literals[-1])
        base = re.sub(r"(APIView|View)$", "", self.view_class.__name__)
        return clean_name(re.sub(r"(?<!^)(?=[A-Z])", "_", base).lower()) or "resource"

    def tool_name(self, key: str) -> str:
        explicit = self.explicit_tool_name(key)
        if explicit is not None:
            return explicit
        return self.generated_tool_name(key, self.name_qualifier)

    def explicit_tool_name(self, key: str) -> str | None:
        return self.tool_names.get(key)

    def generated_tool_name(
        self, key: str, qualifier: str = "", resource: str | None = None
    ) -> str:
        qualified = f"{qualifier}_" if qualifier else ""
        return f"{self.prefix}{qualified}{resource or self.resource_name()}_{key}"

    def name_qualifiers(self) -> list[str]:
        literals = routes.literal_segments(self.route)
        mount = literals[-2] if len(literals) >= 2 else None
        return _qualifiers(self.view_class, mount, self.resource_name())


def _model_of(viewset: type[Any]) -> Any:
    queryset = getattr(viewset, "queryset", None)
    model = getattr(queryset, "model", None)
    if model is None:
        serializer_class = getattr(viewset, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    return model


#: Bumped by every Registry.invalidate(): the tools' prepared definitions (see
#: Tool.listed_definition) belong to one tool set. Function and @mcp_view tools are
#: registered once and outlive tool sets; theirs are rebuilt with the next one.
_generation = 0


def definitions_generation() -> int:
    return _generation


def bump_generation() -> None:
    """A new tool set: tools registered once rebuild their prepared definitions."""
    global _generation
    _generation += 1


#: Called when a built tool's definition changed in place (its outputSchema withdrawn):
#: the registry drops its encoded listings. Kept here, below the tools, so that a tool can
#: say so without importing the registry.
_definition_listeners: list[Callable[[], None]] = []


def on_definition_change(listener: Callable[[], None]) -> None:
    _definition_listeners.append(listener)


def definition_changed() -> None:
    for listener in _definition_listeners:
        listener()
