"""Tools: what ``tools/list`` advertises and what ``tools/call`` runs."""

from __future__ import annotations

import inspect
import json
import logging
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test.client import RequestFactory
from rest_framework.request import Request

from .calls import InputUnavailable, current_call
from .overrides import mcp_viewset_class
from .registry import Operation, ViewSetRegistration, _model_of
from .schema.fields import Schema, input_defaults, model_value_schema, serializer_schema
from .schema.parameters import list_query_parameters, paginated_output_schema
from .schema.validation import Checker, compile_schema, first_violation
from .types import CallToolResult, ToolAnnotations

if TYPE_CHECKING:
    from .protocol import RequestContext

logger = logging.getLogger("rest_framework_mcp")

#: Query parameters renamed when a body field or the lookup has the same name.
QUERY_PARAMETER_PREFIX = "query_"


def query_argument_name(name: str, taken: set[str]) -> str:
    """The tool argument that carries query parameter ``name``: the name itself, or
    ``query_<name>`` (then ``query_query_<name>``...) when a body field or the lookup
    already uses it.
    """
    argument = name
    while argument in taken:
        argument = QUERY_PARAMETER_PREFIX + argument
    return argument


class ToolError(Exception):
    """Raise from a function tool to answer with ``isError`` and this message."""


class Tool:
    """Base class. Subclasses set the metadata and implement :meth:`call`."""

    name: str
    title: str | None = None
    description: str | None = None
    #: Whether calls answer as an SSE stream when the client accepts one (even without
    #: a progressToken): the tool sends notifications or asks the client for input.
    streams: bool = False

    def input_schema(self) -> Schema:
        return {"type": "object", "properties": {}}

    def output_schema(self) -> Schema | None:
        return None

    def annotations(self) -> ToolAnnotations | None:
        return None

    def output_checker(self) -> Checker:
        """The compiled check of results against :meth:`output_schema` (built once)."""
        checker: Checker | None = self.__dict__.get("_output_checker")
        if checker is None:
            checker = compile_schema(self.output_schema() or {})
            self.__dict__["_output_checker"] = checker
        return checker

    def definition(self) -> dict[str, Any]:
        definition: dict[str, Any] = {"name": self.name}
        if self.title:
            definition["title"] = self.title
        if self.description:
            definition["description"] = self.description
        definition["inputSchema"] = self.input_schema()
        output = self.output_schema()
        if output is not None:
            definition["outputSchema"] = output
        annotations = self.annotations()
        if annotations:
            definition["annotations"] = annotations
        return definition

    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        raise NotImplementedError

    def visible_to(self, drf_request: Request) -> bool:
        """Whether ``tools/list`` shows the tool to this (authenticated) request."""
        return True


def error_result(message: str) -> CallToolResult:
    return {"content": [{"type": "text", "text": message}], "isError": True}


def _docstring(obj: Any) -> str | None:
    doc = inspect.getdoc(obj)
    if not doc:
        return None
    return textwrap.dedent(doc).strip() or None


def _own_docstring(cls: type[Any]) -> str | None:
    """The class's own docstring, not one inherited from DRF's base classes."""
    for klass in cls.__mro__:
        if klass.__module__.startswith("rest_framework."):
            return None
        doc = klass.__dict__.get("__doc__")
        if doc:
            return inspect.cleandoc(doc) or None
    return None


def _article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


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


#: Which defaults the CRUD actions' bodies advertise (see schema.fields.input_defaults).
_BODY_DEFAULTS = {"create": "all", "update": "declared", "partial_update": "none"}


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


def arguments_schema(
    properties: Schema,
    required: list[str],
    description: str | None = None,
    definitions: Schema | None = None,
) -> Schema:
    """A tool's ``inputSchema``: an object of exactly these arguments (unknown ones are
    refused with a tool error naming the accepted ones, so the schema says so too).
    """
    schema: Schema = {"type": "object"}
    if properties:
        schema["properties"] = properties
    if description:
        schema["description"] = description
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    if definitions:
        schema["$defs"] = definitions
    return schema


