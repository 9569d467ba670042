"""System checks for the MCP configuration (``manage.py check``)."""

from __future__ import annotations

import importlib.metadata
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from rest_framework.viewsets import ViewSetMixin

from ..conf.settings import DEFAULTS, mcp_settings
from ..core import params
from ..core.authentication import authenticators
from ..invocation import routes
from ..invocation.compact import TEXT_FORMATS, have_toon
from ..invocation.renderers import resolve_renderer, text_format_for
from ..schema.extensions import UNMAPPED
from .apiviews import APIViewTool
from .describe import describer_class
from .registrations import PORTABLE_TOOL_NAME, SPEC_TOOL_NAME, STANDARD_ACTIONS
from .registry import registry
from .tools import ViewSetActionTool

ID = "drf_mcp_bridge"


@checks.register(checks.Tags.urls)
def check_registrations(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = [
        checks.Warning(
            conflict,
            hint="Give the options in one place: on @mcp_viewset, or on the router and "
            "not the decorator.",
            id=f"{ID}.W050",
        )
        for conflict in dict.fromkeys(registry.option_conflicts)
    ]
    for registration in registry.viewset_registrations:
        viewset = registration.viewset
        if not (isinstance(viewset, type) and issubclass(viewset, ViewSetMixin)):
            messages.append(
                checks.Error(
                    f"@mcp_viewset was applied to {viewset!r}, which is not a ViewSet.",
                    hint="Decorate a rest_framework.viewsets ViewSet (e.g. ModelViewSet); "
                    "plain APIViews are registered another way.",
                    obj=viewset,
                    id=f"{ID}.E003",
                )
            )
            continue
        implemented = registration.implemented_actions()
        for action in [*(registration.actions or ()), *registration.exclude]:
            if action not in STANDARD_ACTIONS and action not in implemented:
                messages.append(
                    checks.Error(
                        f"{viewset.__name__}: unknown action {action!r} in actions/exclude.",
                        hint=f"Use some of: {', '.join(implemented) or 'no actions'}.",
                        obj=viewset,
                        id=f"{ID}.E004",
                    )
                )
        for action in registration.actions or ():
            if action in STANDARD_ACTIONS and action not in implemented:
                messages.append(
                    checks.Error(
                        f"{viewset.__name__} does not implement {action!r}, which "
                        "@mcp_viewset(actions=...) asks to expose.",
                        hint=f"It implements: {', '.join(implemented) or 'no actions'}.",
                        obj=viewset,
                        id=f"{ID}.E005",
                    )
                )
    by_name: dict[str, list[str]] = defaultdict(list)
    for registration in registry.viewset_registrations:
        if not (
            isinstance(registration.viewset, type)
            and issubclass(registration.viewset, ViewSetMixin)
        ):
            continue
        for action in registration.exposed_actions():
            name = registration.tool_name(action)
            by_name[name].append(f"{registration.viewset.__name__}.{action}")
            messages.extend(_name_messages(name, registration.viewset))

    all_tools = registry.all_tools()
    for tool in all_tools:
        if isinstance(tool, ViewSetActionTool) and tool.needs_declared_schema():
            messages.append(
                checks.Warning(
                    f"{tool.viewset.__name__}.{tool.action} takes a body but the ViewSet has "
                    f"no serializer, so tool {tool.name!r} cannot describe its arguments.",
                    hint="Set serializer_class (or @action(serializer_class=...)), or put "
                    "@mcp_action(input_schema={...}) or @mcp_action(schema_serializer=...) on "
                    "the method.",
                    obj=tool.viewset,
                    id=f"{ID}.W033",
                )
            )
    for tool in all_tools:
        if tool.__class__.__name__ == "FunctionTool":
            by_name[tool.name].append(f"function {tool.name}")
            messages.extend(_name_messages(tool.name, tool))
        elif isinstance(tool, APIViewTool):
            view = tool.view_class.__name__
            by_name[tool.name].append(f"{view}.{tool.method}")
            messages.extend(_name_messages(tool.name, tool.view_class))
            messages.extend(_api_view_messages(tool))
    for name, owners in by_name.items():
        if len(owners) > 1:
            messages.append(
                checks.Error(
                    f"Tool name {name!r} is used by {len(owners)} tools: {', '.join(owners)}.",
                    hint="Give one of them another name (mcp_viewset(name=...), "
                    "tool_prefix=... or tool_names={...}).",
                    id=f"{ID}.E001",
                )
            )
    return messages


def _api_view_messages(tool: Any) -> list[checks.CheckMessage]:
    view = tool.view_class.__name__
    messages: list[checks.CheckMessage] = []
    route = tool.route()
    # Problems of one tool are warnings: the rest of the API (and every management
    # command) must not stop for them.
    if route is None or route.url_name is None:
        messages.append(
            checks.Warning(
                f"{view} is exposed as tool {tool.name!r} but is not in the URLconf under "
                "a named route, so calls cannot reach it.",
                hint=f'Route it: path("...", {view}.as_view(), name="...").',
                obj=tool.view_class,
                id=f"{ID}.W031",
            )
        )
    if not hasattr(tool.view_class, tool.method):
        messages.append(
            checks.Warning(
                f"{view} has no {tool.method}() handler, which @mcp_view maps to "
                f"tool {tool.name!r}.",
                obj=tool.view_class,
                id=f"{ID}.W032",
            )
        )
    elif tool.needs_declared_schema():
        messages.append(
            checks.Warning(
                f"{view}.{tool.method} takes a body but the view has no serializer, so "
                f"tool {tool.name!r} cannot describe its arguments (it passes whatever "
                "it is given on as the body; the view's own validation answers).",
                hint=f'Pass @mcp_view(..., input_schemas={{"{tool.method}": {{...}}}}) or '
                "schema_serializer=..., or use a GenericAPIView with serializer_class.",
                obj=tool.view_class,
                id=f"{ID}.W030",
            )
        )
    return messages


def _name_messages(name: str, obj: Any) -> list[checks.CheckMessage]:
    if not SPEC_TOOL_NAME.match(name):
        return [
            checks.Error(
                f"Tool name {name!r} breaks the MCP rule: 1 to 128 characters of "
                "A-Z, a-z, 0-9, '_', '-' and '.'.",
                hint="Choose a name made of letters, digits and underscores.",
                obj=obj,
                id=f"{ID}.E002",
            )
        ]
    if not PORTABLE_TOOL_NAME.match(name):
        return [
            checks.Warning(
                f"Tool name {name!r} is longer than 64 characters or contains a dot; "
                "some LLM APIs refuse such tool names.",
                hint="Keep tool names to 64 characters of letters, digits, '_' and '-'.",
                obj=obj,
                id=f"{ID}.W001",
            )
        ]
    return []


@checks.register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    origins = mcp_settings.ALLOWED_ORIGINS
    if not isinstance(origins, (list, tuple)) or not all(isinstance(o, str) for o in origins):
        messages.append(
            checks.Error(
                "REST_FRAMEWORK_MCP['ALLOWED_ORIGINS'] must be a list of origins, "
                f"got {origins!r}.",
                hint='For example ["https://app.example.com"].',
                id=f"{ID}.E010",
            )
        )
    size = mcp_settings.MAX_REQUEST_BODY_SIZE
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        messages.append(
            checks.Error(
                "REST_FRAMEWORK_MCP['MAX_REQUEST_BODY_SIZE'] must be a positive integer "
                f"(bytes), got {size!r}.",
                id=f"{ID}.E011",
            )
        )
    from django.conf import settings

    if isinstance(origins, (list, tuple)) and "*" in origins and not settings.DEBUG:
        messages.append(
            checks.Warning(
                "REST_FRAMEWORK_MCP['ALLOWED_ORIGINS'] contains \"*\": any web page may "
                "call the MCP endpoint from a visitor's browser (DNS-rebinding and CSRF-like "
                "attacks on local servers).",
                hint="List the origins that need access instead.",
                id=f"{ID}.W010",
            )
        )
    file_size = mcp_settings.MAX_FILE_SIZE
    valid_size = isinstance(size, int) and not isinstance(size, bool) and size > 0
    if valid_size and isinstance(file_size, int) and size < file_size * 4 // 3:
        messages.append(
            checks.Warning(
                f"MAX_REQUEST_BODY_SIZE ({size}) is below 4/3 of MAX_FILE_SIZE ({file_size}): "
                "a file of the allowed size cannot arrive in base64.",
                hint="Raise MAX_REQUEST_BODY_SIZE or lower MAX_FILE_SIZE.",
                id=f"{ID}.W011",
            )
        )
    if mcp_settings.AUTHENTICATION_REQUIRED and not _has_authenticators():
        messages.append(
            checks.Error(
                "AUTHENTICATION_REQUIRED is on but the endpoint has no authentication "
                "classes: every request would be refused.",
                hint="Set REST_FRAMEWORK_MCP['AUTHENTICATION_CLASSES'] or DRF's defaults.",
                id=f"{ID}.E012",
            )
        )
    if not mcp_settings.AUTHENTICATION_REQUIRED and _scope_checking_authenticators():
        messages.append(
            checks.Warning(
                "The endpoint authenticates with a class that checks scopes per message "
                "(e.g. drf_mcp_bridge.contrib.oauth.OAuth2Authentication), but "
                "AUTHENTICATION_REQUIRED is off: anonymous requests are let through "
                "without any scope, and clients are never told to start OAuth.",
                hint="Set REST_FRAMEWORK_MCP['AUTHENTICATION_REQUIRED'] = True.",
                id=f"{ID}.W012",
            )
        )
    messages.extend(_cache_messages(settings.DEBUG))
    if "*" in getattr(settings, "ALLOWED_HOSTS", ()):
        messages.append(
            checks.Warning(
                'ALLOWED_HOSTS contains "*": the MCP endpoint\'s same-origin rule then gives '
                "no DNS-rebinding protection, since a page whose domain is re-pointed at "
                "this server sends a Host that matches its own Origin.",
                hint="List the host names the server answers to in ALLOWED_HOSTS.",
                id=f"{ID}.W014",
            )
        )
    return messages


#: Settings that take one of a few words.
_CHOICES: dict[str, tuple[str, ...]] = {
    "STREAMING": ("auto", "never"),
    "SCHEMA_SOURCE": ("serializers", "spectacular"),
    "RESULT_TEXT_FORMAT": TEXT_FORMATS,
    "DEFAULT_LOG_LEVEL": (
        "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency",
    ),
}  # fmt: skip
#: Number settings where 0 means something (none, off); the others must be at least 1.
_ZERO_ALLOWED = frozenset({"LIST_TTL_MS", "INPUT_TIMEOUT"})
#: Integer settings with a highest value (the specification's maximum).
_MOST = {"MAX_COMPLETION_VALUES": 100}


def _text(value: Any) -> bool:
    return isinstance(value, (str, Promise))


def _paths(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


def _classes(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, (str, type)) for v in value)


#: Settings whose value is not a flag, number or word: (accepts, what to ask for).
_SHAPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "SERVER_NAME": (lambda v: isinstance(v, str) and bool(v.strip()), "a non-empty string"),
    "SERVER_TITLE": (lambda v: v is None or _text(v), "a string or None"),
    "SERVER_VERSION": (lambda v: v is None or isinstance(v, str), "a string or None"),
    "INSTRUCTIONS": (lambda v: v is None or _text(v), "a string or None"),
    "CACHE_ALIAS": (lambda v: isinstance(v, str) and bool(v), "the name of a cache of CACHES"),
    "TOOLS_PAGE_SIZE": (
        lambda v: v is None or (isinstance(v, int) and not isinstance(v, bool) and v > 0),
        "None (no pages) or an integer of at least 1",
    ),
    "AUTHENTICATION_CLASSES": (
        lambda v: v is None or _classes(v),
        "None (DRF's DEFAULT_AUTHENTICATION_CLASSES) or a list of classes or dotted paths",
    ),
    "EXTENSIONS": (_paths, "a list of dotted module paths"),
    "INNER_MIDDLEWARE": (lambda v: v is None or _paths(v), "None or a list of dotted paths"),
    "INNER_MIDDLEWARE_EXCLUDE": (
        lambda v: v is None or _paths(v),
        "None or a list of dotted paths",
    ),
    "FILTER_LOOKUPS": (
        lambda v: v in ("auto", "all", "exact") or _paths(v),
        '"auto", "all", "exact" or a list of lookup_expr values',
    ),
    "OAUTH": (lambda v: isinstance(v, dict), "a dict of the OAUTH options (docs/oauth.md)"),
    "TASKS_BACKEND": (lambda v: isinstance(v, str) and bool(v), "the name of a backend of TASKS"),
    "TASKS_QUEUE": (lambda v: isinstance(v, str) and bool(v), "the name of a task queue"),
}


