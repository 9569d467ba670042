"""Which ViewSets, actions and function tools are exposed, and under which names."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..conf.settings import mcp_settings
from ..core.jsonrpc import PreEncoded
from ..invocation import routes
from ..invocation.routes import generic_action
from ..schema.sources import RelationReaders, install_relation_readers, schema_source

if TYPE_CHECKING:
    from .tools import Tool

logger = logging.getLogger("rest_framework_mcp")

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
    """How one ViewSet is exposed. Built by ``@mcp_viewset`` or ``MCPRouter.register``."""

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


def _names(
    registration: ViewSetRegistration | ViewRegistration,
    keys: list[str],
    qualifier: str,
    resource: str,
) -> set[str]:
    return {registration.generated_tool_name(k, qualifier, resource) for k in keys}


class Registry:
    """All exposed tools. Registration is cheap; tools are built on first use and cached
    until settings change (their schemas depend on settings and the URLconf).
    """

    def __init__(self) -> None:
        self._viewsets: list[ViewSetRegistration] = []
        #: Options a router or expose_router gave a ViewSet that keeps its own (W050).
        self.option_conflicts: list[str] = []
        self._views: list[ViewRegistration] = []  # expose_urls' APIViews, generic views
        self._function_tools: list[Tool] = []
        self._lock = threading.Lock()
        self._names_lock = threading.Lock()
        self._names_resolved = False
        self._all_tools: list[Tool] | None = None
        self._tools: dict[str, Tool] | None = None
        self._listing: list[dict[str, Any]] | None = None
        self._encoded: PreEncoded | None = None
        self._encoded_each_cache: dict[str, PreEncoded] | None = None
        self._derived: dict[str, Any] = {}

    # registration -----------------------------------------------------------------
    def register_viewset(self, registration: ViewSetRegistration) -> None:
        self._viewsets = [r for r in self._viewsets if r.viewset is not registration.viewset]
        self._viewsets.append(registration)
        self.invalidate()

    def register_view(self, registration: ViewRegistration) -> None:
        """Register a view's tools for one of its routes (a class routed at two URLs has a
        registration for each; the same class and route again replaces the first)."""
        self._views = [
            r
            for r in self._views
            if not (r.view_class is registration.view_class and r.route == registration.route)
        ]
        self._views.append(registration)
        self.invalidate()

    def view_exposed(self, view_class: type[Any], route: str | None = None) -> bool:
        """Whether an APIView already has tools: from ``@mcp_view`` (any route), or from
        ``expose_urls`` for ``route`` (for any route when None)."""
        if any(getattr(t, "view_class", None) is view_class for t in self._function_tools):
            return True
        return any(
            r.view_class is view_class and (route is None or r.route == route) for r in self._views
        )

    def register_tool(self, tool: Tool) -> None:
        self._function_tools = [t for t in self._function_tools if t.name != tool.name]
        self._function_tools.append(tool)
        self.invalidate()

    def unregister(self, target: Any) -> None:
        """Remove a ViewSet or view class or a tool name (for tests)."""
        self._viewsets = [r for r in self._viewsets if r.viewset is not target]
        self._views = [r for r in self._views if r.view_class is not target]
        self._function_tools = [t for t in self._function_tools if t.name != target]
        self.invalidate()

    @property
    def viewset_registrations(self) -> list[ViewSetRegistration]:
        routes.discover_routes()
        self.resolve_names()
        return list(self._viewsets)

    def resolve_names(self) -> None:
        """Make the tool names the package generates unique, by one rule (docs/tools.md,
        "Name collisions"): registrations are taken in registration order; one whose
        generated names an earlier registration's generated names already use gets a
        qualifier before its resource part — the first of
        :meth:`ViewSetRegistration.name_qualifiers` that frees all its names ("interfaces"
        registered by two routers → ``interfaces_list`` and ``virtualization_interfaces_list``).
        Names the user chose (``name=``, ``tool_names=``, ``@mcp_action(name=)``,
        ``@mcp_view``, ``@mcp_tool``) never change: a collision involving one stays system
        check E001."""
        from rest_framework.viewsets import ViewSetMixin

        routes.discover_routes()  # imports the views modules first: they register
        with self._names_lock:
            if self._names_resolved:
                return
            registrations: list[ViewSetRegistration | ViewRegistration] = [
                r
                for r in self._viewsets
                if isinstance(r.viewset, type) and issubclass(r.viewset, ViewSetMixin)
            ]
            registrations += self._views  # after the ViewSets, in registration order
            chosen: set[str] = {tool.name for tool in self._function_tools}
            generated: dict[int, tuple[str, list[str]]] = {}  # (resource, generated keys)
            for registration in registrations:
                resource = registration.resource_name()
                keys = []
                for key in registration.exposed_actions():
                    explicit = registration.explicit_tool_name(key)
                    if explicit is not None:
                        chosen.add(explicit)
                    elif registration.name:  # a resource name the user chose
                        chosen.add(registration.generated_tool_name(key, "", resource))
                    else:
                        keys.append(key)
                generated[id(registration)] = (resource, keys)
            taken: set[str] = set()
            qualifiers: list[tuple[ViewSetRegistration | ViewRegistration, str]] = []
            for registration in registrations:
                resource, keys = generated[id(registration)]
                if not keys:
                    continue
                qualifier = ""
                if _names(registration, keys, "", resource) & taken:
                    for candidate in registration.name_qualifiers():
                        if not _names(registration, keys, candidate, resource) & (taken | chosen):
                            qualifier = candidate
                            break
                qualifiers.append((registration, qualifier))
                taken |= _names(registration, keys, qualifier, resource)
            found = {id(registration): qualifier for registration, qualifier in qualifiers}
            everyone: list[ViewSetRegistration | ViewRegistration] = [*self._viewsets]
            for each in [*everyone, *self._views]:  # each set once: old or new
                each.name_qualifier = found.get(id(each), "")
            self._names_resolved = True

    def registration_for(self, viewset: type[Any]) -> ViewSetRegistration | None:
        for registration in self._viewsets:
            if registration.viewset is viewset:
                return registration
        return None

    # tools ------------------------------------------------------------------------
    def all_tools(self) -> list[Tool]:
        """Every tool in listing order, including ones whose names collide (for checks).
        The same objects as :meth:`tools` (built once per tool set), so that what the
        system checks build is what tools/list serves."""
        # Importing the URLconf imports the views modules, whose decorators register.
        routes.discover_routes()
        found = self._all_tools
        if found is None:
            with self._lock:
                found = self._all_tools
                if found is None:
                    found = self._build_tools()
                    self._all_tools = found
        return list(found)

    def _build_tools(self) -> list[Tool]:
        from rest_framework.viewsets import ViewSetMixin

        from .tools import ViewSetActionTool

        self.resolve_names()
        tools: list[Tool] = []
        for registration in self._viewsets:
            viewset = registration.viewset
            if not (isinstance(viewset, type) and issubclass(viewset, ViewSetMixin)):
                continue  # reported by system check E003
            for operation in registration.exposed_operations():
                tools.append(ViewSetActionTool(registration, operation))
        from .apiviews import APIViewTool

        for view in self._views:
            for key, method in view.exposed_operations():
                options: dict[str, Any] = {"url_name": view.url_name}
                if key in view.titles:
                    options["title"] = view.titles[key]
                if key in view.descriptions:
                    options["description"] = view.descriptions[key]
                tools.append(APIViewTool(view.view_class, method, view.tool_name(key), options))
        tools.extend(self._function_tools)
        return tools

    def tools(self) -> dict[str, Tool]:
        """Tools by name. Generated names are unique (:meth:`resolve_names`); when names
        the user chose collide the first wins (system check E001 reports it).
        A tool whose definition fails is here too (its calls answer a tool error); the
        listings leave it out (``Tool.unavailable``)."""
        if self._tools is None:
            all_tools = self.all_tools()
            with self._lock:
                if self._tools is None:
                    by_name: dict[str, Tool] = {}
                    for tool in all_tools:
                        by_name.setdefault(tool.name, tool)
                    self._tools = by_name
        return self._tools

    def reader_of(self, model: Any, key: str | None) -> str | None:
        """The name of the retrieve tool that reads ``model`` objects by ``key`` (a field
        name, "pk", or None for any lookup, as a hyperlink carries it), if one is exposed.
        """
        self.resolve_names()
        for registration in self._viewsets:
            if _model_of(registration.viewset) is not model:
                continue
            if "retrieve" not in registration.exposed_actions():
                continue
            lookup = getattr(registration.viewset, "lookup_field", "pk")
            pk_name = model._meta.pk.name
            same = key is None or lookup == key or {lookup, key} <= {"pk", pk_name}
            if same:
                return registration.tool_name("retrieve")
        return None

    def reader_of_view_name(self, view_name: str) -> str | None:
        """The retrieve tool of the ViewSet the URLconf serves under ``view_name`` (the
        route a hyperlink points at), if it is exposed.
        """
        self.resolve_names()
        for route in routes.discover_routes():
            if route.url_name != view_name:
                continue
            registration = self.registration_for(route.viewset)
            if registration is not None and "retrieve" in registration.exposed_actions():
                return registration.tool_name("retrieve")
        return None

    def get_tool(self, name: str) -> Tool | None:
        return self.tools().get(name)

    def listed_tools(self) -> list[Tool]:
        """The tools ``tools/list`` serves: all but those whose definition fails at some
        stage (building, JSON encoding, compiling the output check). Each of those is
        logged once, as a warning naming its view, action, serializer and field, and
        reported by system check W020; the others are served."""
        return [tool for tool in self.tools().values() if tool.unavailable() is None]

    def tool_definitions(self) -> list[dict[str, Any]]:
        """The cached ``tools/list`` entries (schemas are built once per tool)."""
        if self._listing is None:
            self._listing = [tool.listed_definition() for tool in self.listed_tools()]
        return self._listing

    def encoded_tool_definitions_for(self, drf_request: Any) -> PreEncoded | list[PreEncoded]:
        """The ``tools`` array with only the tools this request's user may use (their
        ``has_permission``); the shared encoding when that is all of them."""
        visible = self.encoded_tool_list(drf_request)
        if len(visible) == len(self._encoded_each()):
            return self.encoded_tool_definitions()
        return visible

    def encoded_tool_list(self, drf_request: Any = None) -> list[PreEncoded]:
        """Each listed tool's encoded definition (only those ``drf_request``'s user may use,
        when given), for paging ``tools/list``."""
        encoded = self._encoded_each()
        if drf_request is None:
            return list(encoded.values())
        tools = self.tools()
        return [e for n, e in encoded.items() if tools[n].visible_to(drf_request)]

    def _encoded_each(self) -> dict[str, PreEncoded]:
        """Each listed tool's definition, encoded once (per tool: one that cannot be
        encoded is left out, the others are served)."""
        if self._encoded_each_cache is None:
            self._encoded_each_cache = {
                tool.name: tool.encoded_definition() for tool in self.listed_tools()
            }
        return self._encoded_each_cache

    def encoded_tool_definitions(self) -> PreEncoded:
        """The ``tools`` array of ``tools/list``, encoded as JSON once."""
        if self._encoded is None:
            self._encoded = PreEncoded.array(list(self._encoded_each().values()))
        return self._encoded

    def derived(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, computed once per tool set: anything made from the tools (generated
        prompts, discovery's meta tools, the models behind resources) and rebuilt when
        the tools are."""
        if key not in self._derived:
            self._derived[key] = build()
        return self._derived[key]

    def forget_listing(self) -> None:
        """Drop the encoded ``tools/list`` (the tools themselves are kept), after a tool's
        definition changed (its outputSchema withdrawn, see results.py)."""
        self._listing = None
        self._encoded = None
        self._encoded_each_cache = None

    def invalidate(self) -> None:
        global _generation
        _generation += 1  # tools registered once rebuild their prepared definitions
        self._derived = {}
        self._encoded = None
        self._encoded_each_cache = None
        self._all_tools = None
        self._tools = None
        self._listing = None
        self._names_resolved = False
        _extra_operations.clear()
        routes.clear_cache()


registry = Registry()
mcp_settings.on_reload(registry.invalidate)


class _RegistryReaders(RelationReaders):
    """The registry's retrieve tools, for relation descriptions in schemas."""

    def reader_of(self, model: Any, key: str | None) -> str | None:
        return registry.reader_of(model, key)

    def reader_of_view_name(self, view_name: str) -> str | None:
        return registry.reader_of_view_name(view_name)


install_relation_readers(_RegistryReaders())
