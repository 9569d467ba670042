"""How a DRF-backed tool is described in ``tools/list``: its title, description and
annotations.

:class:`ToolDescriber` is to a tool what drf-spectacular's ``AutoSchema`` is to an
operation: one class whose methods each give one part, so that a subclass overriding one
method changes just that part. It is chosen per registration (``describer=``, a class or
a dotted path) or for the project by the ``TOOL_DESCRIBER`` setting; it describes the tool
for MCP only (REST is untouched). The default reads, in order: what the registration says
(``titles=``, ``descriptions=``), ``@mcp_action``/``@mcp_view`` options, drf-spectacular's
``@extend_schema(summary=, description=, deprecated=)``, the docstrings written for the
model, and sentences made from the action and the resource.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Mapping
from typing import Any, Protocol, cast

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from ..conf.settings import mcp_settings
from ..core.types import ToolAnnotations
from ..schema.sources import schema_source
from .registrations import _model_of


def _docstring(obj: Any) -> str | None:
    doc = inspect.getdoc(obj)
    if not doc:
        return None
    return textwrap.dedent(doc).strip() or None


#: Top-level packages whose docstrings describe the framework, not an API built with it
#: ("A viewset that provides default `create()`...", "Concrete view for listing a
#: queryset."): a view inheriting one is described without it.
FRAMEWORK_PACKAGES = frozenset(
    {
        "adrf",
        "builtins",
        "django",
        "django_filters",
        "drf_spectacular",
        "drf_yasg",
        "oauth2_provider",
        "rest_framework",
        "rest_framework_gis",
        "rest_framework_json_api",
        "drf_mcp_bridge",
        "rest_framework_nested",
        "rest_framework_simplejwt",
        "typing",
    }
)

#: A docstring written for developers, not for the model: "Override the GET method to
#: ...", "Overridden to ...", "Custom get method ...", "Calls super() ...".
_OVERRIDE_WORD = re.compile(
    r"^(?:overrid(?:e[sn]?|den|ing)|overwrit(?:e[sn]?|ten|ing))\b\W*(\w*)", re.IGNORECASE
)
_CODE_WORDS = re.compile(
    r"`|\w\(\)|\b[a-z]+_[a-z_]+\b|\b(?:methods?|functions?|class|default|base|parent|"
    r"super|mixin|view|viewset|queryset|serializer|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|"
    r"list|retrieve|create|update|destroy|dispatch)\b"
)
_INTERNAL_LEADS = re.compile(
    r"^custom(?:i[sz]ed)?\s+(?:\w+\s+){0,2}(?:method|implementation|handler)\b"
    r"|\bsuper\(\)",
    re.IGNORECASE,
)
#: Words after "Override"/"Overridden" that make it about the code ("Overridden to ...").
_OVERRIDE_FOLLOWERS = frozenset({"", "to", "of", "for", "so", "because", "since", "here"})


def _from_framework(module: str | None) -> bool:
    return (module or "").split(".")[0] in FRAMEWORK_PACKAGES


def for_the_model(doc: str | None) -> str | None:
    """``doc`` unless it is a note for developers ("Override the GET method to ...",
    "Overridden to ...", "Custom get method ..."), which tells a model nothing about the
    tool."""
    if not doc:
        return None
    first = re.split(r"(?<=[.!?])\s|\n\s*\n", doc.strip(), maxsplit=1)[0]
    override = _OVERRIDE_WORD.match(first)
    if override is not None and (
        override.group(1).lower() in _OVERRIDE_FOLLOWERS or _CODE_WORDS.search(first)
    ):
        return None
    if _INTERNAL_LEADS.search(first):
        return None
    return doc


def own_docstring(cls: type[Any]) -> str | None:
    """The docstring of the class, or of a base class of the project, that is written
    for the model: none inherited from a framework (DRF, Django, adrf...; see
    :data:`FRAMEWORK_PACKAGES`), and no note for developers (:func:`for_the_model`)."""
    for klass in cls.__mro__:
        if _from_framework(klass.__module__):
            return None
        doc = klass.__dict__.get("__doc__")
        if doc:
            return for_the_model(inspect.cleandoc(doc) or None)
    return None


def method_docstring(cls: type[Any], name: str) -> str | None:
    """The docstring of the method ``name`` that ``cls`` runs (its own, else that of the
    project's base class it overrides), written for the model: none of a framework's
    methods ("List a queryset."), and no note for developers (:func:`for_the_model`)."""
    for klass in cls.__mro__:
        if name not in klass.__dict__:
            continue
        if _from_framework(klass.__module__):
            return None
        function = klass.__dict__[name]
        function = getattr(function, "__func__", function)  # staticmethod, classmethod
        if _from_framework(getattr(function, "__module__", None)):
            return None  # e.g. list = mixins.ListModelMixin.list
        doc = getattr(function, "__doc__", None)
        if doc:
            return for_the_model(inspect.cleandoc(doc) or None)
    return None


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def resource_nouns(viewset: type[Any], resource: str) -> tuple[str, str]:
    """(singular, plural) of what a ViewSet serves, for descriptions. The plural is the
    resource name unless the model sets ``verbose_name_plural`` (Django's default plural
    says "categorys")."""
    plural = resource.replace("_", " ")
    model = _model_of(viewset)
    if model is not None:
        if "verbose_name_plural" in model._meta.original_attrs:
            plural = str(model._meta.verbose_name_plural)
        return str(model._meta.verbose_name), plural
    singular = plural[:-1] if plural.endswith("s") else plural
    return singular, plural


#: (destructiveHint, idempotentHint) of the write actions: create only adds; update
#: replaces (the same call twice has the same effect); partial_update changes data.
_WRITE_HINTS = {
    "create": (False, False),
    "update": (True, True),
    "partial_update": (True, False),
    "destroy": (True, True),
}

_ACTION_VERBS = {
    "list": "List {plural}.",
    "retrieve": "Get {a} {singular} by {lookup}.",
    "create": "Create {a} {singular}.",
    "update": "Replace {a} {singular}.",
    "partial_update": "Change some fields of {a} {singular}.",
    "destroy": "Delete {a} {singular}.",
}

_ACTION_TITLES = {
    "list": "List {plural}",
    "retrieve": "Get {singular}",
    "create": "Create {singular}",
    "update": "Replace {singular}",
    "partial_update": "Update {singular}",
    "destroy": "Delete {singular}",
}


def method_annotations(
    title: str, method: str, declared: ToolAnnotations | None = None
) -> ToolAnnotations:
    """Annotations from what the HTTP method promises (GET reads; PUT and DELETE are
    idempotent; DELETE destroys), merged with what the developer declared; anything else
    only the developer knows.
    """
    annotations: ToolAnnotations = {"title": title, "readOnlyHint": method == "get"}
    if method in {"put", "delete"}:
        annotations["idempotentHint"] = True
    if method == "delete":
        annotations["destructiveHint"] = True
    annotations["openWorldHint"] = False
    annotations.update(declared or {})
    return annotations


class DescribedTool(Protocol):
    """What a describer reads of any DRF-backed tool (``catalogue.tools.DRFViewTool``)."""

    name: str
    method: str
    title: str | None
    view_class: type[Any]

    @property
    def options(self) -> Mapping[str, Any]:
        """``@mcp_action`` options of a ViewSet action, ``@mcp_view`` ones of a view."""

    @property
    def source_view(self) -> type[Any]:
        """The class the project registered (a ViewSet tool's calls may run an MCP-only
        subclass of it)."""

    def introspection_view(self) -> Any: ...

    def requirement_notes(self) -> list[str]: ...


class DescribedAction(DescribedTool, Protocol):
    """What a describer reads of a ViewSet action's tool too."""

    key: str
    action: str
    detail: bool
    resource: str
    operation: Any
    registration: Any

    @property
    def viewset(self) -> type[Any]: ...

    @property
    def lookup_argument(self) -> str: ...


class ToolDescriber:
    """The title, description and annotations ``tools/list`` gives a DRF-backed tool.

    Made once per tool (``ToolDescriber(tool)``); each method gives one part, so override
    just the one to change. ``self.tool`` is the tool: its ``name``, ``method``,
    ``view_class``, ``options`` and ``introspection_view()``; ``self.action`` is the same
    tool when it is a ViewSet action (its ``action``, ``operation``, ``registration``,
    ``viewset``, ``resource``...), None for an ``APIView``'s method.
    """

    def __init__(self, tool: DescribedTool) -> None:
        self.tool = tool
        self.action: DescribedAction | None = (
            cast(DescribedAction, tool) if getattr(tool, "operation", None) is not None else None
        )

    # the parts ----------------------------------------------------------------------
    def title(self) -> str:
        """``titles=`` of the registration, else ``title=`` of ``@mcp_action``/``@mcp_view``,
        else :meth:`default_title`."""
        action = self.action
        declared = action.registration.titles.get(action.key) if action is not None else None
        return cast(str, declared or self.tool.options.get("title") or self.default_title())

    def description(self) -> str:
        """``descriptions=``, ``description=``, drf-spectacular's declaration or the
        docstring, else :meth:`default_description`; then what the permissions require
        (:meth:`requirement_notes`)."""
        action = self.action
        declared = action.registration.descriptions.get(action.key) if action is not None else None
        documented, deprecated = self.declared_description()
        text = declared or self.tool.options.get("description") or documented
        text = text or self.default_description()
        if deprecated:
            text = f"Deprecated. {text}"
        notes = self.requirement_notes()
        return " ".join([str(text), *notes]) if notes else text

    def annotations(self) -> ToolAnnotations:
        """Hints stated explicitly, since the specification's defaults (not read-only,
        destructive, open world) are pessimistic and CRUD on the app's own models is a
        closed world; ``annotations=`` declared on the tool win."""
        title = self.tool.title or self.tool.name
        declared = cast(ToolAnnotations, self.tool.options.get("annotations") or {})
        action = self.action
        if action is None or action.operation.extra:
            return method_annotations(title, self.tool.method, declared)
        annotations: ToolAnnotations = {"title": title}
        if action.action in {"list", "retrieve", "metadata"}:
            annotations["readOnlyHint"] = True
        else:
            destructive, idempotent = _WRITE_HINTS[action.action]
            annotations["readOnlyHint"] = False
            annotations["destructiveHint"] = destructive
            annotations["idempotentHint"] = idempotent
        annotations["openWorldHint"] = False
        annotations.update(declared)
        return annotations

    # what the parts are made of ------------------------------------------------------
    def default_title(self) -> str:
        """ "List customers", "Get customer", "Send reminder"; a view's method: its tool
        name in words."""
        action = self.action
        if action is None:
            return self.tool.name.replace("_", " ").capitalize()
        singular, plural = self.nouns()
        if action.method == "options":
            return f"Describe {plural}"
        if action.operation.extra:
            return self._extra_words(action)
        return _ACTION_TITLES[action.action].format(singular=singular, plural=plural)

    def default_description(self) -> str:
        """A sentence of what the action does, then the docstring written for the model
        (the action method's, else, on the first tool only, the ViewSet's); a view's
        method: its docstring, else the view's, else "GET ViewName."."""
        tool, action = self.tool, self.action
        if action is None:
            # Docstrings written for the model only: not DRF's ("Concrete view for listing
            # a queryset."), not "Override the GET method to ..." notes.
            return (
                method_docstring(tool.view_class, tool.method)
                or own_docstring(tool.view_class)
                or f"{tool.method.upper()} {tool.view_class.__name__}."
            )
        singular, plural = self.nouns()
        method_doc = method_docstring(action.viewset, action.action)
        if action.operation.extra:
            return method_doc or self._extra_description(action, singular, plural)
        if action.method == "options":
            return (
                f"What the {plural} endpoint offers you (DRF metadata, as HTTP OPTIONS "
                "answers): its name, description, and the fields creating accepts."
            )
        parts = [
            _ACTION_VERBS[action.action].format(
                singular=singular,
                plural=plural,
                lookup=action.lookup_argument,
                a=_article(singular),
            )
        ]
        if method_doc:
            parts.append(method_doc)
        elif action.key == action.registration.exposed_actions()[0]:
            # The ViewSet's docstring describes the resource: a model reads all tools
            # together, so it is said once (on the first tool, usually list), not six times.
            class_doc = own_docstring(action.viewset)
            if class_doc:
                parts.append(class_doc)
        return " ".join(parts)

    def declared_description(self) -> tuple[str | None, bool]:
        """(description, deprecated) from drf-spectacular's ``@extend_schema(summary=,
        description=, deprecated=)`` on a ViewSet action; (None, False) without."""
        action = self.action
        if action is None:
            return None, False
        source = schema_source()
        try:
            view = action.introspection_view()
        except Exception:
            return None, False
        return source.declared_description(
            view, source.operation_function(action.operation), action.method
        )

    def requirement_notes(self) -> list[str]:
        """Sentences saying what the view's permissions require ("Requires a signed-in
        user.")."""
        return self.tool.requirement_notes()

    def nouns(self) -> tuple[str, str]:
        """(singular, plural) of a ViewSet's resource (:func:`resource_nouns`)."""
        action = self.action
        assert action is not None, "only ViewSet actions have a resource"
        return resource_nouns(action.viewset, action.resource)

    @staticmethod
    def _extra_words(action: DescribedAction) -> str:
        """ "Send reminder", or "Flag (POST)" when one function answers several methods."""
        words = action.action.replace("_", " ").strip()
        words = words[:1].upper() + words[1:]
        return words if action.key == action.action else f"{words} ({action.method.upper()})"

    @staticmethod
    def _extra_description(action: DescribedAction, singular: str, plural: str) -> str:
        """For an undocumented ``@action``: what it is called, how it is reached, on what."""
        words = action.action.replace("_", " ")
        url_path = getattr(action.operation.function, "url_path", action.action)
        target = (
            f"{_article(singular)} {singular} by {action.lookup_argument}"
            if action.detail
            else plural
        )
        return f"{words[:1].upper()}{words[1:]} ({action.method.upper()} {url_path}) on {target}."


def describer_class(chosen: Any = None) -> type[ToolDescriber]:
    """The describer class ``chosen`` names (a class or a dotted path: a registration's
    ``describer``), else the ``TOOL_DESCRIBER`` setting's."""
    where = "describer=" if chosen else "TOOL_DESCRIBER"
    chosen = chosen or mcp_settings.TOOL_DESCRIBER
    if isinstance(chosen, str):
        try:
            chosen = import_string(chosen)
        except ImportError as exc:
            raise ImproperlyConfigured(f"{where} {chosen!r} cannot be imported: {exc}") from exc
    if not (isinstance(chosen, type) and issubclass(chosen, ToolDescriber)):
        raise ImproperlyConfigured(
            f"{where} must be a subclass of {ToolDescriber.__module__}.ToolDescriber "
            f"(or its dotted path), not {chosen!r}."
        )
    return chosen