def _unusable_class(given: dict[str, Any], key: str, resolve: Callable[[Any], Any]) -> str | None:
    """Why the class setting ``key`` cannot be used (its resolver's refusal), or None."""
    if key not in given:
        return None
    try:
        resolve(given[key])
    except ImproperlyConfigured as refused:
        return str(refused)
    return None


@checks.register()
def check_setting_types(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Every key of ``REST_FRAMEWORK_MCP`` is a setting (W015, with the likely one) and has
    the kind of value its default has (E015): a flag True/False, a limit a positive integer,
    a word one of its choices."""
    import difflib

    messages: list[checks.CheckMessage] = []
    given = mcp_settings.user_settings
    for key in given:
        if key not in DEFAULTS:
            close = difflib.get_close_matches(str(key), list(DEFAULTS), n=1)
            messages.append(
                checks.Warning(
                    f"REST_FRAMEWORK_MCP[{key!r}] is not a setting; it is ignored.",
                    hint=f"Did you mean {close[0]!r}?" if close else "See docs/settings.md.",
                    id=f"{ID}.W015",
                )
            )
    for key, value in given.items():
        default = DEFAULTS.get(key)
        problem = None
        if key in _SHAPES:
            accepts, wanted = _SHAPES[key]
            if not accepts(value):
                problem = wanted
        elif key in _CHOICES:
            if value not in _CHOICES[key]:
                problem = f"one of {', '.join(map(repr, _CHOICES[key]))}"
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                problem = "True or False"
        elif isinstance(default, (int, float)) and (key.endswith("_SECONDS") or "TIMEOUT" in key):
            lowest = 0 if key in _ZERO_ALLOWED else 1e-9
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < lowest:
                problem = "a number of seconds" + (" (0 or more)" if lowest == 0 else " over 0")
        elif isinstance(default, int) and key not in {"MAX_REQUEST_BODY_SIZE"}:
            lowest = 0 if key in _ZERO_ALLOWED else 1
            if isinstance(value, bool) or not isinstance(value, int) or value < lowest:
                problem = f"an integer of at least {lowest}"
            elif key in _MOST and value > _MOST[key]:
                problem = f"an integer from {lowest} to {_MOST[key]}"
        if problem is not None:
            messages.append(
                checks.Error(
                    f"REST_FRAMEWORK_MCP[{key!r}] must be {problem}, got {value!r}.",
                    hint=f"The default is {default!r} (docs/settings.md).",
                    id=f"{ID}.E015",
                )
            )
    wrong = _unusable_class(given, "RESULT_RENDERER", resolve_renderer)
    if wrong is not None:
        messages.append(
            checks.Error(
                f"REST_FRAMEWORK_MCP['RESULT_RENDERER']: {wrong}",
                hint="Give the dotted path of a ResultRenderer subclass (docs/calls.md).",
                id=f"{ID}.E016",
            )
        )
    wrong = _unusable_class(given, "TOOL_DESCRIBER", describer_class)
    if wrong is not None:
        messages.append(
            checks.Error(
                f"REST_FRAMEWORK_MCP['TOOL_DESCRIBER']: {wrong}",
                hint="Give the dotted path of a ToolDescriber subclass (docs/tools.md).",
                id=f"{ID}.E017",
            )
        )
    return messages


def _cache_messages(debug: bool) -> list[checks.CheckMessage]:
    """SESSIONS and SUBSCRIPTIONS keep their state in CACHE_ALIAS, which every worker
    process must share: a dummy cache keeps nothing, a local-memory one is per process."""
    features = [n for n in ("SESSIONS", "SUBSCRIPTIONS") if getattr(mcp_settings, n)]
    if not features:
        return []
    from django.core.cache import InvalidCacheBackendError, caches
    from django.core.cache.backends.dummy import DummyCache
    from django.core.cache.backends.locmem import LocMemCache

    alias = mcp_settings.CACHE_ALIAS
    try:
        cache = caches[alias]
    except InvalidCacheBackendError:
        return [
            checks.Error(
                f"REST_FRAMEWORK_MCP['CACHE_ALIAS'] is {alias!r}, which is not in CACHES.",
                hint="Name a cache of settings.CACHES that every worker process shares.",
                id=f"{ID}.E014",
            )
        ]
    turned_on = " and ".join(features)
    if isinstance(cache, DummyCache):
        return [
            checks.Error(
                f"{turned_on} keep their state in the cache {alias!r}, a DummyCache that "
                "stores nothing: a session ended with DELETE goes on working, its log level "
                "and subscriptions are forgotten, and resource updates never arrive.",
                hint="Point CACHE_ALIAS at a cache every worker process shares (Redis, "
                "Memcached, the database cache).",
                id=f"{ID}.E013",
            )
        ]
    if isinstance(cache, LocMemCache) and not debug:
        return [
            checks.Warning(
                f"{turned_on} keep their state in the cache {alias!r}, a LocMemCache that "
                "each worker process has for itself: with several workers a session's state "
                "(its end, log level and subscriptions) is seen only by the worker that "
                "stored it, and updates saved by one worker never reach streams served by "
                "another.",
                hint="Point CACHE_ALIAS at a cache every worker process shares (Redis, "
                "Memcached, the database cache); with a single worker process, silence "
                f"{ID}.W013.",
                id=f"{ID}.W013",
            )
        ]
    return []


def _scope_checking_authenticators() -> bool:
    try:
        return any(hasattr(a, "mcp_authorize") for a in authenticators())
    except Exception:
        return False


def _has_authenticators() -> bool:
    try:
        return bool(authenticators())
    except Exception:
        return False


@checks.register()
def check_schemas(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Prepare every tool's definition (schemas, JSON encoding, output check) once, as
    tools/list will serve it (the work is kept for it); report the tools left out and the
    fields that got a permissive schema. Both are warnings: one tool never stops the
    server or a management command.
    """
    messages: list[checks.CheckMessage] = []
    for tool in registry.tools().values():
        problem = tool.unavailable()
        if problem is not None:
            messages.append(
                checks.Warning(
                    f"{problem}.",
                    hint="The other tools are served. The warning logged with it has the "
                    "traceback; usually a serializer field, a declared schema or a value "
                    "with no JSON form (see docs/checks.md).",
                    id=f"{ID}.W020",
                )
            )
        declared = tool.header_arguments()
        if declared and problem is None:
            problems: list[str] = []
            params.declare(tool.input_schema(), declared, problems.append)
            messages.extend(
                checks.Error(
                    f"Tool {tool.name}: header_arguments: {found}.",
                    hint="Name an argument of type string, integer or boolean, and an HTTP "
                    "header name token unique in the tool (docs/transport.md); the tool is "
                    "listed without this header argument meanwhile.",
                    id=f"{ID}.E018",
                )
                for found in problems
            )
    from django.apps import apps  # the app registry is ready when checks run

    if not apps.is_installed("drf_mcp_bridge.contrib.tasks"):
        capable = sorted(
            t.name
            for t in registry.tools().values()
            if getattr(t, "task_support", "forbidden") != "forbidden"
        )
        if capable:
            messages.append(
                checks.Warning(
                    f"Tools declare task support but no task executor is installed: "
                    f"{', '.join(capable[:10])}{' ...' if len(capable) > 10 else ''}; "
                    "their calls run synchronously.",
                    hint='Add "drf_mcp_bridge.contrib.tasks" to INSTALLED_APPS (and a '
                    "TASKS backend; docs/transport.md, Tasks), or drop task=.",
                    id=f"{ID}.W060",
                )
            )
    for serializer, field, field_class in sorted(UNMAPPED):
        messages.append(
            checks.Warning(
                f"Field {field!r} of serializer {serializer} ({field_class}) has no JSON "
                "Schema mapping; tools accept any value for it.",
                hint="Describe the field class with @mcp_field_schema or a FieldExtension "
                "(drf_mcp_bridge.schema.extensions), or override it with "
                'style={"mcp_schema": {...}}.',
                id=f"{ID}.W002",
            )
        )
    return messages


@checks.register(checks.Tags.urls)
def check_viewset_routes_and_bodies(
    app_configs: Any = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """W040: an exposed ViewSet (or some of its exposed actions) that no URLconf routes;
    W041: a POST/PUT/PATCH ``@action`` with no serializer of its own."""
    messages: list[checks.CheckMessage] = []
    for registration in registry.viewset_registrations:
        viewset = registration.viewset
        if isinstance(viewset, type) and issubclass(viewset, ViewSetMixin):
            messages.extend(_unrouted_messages(registration))
    for tool in registry.all_tools():
        if not isinstance(tool, ViewSetActionTool) or not tool.operation.extra:
            continue
        if tool.method not in {"post", "put", "patch"}:
            continue
        if tool.operation.options.get("input_schema") is not None:
            continue
        try:
            how, serializer = tool.action_body(tool.introspection_view())
        except Exception:  # the schema checks report a view that cannot be set up
            continue
        if how != "guessed" or serializer is None:  # none at all: W033
            continue
        viewset_name = tool.viewset.__name__
        messages.append(
            checks.Warning(
                f"{viewset_name}.{tool.action} is a {tool.method.upper()} @action without a "
                f"serializer of its own: tool {tool.name!r} offers the fields of "
                f"{type(serializer).__name__}, the ViewSet's serializer, as optional "
                "arguments, though nothing says the action reads them.",
                hint="Declare its body: @action(..., serializer_class=...) or "
                "@mcp_action(schema_serializer=...); for an action that takes no body, "
                "@extend_schema(request=None) (drf-spectacular) or "
                "@mcp_action(input_schema={}).",
                obj=tool.viewset,
                id=f"{ID}.W041",
            )
        )
    return messages


def _unrouted_messages(registration: Any) -> list[checks.CheckMessage]:
    """W040 for the exposed operations of ``registration`` that no named route serves:
    tool calls run them at a path made up under the endpoint (``__mcp__/...``)."""
    viewset = registration.viewset
    operations = registration.exposed_operations()
    unrouted = []
    for operation in operations:
        if operation.method == "options":  # metadata: OPTIONS on the list route
            route = routes.find_route(viewset, "list", "get") or routes.find_route(
                viewset, "create", "post"
            )
        else:
            route = routes.find_route(viewset, operation.action, operation.method)
        if route is None or route.url_name is None:
            unrouted.append(operation.key)
    if not unrouted:
        return []
    name = viewset.__name__
    resource = registration.resource_name()
    if len(unrouted) == len(operations):
        return [
            checks.Warning(
                f"{name} is exposed as MCP tools but no URLconf routes it: tool calls run it "
                f"at a path made up under the MCP endpoint (__mcp__/{resource}/), which REST "
                "clients, reverse() and URL-based middleware know nothing about.",
                hint=f'Register it on a router the URLconf includes: router.register("{resource}", '
                f'{name}) and path("api/", include(router.urls)) (an MCPRouter also exposes '
                "it), or stop exposing it.",
                obj=viewset,
                id=f"{ID}.W040",
            )
        ]
    return [
        checks.Warning(
            f"{name}: the exposed action(s) {', '.join(unrouted)} have no named route in the "
            f"URLconf, so their tool calls run at a path made up under the MCP endpoint "
            f"(__mcp__/{resource}/...).",
            hint="Route them (a router registration routes every action), or leave them "
            "out with @mcp_viewset(exclude=[...]).",
            obj=viewset,
            id=f"{ID}.W040",
        )
    ]


#: The import packages this distribution installs: the package and its deprecated alias.
IMPORT_PACKAGES = ("drf_mcp_bridge", "rest_framework_mcp")
DISTRIBUTION = "drf-mcp-bridge"


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@checks.register()
def check_import_name_owners(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Another installed distribution writing files into one of this package's import
    packages (``rest_framework_mcp`` is also djangorestframework-mcp-server's): whichever was
    installed last has overwritten the other's modules."""
    owners = importlib.metadata.packages_distributions()
    messages: list[checks.CheckMessage] = []
    for package in IMPORT_PACKAGES:
        others = sorted({d for d in owners.get(package, ()) if _canonical(d) != DISTRIBUTION})
        if others:
            messages.append(
                checks.Warning(
                    f"The import package {package!r} is also installed by "
                    f"{', '.join(others)}: the distributions overwrite each other's files "
                    "in site-packages, so either may import the other's modules.",
                    hint=f"Uninstall {', '.join(others)}; or, to keep it, install it again "
                    "after drf-mcp-bridge (its files win) and import only 'drf_mcp_bridge'.",
                    id=f"{ID}.W070",
                )
            )
    return messages


@checks.register()
def check_token_economy(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """W080: TOON asked for (RESULT_TEXT_FORMAT or a registration) without toon-format
    installed (list results get the CSV form). W081: ``default_fields`` for an action whose
    tool takes no sparse fields, or that names fields its serializer does not have."""
    messages: list[checks.CheckMessage] = []
    tools = registry.all_tools()
    if not have_toon():
        toon = [t.name for t in tools if getattr(t, "listing", False) and _toon(t)]
        if mcp_settings.RESULT_TEXT_FORMAT == "toon" or toon:
            where = "RESULT_TEXT_FORMAT" if not toon else f"tools {', '.join(sorted(toon)[:5])}"
            messages.append(
                checks.Warning(
                    f'{where}: the "toon" text format needs the toon-format package, which '
                    "is not installed; list results are sent in the CSV form instead.",
                    hint='pip install "drf-mcp-bridge[toon]", or choose "csv" (docs/tokens.md).',
                    id=f"{ID}.W080",
                )
            )
    for tool in tools:
        if not isinstance(tool, ViewSetActionTool) or not tool.default_fields():
            continue
        offered = tool.field_arguments() if tool.unavailable() is None else {}
        names = next((n for kind, n in offered.values() if kind == "fields"), None)
        wanted = tool.default_fields()
        if names is None:
            problem = "its serializer takes no sparse fields (drf-flex-fields, SparseFieldsMixin)"
        else:
            unknown = [n for n in wanted if n not in names]
            problem = f"its serializer has no field {', '.join(unknown)}" if unknown else ""
        if problem:
            messages.append(
                checks.Warning(
                    f"{tool.viewset.__name__}: default_fields[{tool.key!r}] is not used by "
                    f"tool {tool.name!r}: {problem}.",
                    hint="Give the serializer sparse fields (docs/tokens.md#field-selection) "
                    "and name fields it has.",
                    obj=tool.viewset,
                    id=f"{ID}.W081",
                )
            )
    return messages


def _toon(tool: Any) -> bool:
    try:
        return text_format_for(tool) == "toon"
    except Exception:  # a tool whose options cannot be read is reported elsewhere
        return False
