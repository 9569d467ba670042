"""The registry: every exposed tool, resource and prompt, built from the registrations
(registrations.py) on first use and cached until settings or registrations change."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, Literal, Protocol

from rest_framework.viewsets import ViewSetMixin

from ..conf.settings import mcp_settings
from ..core.jsonrpc import PreEncoded
from ..invocation import routes
from ..schema.sources import RelationReaders, install_relation_readers
from . import registrations
from .apiviews import APIViewTool
from .registrations import ViewRegistration, ViewSetRegistration, _extra_operations, _model_of
from .tools import Tool, ViewSetActionTool

logger = logging.getLogger("drf_mcp_bridge")


def _names(
    registration: ViewSetRegistration | ViewRegistration,
    keys: list[str],
    qualifier: str,
    resource: str,
) -> set[str]:
    return {registration.generated_tool_name(k, qualifier, resource) for k in keys}


class UserResourceLike(Protocol):
    """What the registry needs of an ``@mcp_resource`` (resources.UserResource)."""

    @property
    def uri(self) -> str: ...

    @property
    def function(self) -> Callable[..., Any]: ...


class UserPromptLike(Protocol):
    """What the registry needs of an ``@mcp_prompt`` (prompts.Prompt)."""

    @property
    def name(self) -> str: ...

    @property
    def function(self) -> Callable[..., Any] | None: ...


#: What :meth:`Registry.unregister` may be limited to.
Kind = Literal["tool", "resource", "prompt"]


class Registry:
    """Everything exposed: tools (ViewSets, views, functions), ``@mcp_resource``
    resources and ``@mcp_prompt`` prompts, with one API (``register_*``, ``tools()``,
    ``resources()``, ``prompts()``, ``unregister()``). Registration is cheap; tools are
    built on first use and cached until settings change (their schemas depend on settings
    and the URLconf).
    """

    def __init__(self) -> None:
        self._viewsets: list[ViewSetRegistration] = []
        #: Options a router or expose_router gave a ViewSet that keeps its own (W050).
        self.option_conflicts: list[str] = []
        self._views: list[ViewRegistration] = []  # expose_urls' APIViews, generic views
        self._function_tools: list[Tool] = []
        self._resources: list[UserResourceLike] = []  # @mcp_resource, in registration order
        self._prompts: dict[str, UserPromptLike] = {}  # @mcp_prompt, by name
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

    def register_resource(self, resource: UserResourceLike) -> None:
        """Register an ``@mcp_resource`` (one with the same URI is replaced)."""
        self._resources = [r for r in self._resources if r.uri != resource.uri]
        self._resources.append(resource)

    def register_prompt(self, prompt: UserPromptLike) -> None:
        """Register an ``@mcp_prompt`` (one with the same name is replaced)."""
        self._prompts.pop(prompt.name, None)
        self._prompts[prompt.name] = prompt

    def resources(self) -> list[UserResourceLike]:
        """The ``@mcp_resource`` resources and templates, in registration order (the
        ViewSets' own ``drf://`` resources come from their tools, see resources.py)."""
        return list(self._resources)

    def prompts(self) -> list[UserPromptLike]:
        """The ``@mcp_prompt`` prompts, in registration order (the generated guides come
        from the tools, see prompts.py)."""
        return list(self._prompts.values())

    def unregister(self, target: Any, *, kind: Kind | None = None) -> bool:
        """Remove what ``target`` names, of every kind or only of ``kind``: a ViewSet or
        view class, a name (a tool's, a prompt's) or a resource URI, or a decorated
        function (an ``@mcp_tool``, ``@mcp_resource`` or ``@mcp_prompt``). True when
        something was removed."""
        removed = False
        if kind in (None, "tool"):
            before = len(self._viewsets) + len(self._views) + len(self._function_tools)
            self._viewsets = [r for r in self._viewsets if r.viewset is not target]
            self._views = [r for r in self._views if r.view_class is not target]
            self._function_tools = [
                t
                for t in self._function_tools
                if t.name != target
                and getattr(t, "func", None) is not target
                and getattr(t, "view_class", None) is not target
            ]
            after = len(self._viewsets) + len(self._views) + len(self._function_tools)
            removed = after < before
            self.invalidate()
        if kind in (None, "resource"):
            kept = [r for r in self._resources if target not in (r.uri, r.function)]
            removed = removed or len(kept) < len(self._resources)
            self._resources = kept
        if kind in (None, "prompt"):
            names = [n for n, p in self._prompts.items() if target in (n, p.function)]
            for name in names:
                del self._prompts[name]
            removed = removed or bool(names)
        return removed

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
        self.resolve_names()
        tools: list[Tool] = []
        for registration in self._viewsets:
            viewset = registration.viewset
            if not (isinstance(viewset, type) and issubclass(viewset, ViewSetMixin)):
                continue  # reported by system check E003
            for operation in registration.exposed_operations():
                tools.append(ViewSetActionTool(registration, operation))
        for view in self._views:
            for key, method in view.exposed_operations():
                options: dict[str, Any] = {"url_name": view.url_name, "group": view.resource_name()}
                if key in view.titles:
                    options["title"] = view.titles[key]
                if key in view.descriptions:
                    options["description"] = view.descriptions[key]
                tool = APIViewTool(view.view_class, method, view.tool_name(key), options, view)
                tools.append(tool)
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
        registrations.bump_generation()  # tools registered once rebuild their prepared definitions
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
registrations.on_definition_change(registry.forget_listing)
mcp_settings.on_reload(registry.invalidate)


class _RegistryReaders(RelationReaders):
    """The registry's retrieve tools, for relation descriptions in schemas."""

    def reader_of(self, model: Any, key: str | None) -> str | None:
        return registry.reader_of(model, key)

    def reader_of_view_name(self, view_name: str) -> str | None:
        return registry.reader_of_view_name(view_name)


install_relation_readers(_RegistryReaders())