def result_schema(declared: Any, serializer: Any, view: Any, listing: bool) -> Schema | None:
    """A tool's ``outputSchema``: a declared schema (a dict, or a serializer to describe),
    else the serializer's representation — in the paginator's envelope for list-like
    tools — else none.
    """
    if isinstance(declared, dict):
        return dict(declared)
    if declared is not None:
        return serializer_schema(_instance(declared), "output")
    if serializer is None:
        return None
    item = serializer_schema(serializer, "output")
    return paginated_output_schema(view, item) if listing else item


class UploadArguments:
    """What the request code asks of a tool whose arguments may carry files."""

    def input_schema(self) -> Schema:
        raise NotImplementedError

    def file_arguments(self) -> list[str]:
        """Arguments that carry a file upload ({"filename", "content" in base64})."""
        found: list[str] | None = self.__dict__.get("_file_arguments")
        if found is None:
            properties = self.input_schema().get("properties", {})
            found = [name for name, schema in properties.items() if is_file_schema(schema)]
            self.__dict__["_file_arguments"] = found
        return found


def is_file_schema(schema: Any) -> bool:
    """Whether an argument's schema is the file upload object of FileField/ImageField."""
    content = (schema.get("properties") or {}).get("content") if isinstance(schema, dict) else None
    return isinstance(content, dict) and content.get("contentEncoding") == "base64"


def _instance(serializer: Any) -> Any:
    """A serializer instance from a class or an instance."""
    return serializer() if isinstance(serializer, type) else serializer


