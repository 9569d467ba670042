"""``MCPToolConfig``: how one ViewSet is exposed, the same options for ``@mcp_viewset``,
``MCPRouter.register`` and ``expose_router``.

Every path builds one of these (from its keyword options, or from ``config=``), and the
registration (registrations.py) is made from it, so an option means the same thing
wherever it is given. Options given twice for one ViewSet (a decorator and a router) are
kept from the decorator and the difference recorded for system check W050.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from ..invocation.compact import checked_format
from .overrides import OVERRIDE_KEYS
from .registrations import ViewSetRegistration

#: What an action key looks like: a ViewSet method name, maybe with a method suffix
#: ("archive_post"). A router prefix ("audit-log") never is one.
_ACTION_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _text(option: str, value: Any, allow_none: bool = True) -> Any:
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise TypeError(f"MCPToolConfig {option} must be a string, not {value!r}.")
    return value


def _action_keys(option: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (Sequence, set, frozenset)):
        raise TypeError(
            f"MCPToolConfig {option} is a list of action names, e.g. {option}=['list'], "
            f"not {value!r}."
        )
    keys = tuple(value)
    for key in keys:
        if not isinstance(key, str):
            raise TypeError(f"MCPToolConfig {option} holds action names (strings), not {key!r}.")
        if not _ACTION_KEY.match(key):
            raise ImproperlyConfigured(
                f"MCPToolConfig {option}: {key!r} is not an action name. Actions are the "
                "ViewSet's method names ('list', 'retrieve', an @action's name); to leave a "
                "whole ViewSet out of expose_router, pass exclude_viewsets=[...] instead."
            )
    return keys


def _per_action(option: str, value: Any, values: type | tuple[type, ...] = str) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(
            f"MCPToolConfig {option} maps action names to values, e.g. "
            f"{option}={{'list': ...}}, not {value!r}."
        )
    found: dict[str, Any] = {}
    for key, each in value.items():
        _action_keys(option, [key])
        if not isinstance(each, values):
            raise TypeError(f"MCPToolConfig {option}[{key!r}] must be a string, not {each!r}.")
        found[key] = each
    return found


def _classes(option: str, value: Any) -> tuple[type[Any], ...] | None:
    if value is None:
        return None
    if isinstance(value, type) or not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(
            f"MCPToolConfig {option} is a list of classes, e.g. {option}=[IsAdminUser], "
            f"not {value!r}."
        )
    for each in value:
        if not isinstance(each, type):
            raise TypeError(
                f"MCPToolConfig {option} holds classes; pass {type(each).__name__}, "
                f"not the instance {each!r}."
            )
    return tuple(value)


def _class_or_path(option: str, value: Any) -> Any:
    if value is None or isinstance(value, type):
        return value
    if isinstance(value, str) and "." in value:
        return value
    raise TypeError(
        f"MCPToolConfig {option} is a class or the dotted path of one "
        f"('myapp.mcp.{option.title().replace('_', '')}'), not {value!r}."
    )


@dataclass(frozen=True)
class MCPToolConfig:
    """The options of one exposed ViewSet, for ``@mcp_viewset(config=...)``,
    ``MCPRouter.register(..., config=...)`` and ``expose_router(router, config=...)``
    (each also takes them as keyword arguments)::

        CRM = MCPToolConfig(tool_prefix="crm_", exclude=["destroy"], metadata=True)
        router.register("customers", CustomerViewSet, config=CRM)

    ``name`` is the resource part of tool names (default: the router prefix);
    ``actions``/``exclude`` choose the actions (keys: "list", an ``@action``'s name);
    ``tool_prefix`` is put before every tool name; ``tool_names``, ``titles`` and
    ``descriptions`` override those of single actions. ``basename`` is the router's
    basename (a fallback resource name); ``version`` pins the API version tool calls
    use; ``metadata=True`` adds a ``<resource>_metadata`` tool (DRF's OPTIONS answer).

    MCP-only behaviour, REST unchanged: ``serializer_class``, ``permission_classes`` and
    ``throttle_classes`` replace the ViewSet's for tool calls; ``filter_queryset(queryset,
    request)`` narrows ``get_queryset()``; ``overrides={"destroy": {...}}`` sets any of
    those four for one action. ``describer`` and ``result_renderer`` (a class or dotted
    path) replace how this ViewSet's tools are described and their results rendered.
    ``tasks={"export": "required"}`` lets those actions' calls run as tasks (the Tasks
    extension, ``contrib.tasks``: "optional" or "required"). ``result_text_format``
    ("json", "toon", "csv") replaces ``RESULT_TEXT_FORMAT`` for the text of these tools'
    list results; ``default_fields={"list": ["id", "name"]}`` is the field set tool calls
    of those actions ask the serializer for when the model names none (sparse fields:
    drf-flex-fields or ``SparseFieldsMixin``; REST requests are not changed).
    """

    name: str | None = None
    actions: Sequence[str] | None = None
    exclude: Sequence[str] = ()
    tool_prefix: str = ""
    tool_names: Mapping[str, str] = field(default_factory=dict)
    titles: Mapping[str, Any] = field(default_factory=dict)
    descriptions: Mapping[str, Any] = field(default_factory=dict)
    basename: str | None = None
    version: str | None = None
    metadata: bool = False
    serializer_class: type[Any] | None = None
    permission_classes: Sequence[type[Any]] | None = None
    throttle_classes: Sequence[type[Any]] | None = None
    filter_queryset: Callable[[Any, Any], Any] | None = None
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    describer: type[Any] | str | None = None
    result_renderer: type[Any] | str | None = None
    tasks: Mapping[str, str] = field(default_factory=dict)
    result_text_format: str | None = None
    default_fields: Mapping[str, Sequence[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        def put(option: str, value: Any) -> None:
            object.__setattr__(self, option, value)

        put("name", _text("name", self.name))
        if self.name == "":
            raise ImproperlyConfigured("MCPToolConfig name must not be empty; omit it instead.")
        if self.actions is not None:
            put("actions", _action_keys("actions", self.actions))
        put("exclude", _action_keys("exclude", self.exclude))
        put("tool_prefix", _text("tool_prefix", self.tool_prefix, allow_none=False))
        put("tool_names", _per_action("tool_names", self.tool_names))
        put("titles", _per_action("titles", self.titles, object))
        put("descriptions", _per_action("descriptions", self.descriptions, object))
        put("basename", _text("basename", self.basename))
        put("version", _text("version", self.version))
        if not isinstance(self.metadata, bool):
            raise TypeError(f"MCPToolConfig metadata is True or False, not {self.metadata!r}.")
        if self.serializer_class is not None and not isinstance(self.serializer_class, type):
            raise TypeError(
                "MCPToolConfig serializer_class is a serializer class; pass "
                f"{type(self.serializer_class).__name__}, not an instance."
            )
        put("permission_classes", _classes("permission_classes", self.permission_classes))
        put("throttle_classes", _classes("throttle_classes", self.throttle_classes))
        if self.filter_queryset is not None and not callable(self.filter_queryset):
            raise TypeError(
                "MCPToolConfig filter_queryset is a function (queryset, request) -> "
                f"queryset, not {self.filter_queryset!r}."
            )
        put("overrides", _overrides(self.overrides))
        put("describer", _class_or_path("describer", self.describer))
        put("result_renderer", _class_or_path("result_renderer", self.result_renderer))
        put("tasks", _task_options(self.tasks))
        if self.result_text_format is not None:
            put("result_text_format", checked_format(self.result_text_format))
        put("default_fields", _default_fields(self.default_fields))

    def given(self) -> dict[str, Any]:
        """The options set to something other than their default, by name."""
        found: dict[str, Any] = {}
        for each in fields(self):
            value = getattr(self, each.name)
            if value != _DEFAULTS[each.name]:
                found[each.name] = value
        return found

    def merged(self, **options: Any) -> MCPToolConfig:
        """This config with ``options`` set too; an option set in both to different
        values is a mistake (TypeError), not a silent choice."""
        extra = MCPToolConfig(**options)
        mine = self.given()
        clashing = sorted(k for k in options if k in mine and getattr(extra, k) != mine[k])
        if clashing:
            raise TypeError(
                f"{', '.join(clashing)} given both in config= and as keyword arguments, with "
                "different values; give each option once."
            )
        return replace(self, **{k: getattr(extra, k) for k in options})

    def registration(
        self,
        viewset: type[Any],
        *,
        router_prefix: str | None = None,
        basename: str | None = None,
    ) -> ViewSetRegistration:
        """The registration of ``viewset`` with these options."""
        overrides = {
            key: getattr(self, key) for key in OVERRIDE_KEYS if getattr(self, key) is not None
        }
        return ViewSetRegistration(
            viewset=viewset,
            name=self.name,
            actions=self.actions,
            exclude=self.exclude,
            prefix=self.tool_prefix,
            tool_names=dict(self.tool_names),
            titles=dict(self.titles),
            descriptions=dict(self.descriptions),
            router_prefix=router_prefix,
            basename=self.basename or basename,
            version=self.version,
            metadata=self.metadata,
            overrides=overrides,
            action_overrides={k: dict(v) for k, v in self.overrides.items()},
            describer=self.describer,
            result_renderer=self.result_renderer,
            tasks=dict(self.tasks),
            result_text_format=self.result_text_format,
            default_fields={k: list(v) for k, v in self.default_fields.items()},
        )


def _default_fields(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise TypeError(
            "MCPToolConfig default_fields maps action names to field names, e.g. "
            f"default_fields={{'list': ['id', 'name']}}, not {value!r}."
        )
    found: dict[str, tuple[str, ...]] = {}
    for action, names in value.items():
        _action_keys("default_fields", [action])
        if (
            isinstance(names, str)
            or not isinstance(names, Sequence)
            or not names
            or not all(isinstance(n, str) and n for n in names)
        ):
            raise TypeError(
                f"MCPToolConfig default_fields[{action!r}] is a non-empty list of field "
                f"names, not {names!r}."
            )
        found[action] = tuple(names)
    return found


def _task_options(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError(
            "MCPToolConfig tasks maps action names to 'optional' or 'required', e.g. "
            f"tasks={{'export': 'required'}}, not {value!r}."
        )
    found = _per_action("tasks", value)
    for action, support in found.items():
        if support not in ("forbidden", "optional", "required"):
            raise TypeError(
                f"MCPToolConfig tasks[{action!r}] is 'forbidden', 'optional' or "
                f"'required', not {support!r}."
            )
    return found


def _overrides(value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        raise TypeError(
            "MCPToolConfig overrides maps action names to options, e.g. "
            f"overrides={{'destroy': {{'permission_classes': [IsAdminUser]}}}}, not {value!r}."
        )
    found: dict[str, dict[str, Any]] = {}
    for action, options in value.items():
        _action_keys("overrides", [action])
        if not isinstance(options, Mapping):
            raise TypeError(
                f"MCPToolConfig overrides[{action!r}] is a dict of options, not {options!r}."
            )
        unknown = sorted(set(options) - OVERRIDE_KEYS)
        if unknown:
            raise TypeError(
                f"MCPToolConfig overrides[{action!r}]: unknown {unknown}; use some of "
                f"{sorted(OVERRIDE_KEYS)}."
            )
        found[action] = dict(options)
    return found


_DEFAULTS: dict[str, Any] = {
    each.name: getattr(MCPToolConfig(), each.name) for each in fields(MCPToolConfig)
}

#: Every option, by name.
OPTION_NAMES: frozenset[str] = frozenset(_DEFAULTS)

#: Old option names still accepted, for one release, with a DeprecationWarning: per path,
#: old name → new name.
VIEWSET_ALIASES: dict[str, str] = {"prefix": "tool_prefix"}
ROUTER_ALIASES: dict[str, str] = {
    "mcp_name": "name",
    "mcp_actions": "actions",
    "mcp_exclude": "exclude",
    "mcp_prefix": "tool_prefix",
    "mcp_version": "version",
}


def deprecated(where: str, old: str, new: str, stacklevel: int) -> None:
    """Warn that ``where(old=...)`` is spelled ``new=`` now; ``stacklevel`` is what
    ``warnings.warn`` would take in the caller of this function (2: its caller)."""
    warnings.warn(
        f"{where}({old}=...) is deprecated; pass {new}=... instead (the same option). "
        f"{old}= will be removed in the next release.",
        DeprecationWarning,
        stacklevel=stacklevel + 1,
    )


def build_config(
    where: str,
    config: MCPToolConfig | None,
    options: Mapping[str, Any],
    aliases: Mapping[str, str] | None = None,
    stacklevel: int = 3,
) -> MCPToolConfig:
    """The config one registration call asks for: ``config`` with the keyword
    ``options`` set over it. An old option name (``aliases``) warns and still works; an
    unknown one raises TypeError naming the options there are. ``stacklevel`` is what
    ``warnings.warn`` would take here to point at the user's code (3: the caller of the
    caller of this function)."""
    if config is not None and not isinstance(config, MCPToolConfig):
        raise TypeError(f"{where}(config=...) takes an MCPToolConfig, not {config!r}.")
    given: dict[str, Any] = {}
    for key, value in options.items():
        new = (aliases or {}).get(key)
        if new is not None:
            deprecated(where, key, new, stacklevel)
            if new in options:
                raise TypeError(f"{where}: pass {new}= or its old name {key}=, not both.")
            key = new
        given[key] = value
    unknown = sorted(set(given) - OPTION_NAMES)
    if unknown:
        raise TypeError(
            f"{where}() got unknown option(s) {', '.join(unknown)}. The options are: "
            f"{', '.join(sorted(OPTION_NAMES))} (or config=MCPToolConfig(...))."
        )
    if config is None:
        return MCPToolConfig(**given)
    return config.merged(**given)


def kept_option(registration: ViewSetRegistration, option: str) -> Any:
    """What ``registration`` keeps for the MCPToolConfig option ``option``."""
    if option == "tool_prefix":
        return registration.prefix
    if option in OVERRIDE_KEYS:
        return registration.overrides.get(option)
    if option == "overrides":
        return registration.action_overrides
    return getattr(registration, option, None)