class ViewSetActionTool(UploadArguments, Tool):
    """One action of a registered ViewSet, run through the real DRF view."""

    def __init__(self, registration: ViewSetRegistration, operation: Operation) -> None:
        self.registration = registration
        self.viewset = registration.viewset
        #: The class tool calls run: the ViewSet, or its MCP-only override subclass.
        self.view_class = mcp_viewset_class(registration)
        self.operation = operation
        self.key = operation.key
        self.action = operation.action
        self.method = operation.method
        self.detail = operation.detail
        options = operation.options
        #: Filters and paginates like ``list``: takes its query parameters and envelope.
        self.listing = (self.action == "list" and not operation.extra) or bool(
            options.get("listing")
        )
        self.name = registration.tool_name(operation.key)
        self.resource = registration.resource_name()
        self.title = (
            registration.titles.get(self.key) or options.get("title") or self._default_title()
        )
        self.description = (
            registration.descriptions.get(self.key)
            or options.get("description")
            or self._default_description()
        )
        notes = self._requirement_notes()
        if notes:
            self.description = " ".join([self.description, *notes])
        self._schemas: tuple[Schema, Schema | None, dict[str, str]] | None = None

    @property
    def initkwargs(self) -> dict[str, Any]:
        """What ``@action(...)`` passes to the view (serializer_class, permission_classes...)."""
        return dict(getattr(self.operation.function, "kwargs", None) or {})

    # metadata -----------------------------------------------------------------------
    @property
    def lookup_argument(self) -> str:
        # A plain ViewSet has no lookup_field; DRF's routers then use "pk".
        lookup_field = getattr(self.viewset, "lookup_field", "pk")
        return str(getattr(self.viewset, "lookup_url_kwarg", None) or lookup_field)

    def _names(self) -> tuple[str, str]:
        """(singular, plural) for descriptions. The plural is the resource name unless the
        model sets ``verbose_name_plural`` (Django's default plural says "categorys").
        """
        plural = self.resource.replace("_", " ")
        model = _model_of(self.viewset)
        if model is not None:
            if "verbose_name_plural" in model._meta.original_attrs:
                plural = str(model._meta.verbose_name_plural)
            return str(model._meta.verbose_name), plural
        singular = plural[:-1] if plural.endswith("s") else plural
        return singular, plural

    def _default_title(self) -> str:
        singular, plural = self._names()
        if self.method == "options":
            return f"Describe {plural}"
        if self.operation.extra:
            return self._extra_words()
        titles = {
            "list": f"List {plural}",
            "retrieve": f"Get {singular}",
            "create": f"Create {singular}",
            "update": f"Replace {singular}",
            "partial_update": f"Update {singular}",
            "destroy": f"Delete {singular}",
        }
        return titles[self.action]

    def _default_description(self) -> str:
        singular, plural = self._names()
        # Only docstrings the user wrote: DRF's own ("List a queryset.") say nothing
        # about this API.
        method = getattr(self.viewset, self.action, None)
        method_doc = None
        if method is not None and not method.__module__.startswith("rest_framework."):
            method_doc = _docstring(method)
        if self.operation.extra:
            return method_doc or self._extra_description(singular, plural)
        if self.method == "options":
            return (
                f"What the {plural} endpoint offers you (DRF metadata, as HTTP OPTIONS "
                "answers): its name, description, and the fields creating accepts."
            )
        parts = [
            _ACTION_VERBS[self.action].format(
                singular=singular,
                plural=plural,
                lookup=self.lookup_argument,
                a=_article(singular),
            )
        ]
        if method_doc:
            parts.append(method_doc)
        elif self.key == self.registration.exposed_actions()[0]:
            # The ViewSet's docstring describes the resource: a model reads all tools
            # together, so it is said once (on the first tool, usually list), not six times.
            class_doc = _own_docstring(self.viewset)
            if class_doc:
                parts.append(class_doc)
        return " ".join(parts)

    def _extra_words(self) -> str:
        """ "Send reminder", or "Flag (POST)" when one function answers several methods."""
        words = self.action.replace("_", " ").strip()
        words = words[:1].upper() + words[1:]
        return words if self.key == self.action else f"{words} ({self.method.upper()})"

    def _extra_description(self, singular: str, plural: str) -> str:
        """For an undocumented ``@action``: what it is called, how it is reached, on what."""
        words = self.action.replace("_", " ")
        url_path = getattr(self.operation.function, "url_path", self.action)
        target = (
            f"{_article(singular)} {singular} by {self.lookup_argument}" if self.detail else plural
        )
        return f"{words[:1].upper()}{words[1:]} ({self.method.upper()} {url_path}) on {target}."

    def annotations(self) -> ToolAnnotations:
        # Stated explicitly: the spec's defaults (not read-only, destructive, open world)
        # are pessimistic, and CRUD on the app's own models is a closed world.
        annotations: ToolAnnotations = {"title": self.title or self.name}
        declared = cast(ToolAnnotations, self.operation.options.get("annotations") or {})
        if self.operation.extra:
            return method_annotations(self.title or self.name, self.method, declared)
        if self.action in {"list", "retrieve", "metadata"}:
            annotations["readOnlyHint"] = True
        else:
            destructive, idempotent = _WRITE_HINTS[self.action]
            annotations["readOnlyHint"] = False
            annotations["destructiveHint"] = destructive
            annotations["idempotentHint"] = idempotent
        annotations["openWorldHint"] = False
        annotations.update(declared)
        return annotations

    # schemas ------------------------------------------------------------------------
    def introspection_view(self) -> Any:
        """A view instance set up as for an anonymous request to this action."""
        factory = RequestFactory()
        django_request = factory.generic(self.method.upper(), "/")
        django_request.user = AnonymousUser()
        view = self.view_class(action_map={self.method: self.action}, **self.initkwargs)
        view.action = self.action
        view.args = ()
        view.kwargs = {}
        view.format_kwarg = None
        view.headers = {}
        view.request = Request(django_request, parsers=view.get_parsers(), authenticators=())
        versioning_class = getattr(view, "versioning_class", None)
        if versioning_class is not None:
            # get_serializer_class() often reads request.version: describe the version
            # calls will use.
            scheme = versioning_class()
            view.request.versioning_scheme = scheme
            view.request.version = self.version or scheme.default_version
        return view

    @property
    def version(self) -> str | None:
        return self.registration.version

    def _build_schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        view = self.introspection_view()
        properties: Schema = {}
        required: list[str] = []
        query_arguments: dict[str, str] = {}  # argument name → query parameter name
        input_description: str | None = None
        definitions: Schema | None = None
        if self.detail:
            properties[self.lookup_argument] = self._lookup_schema()
            required.append(self.lookup_argument)
        output: Schema | None = None
        options = self.operation.options
        serializer = self._serializer(view)
        body_kind = _BODY_DEFAULTS.get(self.action) if not self.operation.extra else None
        if self.method == "options":
            serializer = None  # the answer is DRF's metadata, not the serializer's data
        if self.operation.extra and self.method in {"post", "put", "patch"}:
            body_kind = {"post": "all", "put": "declared", "patch": "none"}[self.method]
        if options.get("input_schema") is not None:
            # Declared by @mcp_action: taken as given (the lookup is still added).
            declared = dict(options["input_schema"])
            for name, schema in declared.get("properties", {}).items():
                properties.setdefault(name, schema)
            required.extend(n for n in declared.get("required", []) if n not in required)
            input_description = declared.get("description")
            definitions = declared.get("$defs")
        elif serializer is not None and body_kind is not None:
            with input_defaults(body_kind):
                body = serializer_schema(serializer, "input")
            for name, schema in body.get("properties", {}).items():
                if name in properties:
                    continue  # the lookup wins over a body field of the same name
                properties[name] = schema
            if body_kind != "none":
                required.extend(n for n in body.get("required", []) if n not in required)
            if body.get("description"):
                input_description = body["description"]
            definitions = body.get("$defs")
        listing = self.listing
        if listing:
            query_properties, query_required = list_query_parameters(view)
            for name, schema in query_properties.items():
                argument = query_argument_name(name, set(properties))
                properties[argument] = schema
                query_arguments[argument] = name
                if name in query_required:
                    required.append(argument)
        describe = listing or not self.operation.extra
        output = result_schema(
            options.get("output_schema"), serializer if describe else None, view, listing
        )
        schema = arguments_schema(properties, required, input_description, definitions)
        return schema, output, query_arguments

    def _requirement_notes(self) -> list[str]:
        from .access import requirement_notes

        try:
            found = self.introspection_view().get_permissions()
        except Exception:
            return []
        return requirement_notes(found, self.method, _model_of(self.viewset))

    def visible_to(self, drf_request: Request) -> bool:
        from .access import as_method, permissions_pass, unrestricted

        open_to_all: bool | None = self.__dict__.get("_unrestricted")
        if open_to_all is None:
            open_to_all = unrestricted(self.view_class, self.introspection_view())
            self.__dict__["_unrestricted"] = open_to_all
        if open_to_all:
            return True
        view = self.view_class(action_map={self.method: self.action}, **self.initkwargs)
        view.action = self.action
        view.args, view.kwargs, view.format_kwarg = (), {}, None
        request = as_method(drf_request, self.method)
        view.request = request
        return permissions_pass(view, request)

    def view_callback(self, routed: Any) -> Any:
        """The view function to call for a request the URLconf routes to ``routed``: the
        same function, or the override subclass with the route's actions and initkwargs.
        """
        if self.view_class is self.viewset or getattr(routed, "cls", None) is not self.viewset:
            return routed
        cache: dict[int, Any] = self.__dict__.setdefault("_callbacks", {})
        bound = cache.get(id(routed))
        if bound is None:
            bound = self.view_class.as_view(routed.actions, **routed.initkwargs)
            cache[id(routed)] = bound
        return bound

    def needs_declared_schema(self) -> bool:
        """A method with a body (POST/PUT/PATCH) and nothing to describe it: no serializer
        and no ``@mcp_action(input_schema=...)``.
        """
        if self.method not in {"post", "put", "patch"}:
            return False
        if self.operation.options.get("input_schema") is not None:
            return False
        return self._serializer(self.introspection_view()) is None

    def parser_media_types(self) -> list[str]:
        """Media types of the view's parsers, in preference order (cached)."""
        cached: list[str] | None = self.__dict__.get("_parser_media_types")
        if cached is None:
            try:
                parsers = self.introspection_view().get_parsers()
            except Exception:
                parsers = []
            cached = [str(getattr(p, "media_type", "")) for p in parsers]
            self.__dict__["_parser_media_types"] = cached
        return cached

    def _serializer(self, view: Any) -> Any:
        """The serializer the operation reads and writes: ``@mcp_action(serializer=...)``,
        else the view's (``@action(serializer_class=...)`` or ``get_serializer_class()``).
        """
        declared = self.operation.options.get("serializer")
        if declared is not None:
            return _instance(declared)
        if not hasattr(view, "get_serializer") or self.action == "destroy":
            return None
        try:
            return view.get_serializer()
        except Exception:
            logger.warning(
                "%s.get_serializer() failed for action %r; the tool schema is permissive.",
                self.viewset.__name__,
                self.action,
                exc_info=True,
            )
            return None

    def _lookup_schema(self) -> Schema:
        model = _model_of(self.viewset)
        schema: Schema = {"type": "string"}
        lookup_field = getattr(self.viewset, "lookup_field", "pk")
        if model is not None:
            try:
                model_field = (
                    model._meta.pk if lookup_field == "pk" else model._meta.get_field(lookup_field)
                )
            except Exception:
                model_field = None
            schema = model_value_schema(model_field)
        if lookup_field != "pk":  # "pk" needs no explanation
            singular, _ = self._names()
            schema["description"] = f"The {lookup_field} of the {singular}."
        return schema

    def schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        if self._schemas is None:
            self._schemas = self._build_schemas()
        return self._schemas

    def input_schema(self) -> Schema:
        return self.schemas()[0]

    def output_schema(self) -> Schema | None:
        return self.schemas()[1]

    # calls --------------------------------------------------------------------------
    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        from .invocation import invoke_viewset_action

        return invoke_viewset_action(self, arguments, context)


_PY_TYPES: dict[Any, Schema] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
    list: {"type": "array"},
    dict: {"type": "object"},
}


#: Parameters a function tool receives from the server, never from the model.
_INJECTED = frozenset({"request", "mcp"})


def _argument_hints(func: Callable[..., Any]) -> dict[str, Any]:
    """The evaluated type hints of the parameters the model fills in (the injected ones are
    never evaluated, so their annotation's name need not be importable there)."""
    raw = inspect.get_annotations(func)
    namespace = getattr(func, "__globals__", {})
    hints: dict[str, Any] = {}
    for name, hint in raw.items():
        if name in _INJECTED or name == "return":
            continue
        if isinstance(hint, str):
            try:
                hint = eval(hint, namespace)  # as get_annotations(eval_str=True) does
            except Exception:
                hint = None  # an unresolvable annotation: no type in the schema
        hints[name] = hint
    return hints


class FunctionTool(Tool):
    """A plain Python function exposed as a tool (``@mcp_tool``).

    The function receives the arguments as keyword arguments, plus the outer Django
    request as ``request`` when it declares that parameter. It returns a string (one
    text block), a dict (structured content, also sent as JSON text), a list of MCP
    content blocks, or a complete ``CallToolResult`` dict (it has a ``content`` key).
    Raise :class:`ToolError` to answer with ``isError``. It runs in the transactions a view
    would (:func:`~rest_framework_mcp.invocation.call_transaction`), rolled back when it fails.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        input_schema: Schema | None = None,
        output_schema: Schema | None = None,
        annotations: ToolAnnotations | None = None,
    ) -> None:
        self.func = func
        self.name = name or func.__name__
        self.title = title
        self.description = description or _docstring(func)
        self._signature = inspect.signature(func)
        self._wants_request = "request" in self._signature.parameters
        #: A parameter named ``mcp`` receives the :class:`~rest_framework_mcp.calls.CallContext`
        #: (progress, logs, elicitation, sampling); such a tool answers as an SSE stream when
        #: the client accepts one.
        self.streams = "mcp" in self._signature.parameters
        self._input_schema = input_schema or self._schema_from_signature()
        self._output_schema = output_schema
        self._annotations = annotations

    def _schema_from_signature(self) -> Schema:
        properties: Schema = {}
        required: list[str] = []
        hints = _argument_hints(self.func)
        for name, parameter in self._signature.parameters.items():
            if name in _INJECTED or parameter.kind in {
                parameter.VAR_POSITIONAL,
                parameter.VAR_KEYWORD,
            }:
                continue
            properties[name] = dict(_PY_TYPES.get(hints.get(name), {}))
            if parameter.default is parameter.empty:
                required.append(name)
            else:
                properties[name]["default"] = parameter.default
        schema: Schema = {"type": "object", "properties": properties}
        if required:
            schema["required"] = required
        return schema

    def input_schema(self) -> Schema:
        return self._input_schema

    def output_schema(self) -> Schema | None:
        return self._output_schema

    def annotations(self) -> ToolAnnotations | None:
        return self._annotations

    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        accepted = {
            n
            for n, p in self._signature.parameters.items()
            if p.kind not in {p.VAR_POSITIONAL, p.VAR_KEYWORD} and n not in _INJECTED
        }
        takes_any = any(p.kind == p.VAR_KEYWORD for p in self._signature.parameters.values())
        unknown = sorted(set(arguments) - accepted) if not takes_any else []
        if unknown:
            return error_result(
                f"Unknown argument(s) {', '.join(unknown)}; this tool accepts: "
                f"{', '.join(sorted(accepted)) or 'no arguments'}."
            )
        missing = [n for n in self._input_schema.get("required", []) if n not in arguments]
        if missing:
            return error_result(f"Missing required argument(s): {', '.join(missing)}.")
        problem = first_violation(arguments, self._input_schema, "arguments")
        if problem:
            return error_result(f"Invalid arguments: {problem}. Fix them and call again.")
        kwargs = dict(arguments)
        if self._wants_request:
            kwargs["request"] = context.http_request
        if self.streams:
            kwargs["mcp"] = current_call()
        from .invocation import call_transaction

        # The transactions a view gets: a failure (an exception, ToolError, an isError
        # result; InputRequired and CallCancelled pass through) rolls back the writes.
        with call_transaction(self.func) as aliases:
            result = self._run(kwargs)
            if result.get("isError"):
                for alias in aliases:
                    transaction.set_rollback(True, using=alias)
        return result

    def _run(self, kwargs: dict[str, Any]) -> CallToolResult:
        try:
            value = self.func(**kwargs)
        except ToolError as exc:
            return error_result(str(exc))
        except InputUnavailable as exc:
            return error_result(str(exc))
        except Exception:
            logger.exception("Tool %s raised an unexpected error", self.name)
            return error_result(
                f"The tool {self.name} failed with an internal error; the server log has details."
            )
        return self._to_result(value)

    def _to_result(self, value: Any) -> CallToolResult:
        if isinstance(value, dict) and "content" in value:
            result: CallToolResult = value  # type: ignore[assignment]
            return result
        if isinstance(value, str):
            return {"content": [{"type": "text", "text": value}]}
        if isinstance(value, list) and all(isinstance(v, dict) and "type" in v for v in value):
            return {"content": value}
        text = json.dumps(value, separators=(",", ":"), default=str)
        if isinstance(value, dict):
            return {"content": [{"type": "text", "text": text}], "structuredContent": value}
        return {"content": [{"type": "text", "text": text}]}


def mcp_tool(
    func: Callable[..., Any] | None = None,
    *,
    name: str | None = None,
    title: str | None = None,
    description: str | None = None,
    input_schema: Schema | None = None,
    output_schema: Schema | None = None,
    annotations: ToolAnnotations | None = None,
) -> Any:
    """Register a plain function as a tool: ``@mcp_tool`` or ``@mcp_tool(name=...)``."""
    from .registry import registry

    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        registry.register_tool(
            FunctionTool(
                function,
                name=name,
                title=title,
                description=description,
                input_schema=input_schema,
                output_schema=output_schema,
                annotations=annotations,
            )
        )
        return function

    if func is not None:
        return decorator(func)
    return decorator
