"""Tools: what ``tools/list`` advertises and what ``tools/call`` runs."""

from __future__ import annotations

import contextlib
import copy
import inspect
import json
import logging
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test.client import RequestFactory
from rest_framework.request import Request

from ..conf.settings import mcp_settings
from ..core import params
from ..core.jsonrpc import JSONRPCError, PreEncoded
from ..core.types import CallToolResult, ToolAnnotations
from ..invocation import routes
from ..invocation.calls import InputUnavailable, current_call
from ..invocation.permissions import as_method, permissions_pass, requirement_notes, unrestricted
from ..invocation.results import error_result, unknown_arguments
from ..invocation.run import call_transaction, invoke_viewset_action
from ..schema.fields import (
    FieldSchemaError,
    Schema,
    dotted_name,
    input_defaults,
    model_value_schema,
    serializer_schema,
)
from ..schema.parameters import list_query_parameters, paginated_output_schema
from ..schema.safe import SKIP, NotJSONSafe, field_path, json_safe, safe_schema
from ..schema.sources import NOT_DECLARED, field_selection, schema_source
from ..schema.validation import Checker, compile_schema
from .describe import ToolDescriber, _docstring, describer_class, resource_nouns
from .overrides import mcp_viewset_class
from .registrations import (
    Operation,
    ViewSetRegistration,
    _model_of,
    definition_changed,
    definitions_generation,
)

if TYPE_CHECKING:
    from ..core.context import RequestContext

logger = logging.getLogger("drf_mcp_bridge")

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


TASK_SUPPORT = ("forbidden", "optional", "required")


def task_support_value(value: Any) -> str:
    """A ``task=`` option, checked: None is "forbidden"."""
    if value is None:
        return "forbidden"
    if value not in TASK_SUPPORT:
        raise ImproperlyConfigured(
            f"task= is one of {', '.join(map(repr, TASK_SUPPORT))}, not {value!r}."
        )
    return str(value)


class ToolError(Exception):
    """Raise from a function tool to answer with ``isError`` and this message."""


#: The stages of a tool's definition; a failure in any leaves the tool out of tools/list.
BUILDING = "building its schemas"
ENCODING = "encoding its definition as JSON"
COMPILING = "compiling its output check"
#: Set on a tool whose result failed its own outputSchema (Tool.withdraw_output_schema).
OUTPUT_SCHEMA_WITHDRAWN = "_output_schema_withdrawn"

_preparing = threading.RLock()
#: Wrong describer settings already logged (see DRFViewTool._describe).
_REPORTED_DESCRIBERS: set[str] = set()


class ToolUnavailable(Exception):
    """A tool whose definition could not be built, encoded as JSON, or compiled into its
    output check. It is left out of ``tools/list`` (and discovery, resources, prompts);
    a call answers :meth:`result`. One warning is logged per tool.
    """

    def __init__(self, tool: Tool, stage: str, cause: BaseException) -> None:
        self.tool_name = tool.name
        self.stage = stage
        self.cause = cause
        try:
            origin = dict(tool.origin())
        except Exception:  # the origin is for the message only
            origin = {}
        if isinstance(cause, FieldSchemaError):
            origin["serializer"] = cause.serializer or origin.get("serializer")
            origin["field"] = cause.field
        elif isinstance(cause, NotJSONSafe):
            origin["field"] = field_path(cause.path)
        #: What the tool comes from: view, action, serializer, field (those known).
        self.origin = {key: value for key, value in origin.items() if value}
        super().__init__(self.describe())

    def describe(self) -> str:
        where = ", ".join(f"{key} {value}" for key, value in self.origin.items())
        inner = self.cause.cause if isinstance(self.cause, FieldSchemaError) else self.cause
        return (
            f"Tool {self.tool_name!r} left out of tools/list: {self.stage} failed"
            + (f" ({where})" if where else "")
            + f": {type(inner).__name__}: {inner}"
        )

    def result(self) -> CallToolResult:
        """The answer to a call: the cause stays in the server log."""
        return error_result(
            f"The tool {self.tool_name} is unavailable: the server could not build its "
            "definition, so it is not listed. The server log says why."
        )


class Tool:
    """Base class. Subclasses set the metadata and implement :meth:`call`."""

    name: str
    title: str | None = None
    description: str | None = None
    #: Whether calls answer as an SSE stream when the client accepts one (even without
    #: a progressToken): the tool sends notifications or asks the client for input.
    streams: bool = False
    #: The resource the tool acts on (the explorer lists tools under it), or None.
    group: str | None = None
    #: Whether a call may run as a task (the Tasks extension, ``contrib.tasks``):
    #: "forbidden" (never), "optional" (as a task when the client can receive one) or
    #: "required" (only as a task). ``task=`` of the decorators sets it.
    task_support: str = "forbidden"
    #: A task-capable function tool that runs synchronously until it calls
    #: ``mcp.defer()`` (asking for input first, answering at once when it can).
    task_prelude: bool = False

    def input_schema(self) -> Schema:
        return {"type": "object", "properties": {}}

    def output_schema(self) -> Schema | None:
        return None

    def annotations(self) -> ToolAnnotations | None:
        return None

    def origin(self) -> dict[str, str | None]:
        """Where the tool comes from, for messages about it (view, action, serializer)."""
        return {}

    def output_checker(self) -> Checker:
        """The compiled check of results against the tool's ``outputSchema`` (built once,
        with the listed definition). Raises :class:`ToolUnavailable`."""
        return self._prepared()[2]

    def unavailable(self) -> ToolUnavailable | None:
        """Why the tool is left out of ``tools/list``, or None when it is listed."""
        try:
            self._prepared()
        except ToolUnavailable as problem:
            return problem
        return None

    def listed_definition(self) -> dict[str, Any]:
        """The definition ``tools/list`` serves, built once (shared: do not change it).
        Raises :class:`ToolUnavailable`."""
        return self._prepared()[0]

    def encoded_definition(self) -> PreEncoded:
        """:meth:`listed_definition` encoded as JSON once. Raises :class:`ToolUnavailable`."""
        return self._prepared()[1]

    def _prepared(self) -> tuple[dict[str, Any], PreEncoded, Checker]:
        """The definition, its JSON encoding and the output check, made once per tool set;
        a failure at any stage is logged once and kept."""
        generation = definitions_generation()
        cached = self.__dict__.get("_prepared_definition")
        if cached is None or cached[0] != generation:
            with _preparing:
                cached = self.__dict__.get("_prepared_definition")
                if cached is None or cached[0] != generation:
                    outcome = self._prepare()
                    cached = (generation, outcome)
                    self.__dict__["_prepared_definition"] = cached
        outcome = cached[1]
        if isinstance(outcome, ToolUnavailable):
            raise outcome.with_traceback(None)
        prepared: tuple[dict[str, Any], PreEncoded, Checker] = outcome
        return prepared

    def _prepare(self) -> tuple[dict[str, Any], PreEncoded, Checker] | ToolUnavailable:
        stage = BUILDING
        try:
            raw = self.build_definition()
            stage = ENCODING
            definition = safe_definition(raw)
            encoded = PreEncoded(definition)
            stage = COMPILING
            checker = compile_schema(definition.get("outputSchema") or {})
        except Exception as exc:
            problem = ToolUnavailable(self, stage, exc)
            # One warning per tool and tool set; the traceback shows the code that failed
            # (for a value without JSON form the message says where it is).
            logger.warning("%s", problem, exc_info=not isinstance(exc, NotJSONSafe))
            return problem
        return definition, encoded, checker

    def definition(self) -> dict[str, Any]:
        """The ``tools/list`` entry, with every value JSON-safe (see ``schema.safe``)."""
        return safe_definition(self.build_definition())

    def build_definition(self) -> dict[str, Any]:
        """The entry as the tool's parts give it, before :func:`safe_definition`."""
        definition: dict[str, Any] = {"name": self.name}
        if self.title:
            definition["title"] = self.title
        if self.description:
            definition["description"] = self.description
        definition["inputSchema"] = params.declare(
            self.input_schema(), self.header_arguments(), self._header_problem
        )
        output = self.output_schema()
        if output is not None and not self.__dict__.get(OUTPUT_SCHEMA_WITHDRAWN):
            definition["outputSchema"] = output
        annotations = self.annotations()
        if annotations:
            definition["annotations"] = annotations
        return definition

    def header_arguments(self) -> dict[str, str]:
        """Arguments that Streamable HTTP clients also send as ``Mcp-Param-<name>`` headers
        (argument -> header name; ``x-mcp-header`` in the listed schema, core/params.py)."""
        return {}

    def _header_problem(self, problem: str) -> None:
        logger.warning("Tool %s: header argument left out: %s.", self.name, problem)

    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        raise NotImplementedError

    def withdraw_output_schema(self, problem: str) -> None:
        """A result broke the tool's own outputSchema: the result goes out as text alone (a
        success still, the data is the REST body) and the tool is listed without an
        outputSchema from now on, so that clients which list again expect no structured
        content from it. See docs/decisions.md, "A result that fails its own outputSchema"."""
        with _preparing:
            if self.__dict__.get(OUTPUT_SCHEMA_WITHDRAWN):
                return
            self.__dict__[OUTPUT_SCHEMA_WITHDRAWN] = True
            self.__dict__.pop("_prepared_definition", None)  # listed again without it
            definition_changed()  # the registry drops its encoded listings
        logger.error(
            "Result of %s does not match its outputSchema (%s): sent as text without "
            "structuredContent, and the tool is listed without an outputSchema until the "
            "tool set is rebuilt. Fix the declared schema or describe the field that renders "
            "otherwise (docs/schemas.md).",
            self.name,
            problem,
        )

    def visible_to(self, drf_request: Request) -> bool:
        """Whether ``tools/list`` shows the tool to this (authenticated) request."""
        return True


def negotiate(view: Any) -> None:
    """Content negotiation and the API version, as DRF's ``initial()`` sets them before any
    permission or handler runs: code such as ``get_serializer_context()`` reads
    ``request.accepted_media_type`` (Nautobot's does; without it every serializer, hence
    every schema and every visibility check, failed)."""
    request = view.request
    try:
        renderer, media_type = view.perform_content_negotiation(request, force=True)
    except Exception:
        pass
    else:
        request.accepted_renderer, request.accepted_media_type = renderer, media_type
    if "version" not in request.__dict__ and getattr(view, "versioning_class", None):
        with contextlib.suppress(Exception):
            request.version, request.versioning_scheme = view.determine_version(request)


def safe_definition(definition: dict[str, Any]) -> dict[str, Any]:
    """A tool definition with JSON values only: its schemas through
    :func:`~drf_mcp_bridge.schema.safe.safe_schema`, the rest (lazy titles and
    descriptions, annotations) through :func:`~drf_mcp_bridge.schema.safe.json_safe`.
    Raises :class:`~drf_mcp_bridge.schema.safe.NotJSONSafe`.
    """
    result: dict[str, Any] = {}
    for key, value in definition.items():
        if key in {"inputSchema", "outputSchema"}:
            result[key] = safe_schema(value, (key,))
        else:
            converted = json_safe(value, (key,))
            if converted is not SKIP:
                result[key] = converted
    return result


#: Which defaults a body advertises (see schema.fields.input_defaults), by HTTP method:
#: POST creates (serializer and model defaults), PUT replaces (only the serializer's), PATCH
#: changes what it is given (none). The CRUD actions follow their method.
BODY_DEFAULTS = {"post": "all", "put": "declared", "patch": "none"}
_BODY_DEFAULTS = {
    action: BODY_DEFAULTS[method]
    for action, method in {"create": "post", "update": "put", "partial_update": "patch"}.items()
}


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
        return _object_root(serializer_schema(_instance(declared), "output"))
    if serializer is None:
        return None
    item = serializer_schema(serializer, "output")
    return paginated_output_schema(view, item) if listing else _object_root(item)


#: The view methods that decide what each CRUD action answers (partial_update runs update).
ACTION_HANDLERS: dict[str, tuple[str, ...]] = {
    "list": ("list",),
    "retrieve": ("retrieve",),
    "create": ("create",),
    "update": ("update",),
    "partial_update": ("partial_update", "update"),
    "destroy": ("destroy",),
}


def own_handler(view_class: type[Any], names: Sequence[str]) -> str | None:
    """``Class.method`` for the first of ``names`` that the project's code, not DRF's,
    defines on the view; None when DRF's own methods answer. What an overridden handler
    answers (another serializer, a 204, an unpaginated list) is up to its code, so its
    tool gets no outputSchema unless one is declared: clients validate results against
    it, and the official SDKs raise on a result that does not match."""
    for name in names:
        for klass in view_class.__mro__:
            if name in vars(klass):
                # The function's module, not the class's: drf-spectacular's
                # extend_schema_view puts a wrapper of DRF's method on the class.
                function = inspect.unwrap(vars(klass)[name])
                module = getattr(function, "__module__", None) or klass.__module__
                package = str(module).split(".")[0]
                if package not in {"rest_framework", "adrf", "drf_spectacular"}:
                    return f"{klass.__qualname__}.{name}"
                break
    return None


def _object_root(schema: Schema) -> Schema:
    """An outputSchema is an object schema. A representation that may be no object (a
    serializer with its own to_representation) is sent as ``{"results": value}``."""
    if schema.get("type") == "object":
        return schema
    if not schema:
        return {"type": "object"}
    schema = dict(schema)
    definitions = schema.pop("$defs", None)  # "#/$defs/..." points at the root
    wrapped: Schema = {"type": "object", "properties": {"results": schema}, "required": ["results"]}
    if definitions:
        wrapped["$defs"] = definitions
    return wrapped


def optional_fields(output: Schema | None, listing: bool) -> Schema | None:
    """``output`` with no field of the items (of a list) or of the object (of a retrieve)
    required: a call that selects fields answers only those."""
    if output is None:
        return None
    output = copy.deepcopy(output)
    definitions = output.get("$defs") or {}

    def relax(schema: Any) -> None:
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            relax(definitions.get(ref[len("#/$defs/") :]))
            return
        schema.pop("required", None)

    if listing:
        for envelope in [output, *output.get("anyOf", [])]:
            results = (envelope.get("properties") or {}).get("results") if envelope else None
            if isinstance(results, dict):
                relax(results.get("items"))
    else:
        relax(output)
    return output


def is_file_schema(schema: Any) -> bool:
    """Whether an argument's schema is the file upload object of FileField/ImageField."""
    content = (schema.get("properties") or {}).get("content") if isinstance(schema, dict) else None
    return isinstance(content, dict) and content.get("contentEncoding") == "base64"


def _instance(serializer: Any) -> Any:
    """A serializer instance from a class or an instance."""
    return serializer() if isinstance(serializer, type) else serializer


class DRFViewTool(Tool):
    """One HTTP method of a DRF view as a tool: a ViewSet action (:class:`ViewSetActionTool`)
    or an ``APIView``'s handler (:class:`~drf_mcp_bridge.catalogue.apiviews.APIViewTool`).

    It owns what both do alike: the view instance its schemas are read from, the serializer
    lookup, the schemas' cache, which users see it, its parsers' media types, its file
    arguments, its description (through the :class:`~.describe.ToolDescriber`) and its call.
    A subclass says how it differs, in these hooks: :meth:`new_view` (an instance of its
    view for this method), :attr:`source_view`, :attr:`key`, :attr:`options`,
    :attr:`version`, :attr:`takes_no_serializer`, :meth:`declares_no_body`, :meth:`needs_its_url`,
    :meth:`_build_schemas` and :meth:`invoke`; its route it finds in the URLconf through
    :mod:`drf_mcp_bridge.invocation.routes`.
    """

    view_class: type[Any]
    method: str
    #: The operation's name in origin() and messages: the action (its key), or the method.
    key: str
    #: ``@mcp_action`` options of a ViewSet action, ``@mcp_view`` ones of a view.
    options: dict[str, Any]
    _schemas: tuple[Schema, Schema | None, dict[str, str]] | None = None

    # hooks --------------------------------------------------------------------------
    def new_view(self) -> Any:
        """A fresh instance of the view, set up for this operation (no request yet)."""
        raise NotImplementedError

    @property
    def source_view(self) -> type[Any]:
        """The class the project registered, for messages, docstrings and its model (calls
        may run an MCP-only subclass of it, :attr:`view_class`)."""
        return self.view_class

    @property
    def version(self) -> str | None:
        """The API version the view is introspected and called with (None: the default)."""
        return None

    @property
    def takes_no_serializer(self) -> bool:
        """Whether the operation reads and writes no serializer whatever the view has (a
        ViewSet's destroy and metadata, a view's DELETE)."""
        return False

    def declares_no_body(self, view: Any) -> bool:
        """Whether the operation is declared to take no body (``@extend_schema(request=None)``)."""
        return False

    def needs_its_url(self) -> bool:
        """Whether what a caller may do depends on URL parameters a listing has not got (a
        parent's, ``events/<slug:event>/rooms/``): then it is listed to everyone and every
        call runs the view's permissions on its real URL, as REST does."""
        return False

    def _build_schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        raise NotImplementedError

    def invoke(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        """Run the view for a call (the definition is known to be available)."""
        raise NotImplementedError

    # the description ----------------------------------------------------------------
    def _describe(self, describer: Any = None) -> None:
        """Title and description from ``describer`` (a registration's: a class or a dotted
        path), else the ``TOOL_DESCRIBER`` setting's, which also gives the annotations."""
        try:
            chosen = describer_class(describer)
        except ImproperlyConfigured as wrong:
            # Reported by system check E017; the tools stay listed with the default
            # descriptions meanwhile (logged once per wrong value, not once per tool).
            if str(wrong) not in _REPORTED_DESCRIBERS:
                _REPORTED_DESCRIBERS.add(str(wrong))
                logger.warning("%s The default describer is used.", wrong)
            chosen = ToolDescriber
        self.describer: ToolDescriber = chosen(self)
        self.title = self._described("title")
        self.description = self._described("description")

    def _described(self, part: str) -> Any:
        """One part from the describer; the default's when a project's describer fails
        (logged: the tool stays listed)."""
        try:
            return getattr(self.describer, part)()
        except Exception:
            if type(self.describer) is ToolDescriber:
                raise
            logger.warning(
                "%s.%s() failed for tool %s; the default is used.",
                dotted_name(type(self.describer)),
                part,
                self.name,
                exc_info=True,
            )
            return getattr(ToolDescriber(self), part)()

    def annotations(self) -> ToolAnnotations:
        return cast(ToolAnnotations, self._described("annotations"))

    def requirement_notes(self) -> list[str]:
        """What the view's permissions require, as sentences for the description."""
        try:
            found = self.introspection_view().get_permissions()
        except Exception:
            return []
        return requirement_notes(found, self.method, _model_of(self.source_view))

    # the view -----------------------------------------------------------------------
    def introspection_view(self) -> Any:
        """A view instance set up as for an anonymous request to this operation."""
        django_request = RequestFactory().generic(self.method.upper(), "/")
        django_request.user = AnonymousUser()
        view = self.new_view()
        view.args, view.kwargs, view.format_kwarg, view.headers = (), {}, None, {}
        view.request = Request(django_request, parsers=view.get_parsers(), authenticators=())
        versioning_class = getattr(view, "versioning_class", None)
        if versioning_class is not None:
            # get_serializer_class() often reads request.version: describe the version
            # calls will use.
            scheme = versioning_class()
            view.request.versioning_scheme = scheme
            view.request.version = self.version or scheme.default_version
        negotiate(view)
        return view

    def serializer(self, view: Any) -> Any:
        """The serializer the operation reads and writes: ``serializer=`` declared on the
        tool, else the view's (``get_serializer()``); None when it has none."""
        declared = self.options.get("serializer")
        if declared is not None:
            return _instance(declared)
        if not hasattr(view, "get_serializer") or self.takes_no_serializer:
            return None
        try:
            return view.get_serializer()
        except Exception:
            logger.warning(
                "%s.get_serializer() failed for %r; the tool schema is permissive.",
                self.source_view.__name__,
                self.key,
                exc_info=True,
            )
            return None

    def serializer_name(self) -> str | None:
        """The dotted path of the serializer class the operation uses (no instance is
        made, so a failing serializer can still be named)."""
        declared = self.options.get("serializer")
        if declared is not None:
            cls = declared if isinstance(declared, type) else type(declared)
        elif self.takes_no_serializer:
            return None
        else:
            try:
                cls = self.introspection_view().get_serializer_class()
            except Exception:
                return None
        return dotted_name(cls) if isinstance(cls, type) else None

    def origin(self) -> dict[str, str | None]:
        return {
            "view": dotted_name(self.source_view),
            "action": self.key,
            "serializer": self.serializer_name(),
        }

    def _per_tool_set(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per tool set (a view registered once outlives tool sets)."""
        generation = definitions_generation()
        cached = self.__dict__.get(name)
        if cached is None or cached[0] != generation:
            cached = (generation, compute())
            self.__dict__[name] = cached
        return cached[1]

    def header_arguments(self) -> dict[str, str]:
        """``@mcp_action(header_arguments=)`` / ``@mcp_view(header_arguments=)``."""
        return dict(self.options.get("header_arguments") or {})

    @property
    def task_support(self) -> str:  # type: ignore[override]
        """``@mcp_action(task=)``, ``@mcp_view(tasks=)``, ``MCPToolConfig(tasks=)``."""
        found = self.options.get("task")
        if found is None:
            registration = getattr(self, "registration", None)
            found = (getattr(registration, "tasks", None) or {}).get(getattr(self, "key", ""))
        return str(found or "forbidden")

    def parser_media_types(self) -> list[str]:
        """Media types of the view's parsers, in preference order."""

        def media_types() -> list[str]:
            try:
                parsers = self.introspection_view().get_parsers()
            except Exception:
                parsers = []
            return [str(getattr(p, "media_type", "")) for p in parsers]

        found: list[str] = self._per_tool_set("_parser_media_types", media_types)
        return found

    # schemas ------------------------------------------------------------------------
    def schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        if self._schemas is None:
            self._schemas = self._build_schemas()
        return self._schemas

    def input_schema(self) -> Schema:
        return self.schemas()[0]

    def output_schema(self) -> Schema | None:
        return self.schemas()[1]

    def file_arguments(self) -> list[str]:
        """Arguments that carry a file upload ({"filename", "content" in base64})."""
        found: list[str] | None = self.__dict__.get("_file_arguments")
        if found is None:
            properties = self.input_schema().get("properties", {})
            found = [name for name, schema in properties.items() if is_file_schema(schema)]
            self.__dict__["_file_arguments"] = found
        return found

    def needs_declared_schema(self) -> bool:
        """A method with a body (POST/PUT/PATCH) and nothing to describe it: no serializer
        and no declared ``input_schema``."""
        if self.method not in BODY_DEFAULTS or self.options.get("input_schema") is not None:
            return False
        view = self.introspection_view()
        if self.declares_no_body(view):
            return False
        return self.serializer(view) is None

    # listing and calls --------------------------------------------------------------
    def visible_to(self, drf_request: Request) -> bool:
        open_to_all: bool = self._per_tool_set(
            "_unrestricted", lambda: unrestricted(self.view_class, self.introspection_view())
        )
        if open_to_all or self.needs_its_url():
            return True
        view = self.new_view()
        view.args, view.kwargs, view.format_kwarg = (), {}, None
        request = as_method(drf_request, self.method)
        view.request = request
        negotiate(view)
        return permissions_pass(view, request, self.name)

    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        unavailable = self.unavailable()
        if unavailable is not None:
            return unavailable.result()
        return self.invoke(arguments, context)


class ViewSetActionTool(DRFViewTool):
    """One action of a registered ViewSet, run through the real DRF view."""

    def __init__(self, registration: ViewSetRegistration, operation: Operation) -> None:
        self.registration = registration
        self.viewset = registration.viewset
        #: The class tool calls run: the ViewSet, or its MCP-only override subclass.
        self.view_class = mcp_viewset_class(registration)
        self.operation = operation
        self.options = operation.options
        self.key = operation.key
        self.action = operation.action
        self.method = operation.method
        self.detail = operation.detail
        #: Filters and paginates like ``list``: takes its query parameters and envelope.
        self.listing = (self.action == "list" and not operation.extra) or bool(
            self.options.get("listing")
        )
        self.name = registration.tool_name(operation.key)
        self.resource = registration.resource_name()
        self.group = self.resource
        self._describe(getattr(registration, "describer", None))

    # hooks --------------------------------------------------------------------------
    def new_view(self) -> Any:
        view = self.view_class(action_map={self.method: self.action}, **self.initkwargs)
        view.action = self.action
        return view

    @property
    def source_view(self) -> type[Any]:
        return self.viewset

    @property
    def version(self) -> str | None:
        return self.registration.version

    @property
    def takes_no_serializer(self) -> bool:
        # metadata answers DRF's metadata, not the serializer's data.
        return self.action == "destroy" or self.method == "options"

    def declares_no_body(self, view: Any) -> bool:
        return self.operation.extra and self.action_body(view)[0] == "none"

    def needs_its_url(self) -> bool:
        return bool(self.path_arguments())

    def invoke(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        chosen, refused = self.chosen_fields(arguments)
        if refused is not None:
            return refused
        return invoke_viewset_action(self, chosen, context)

    @property
    def result_text_format(self) -> str | None:
        """``@mcp_action(result_text_format=)`` (the registration's is read after it)."""
        found = self.options.get("result_text_format")
        return None if found is None else str(found)

    # the route ----------------------------------------------------------------------
    @property
    def initkwargs(self) -> dict[str, Any]:
        """What ``@action(...)`` passes to the view (serializer_class, permission_classes...)."""
        return dict(getattr(self.operation.function, "kwargs", None) or {})

    def path_arguments(self) -> dict[str, Schema]:
        """The route's URL parameters other than the lookup and the URL version: a nested
        router's parents ("event" in ``events/<slug:event>/rooms/``), required arguments
        that fill the URL as they do for REST."""
        found: dict[str, Schema] | None = self.__dict__.get("_path_arguments")
        if found is not None:
            return found
        route = self.endpoint_route()
        skip = {self.version_param}
        if self.detail:
            skip.add(self.lookup_argument)
        found = {}
        if route is not None:
            for name, converter in routes.path_converters(route.route).items():
                if name in skip:
                    continue
                found[name] = {
                    "type": "integer" if converter == "int" else "string",
                    "description": f"The {name.replace('_', ' ')} in the URL.",
                }
        self.__dict__["_path_arguments"] = found
        return found

    def endpoint_route(self, version: str | None = None) -> Any:
        """The route a call of this tool goes to (metadata: OPTIONS on the list route, as
        a client would), under the URL namespace of ``version`` when there is one."""
        if self.method == "options":
            route = routes.find_route(self.viewset, "list", "get", version)
            return route or routes.find_route(self.viewset, "create", "post", version)
        return routes.find_route(self.viewset, self.action, self.method, version)

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

    @property
    def version_param(self) -> str:
        """The URL/query parameter the ViewSet's versioning scheme reads ("version")."""
        scheme = getattr(self.viewset, "versioning_class", None)
        return str(getattr(scheme, "version_param", "version"))

    @property
    def lookup_argument(self) -> str:
        # A plain ViewSet has no lookup_field; DRF's routers then use "pk".
        lookup_field = getattr(self.viewset, "lookup_field", "pk")
        return str(getattr(self.viewset, "lookup_url_kwarg", None) or lookup_field)

    # schemas ------------------------------------------------------------------------
    def action_body(self, view: Any) -> tuple[str, Any]:
        """How the body of an ``@action`` is known, and its serializer:

        * ``("declared", serializer)``: the action has a serializer of its own —
          ``@action(serializer_class=...)``, ``@mcp_action(schema_serializer=...)`` or
          ``(serializer_class=...)``, an override for the action, drf-spectacular's
          ``@extend_schema(request=...)``, or a ``get_serializer_class()`` that answers
          another class than the ViewSet's for it;
        * ``("none", None)``: ``@extend_schema(request=None)``, no body;
        * ``("guessed", serializer)``: only the ViewSet's serializer (None without one),
          which nothing says the action reads.
        """
        from rest_framework.serializers import BaseSerializer

        options = self.options
        serializer = self.serializer(view)
        per_action = self.registration.action_overrides.get(self.action, {})
        if (
            options.get("serializer") is not None
            or options.get("serializer_class") is not None
            or "serializer_class" in self.initkwargs
            or "serializer_class" in per_action
        ):
            return "declared", serializer
        found = schema_source().declared_request(view, self.operation.function, self.method)
        if found is None:
            return "none", None
        if found is not NOT_DECLARED:
            if isinstance(found, type) and issubclass(found, BaseSerializer):
                found = _instance(found)
            return "declared", found if isinstance(found, BaseSerializer) else serializer
        default = self.registration.overrides.get("serializer_class") or getattr(
            self.viewset, "serializer_class", None
        )
        if serializer is not None and type(serializer) is not default:
            return "declared", serializer
        return "guessed", serializer

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
            singular, _ = resource_nouns(self.viewset, self.resource)
            schema["description"] = f"The {lookup_field} of the {singular}."
        return schema

    def _build_schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        view = self.introspection_view()
        properties: Schema = {}
        required: list[str] = []
        query_arguments: dict[str, str] = {}  # argument name → query parameter name
        input_description: str | None = None
        definitions: Schema | None = None
        for name, schema in self.path_arguments().items():
            properties[name] = schema
            required.append(name)
        if self.detail:
            properties[self.lookup_argument] = self._lookup_schema()
            required.append(self.lookup_argument)
        output: Schema | None = None
        options = self.options
        serializer = self.serializer(view)
        body_kind = _BODY_DEFAULTS.get(self.action) if not self.operation.extra else None
        if self.method == "options":
            serializer = None  # the answer is DRF's metadata, not the serializer's data
        if self.operation.extra and self.method in {"post", "put", "patch"}:
            body_kind = BODY_DEFAULTS[self.method]
            if options.get("input_schema") is None:
                how, serializer = self.action_body(view)
                if how == "none":
                    body_kind = None  # @extend_schema(request=None): no body arguments
                elif how == "guessed":
                    # Only the ViewSet's serializer, which the action may not read at all:
                    # its fields are offered, none is required (check W033 says so).
                    body_kind = "none"
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
        source = schema_source()  # drf-spectacular's declarations (contrib), else none
        function = source.operation_function(self.operation)
        for name, schema_of, needed in source.declared_parameters(view, function, self.method):
            # @extend_schema(parameters=[OpenApiParameter(...)]): declared over discovered.
            known = next((a for a, q in query_arguments.items() if q == name), None)
            if schema_of is None:  # OpenApiParameter(exclude=True)
                if known is not None:
                    del query_arguments[known], properties[known]
                    required[:] = [n for n in required if n != known]
                continue
            argument = known or query_argument_name(name, set(properties))
            query_arguments[argument] = name
            properties[argument] = schema_of
            if needed and argument not in required:
                required.append(argument)
        describe = listing or not self.operation.extra
        if not self.operation.extra and own_handler(
            self.viewset, ACTION_HANDLERS.get(self.action, (self.action,))
        ):
            describe = False  # the project's own list()/create()... answers what it likes
        output_serializer = serializer if describe else None
        declared_output = options.get("output_schema")
        response: Any = NOT_DECLARED
        if declared_output is None and self.method != "options":
            response = source.declared_response(view, function, self.method)
            if isinstance(response, dict):
                declared_output = response
            elif response is not None and response is not NOT_DECLARED:
                if listing and getattr(response, "many", False):
                    response = response.child  # the envelope lists the items
                output_serializer = response
        output = result_schema(declared_output, output_serializer, view, listing)
        if response is None:
            output = None  # @extend_schema(responses=None): no body to describe
        generated = self._generated_schemas(view, function)
        if generated is not None:
            uploads = any(is_file_schema(s) for s in properties.values())  # kept as objects
            if generated.body is not None and not uploads:
                lookup = {k: properties[k] for k in properties if k == self.lookup_argument}
                properties = {**lookup, **generated.body}
                required = [*lookup, *(n for n in generated.body_required if n not in lookup)]
                input_description, definitions = generated.body_description, None
            elif generated.body is None and self.method in {"post", "put", "patch"}:
                properties = {k: properties[k] for k in properties if k == self.lookup_argument}
                required = [n for n in required if n in properties]
                input_description, definitions = None, None
            for argument in query_arguments:
                properties.pop(argument, None)
                required = [n for n in required if n != argument]
            query_arguments = {}
            for name, schema_of, needed in generated.query:
                argument = query_argument_name(name, set(properties))
                query_arguments[argument] = name
                properties[argument] = schema_of
                if needed:
                    required.append(argument)
            if listing and describe and generated.items is not None:
                output = paginated_output_schema(view, generated.items)
            elif describe or response is not NOT_DECLARED:
                output = generated.output
        fields = self._field_selection(view, serializer, properties, query_arguments)
        if fields:
            output = optional_fields(output, listing)
        self.__dict__["_field_arguments"] = fields
        schema = arguments_schema(properties, required, input_description, definitions)
        return schema, output, query_arguments

    # sparse fields ------------------------------------------------------------------
    def selects_fields(self) -> bool:
        """List and retrieve tools (and listing actions) offer sparse fields when the
        serializer reads them (see :func:`~drf_mcp_bridge.schema.sources.field_selection`)."""
        return self.method == "get" and (
            self.listing or (self.action == "retrieve" and not self.operation.extra)
        )

    def default_fields(self) -> list[str]:
        """The MCP-only default field set of this action (``default_fields=``)."""
        return list(getattr(self.registration, "default_fields", {}).get(self.key) or [])

    def _field_selection(
        self,
        view: Any,
        serializer: Any,
        properties: Schema,
        query_arguments: dict[str, str],
    ) -> dict[str, tuple[str, list[str]]]:
        """Add the ``fields``/``omit`` arguments of a serializer with sparse fields;
        answers argument → ("fields" or "omit", the field names it takes)."""
        if serializer is None or not self.selects_fields():
            return {}
        parameters = field_selection(serializer)
        if parameters is None:
            return {}
        try:
            names = [n for n, f in serializer.fields.items() if not f.write_only]
        except Exception:  # a serializer whose fields cannot be built offers none
            return {}
        if not names:
            return {}
        noun = resource_nouns(self.viewset, self.resource)[0]
        defaults = [n for n in self.default_fields() if n in names]
        found: dict[str, tuple[str, list[str]]] = {}
        for kind, parameter in zip(("fields", "omit"), parameters, strict=True):
            if not parameter:
                continue
            known = next((a for a, q in query_arguments.items() if q == parameter), None)
            argument = known or query_argument_name(parameter, set(properties))
            if kind == "fields":
                text = f"Only these fields of each {noun} (default: every field)."
                if defaults:
                    text = (
                        f"Only these fields of each {noun}. Default: {', '.join(defaults)}; "
                        f"name the fields you need, or send {parameter!r} for every field "
                        "but some."
                    )
                schema: Schema = {"minItems": 1}
            else:
                text = f"Leave these fields of each {noun} out."
                if defaults:
                    text += " An empty list gives every field."
                schema = {}
            properties[argument] = {
                "type": "array",
                "items": {"type": "string", "enum": names},
                "uniqueItems": True,
                **schema,
                "description": text,
            }
            query_arguments[argument] = parameter
            found[argument] = (kind, names)
        return found

    def field_arguments(self) -> dict[str, tuple[str, list[str]]]:
        self.schemas()
        found: dict[str, tuple[str, list[str]]] = self.__dict__.get("_field_arguments") or {}
        return found

    def chosen_fields(
        self, arguments: dict[str, Any]
    ) -> tuple[dict[str, Any], CallToolResult | None]:
        """The arguments with ``fields``/``omit`` as the view reads them (comma-separated
        names), checked against the serializer's fields, and the registration's default
        field set when the model named none; or the tool error for a wrong value."""
        found = self.field_arguments()
        if not found:
            return arguments, None
        chosen = dict(arguments)
        for argument, (kind, names) in found.items():
            if argument not in chosen:
                continue
            value = chosen[argument]
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
                return arguments, error_result(
                    f"Argument {argument!r} is a list of field names, e.g. "
                    f"{json.dumps(names[:2])}; not {json.dumps(value, default=str)[:200]}."
                )
            picked = list(dict.fromkeys(n.strip() for v in items for n in v.split(",")))
            picked = [n for n in picked if n]
            unknown = [n for n in picked if n not in names]
            if unknown:
                return arguments, error_result(
                    f"Unknown field(s) in {argument!r}: {', '.join(unknown)}. "
                    f"{self.name} has the fields: {', '.join(names)}."
                )
            if kind == "fields" and not picked:
                return arguments, error_result(
                    f"Argument {argument!r} names no field; name at least one, or leave it out."
                )
            if picked:
                chosen[argument] = ",".join(picked)
            else:
                del chosen[argument]
        fields_argument = next((a for a, (k, _n) in found.items() if k == "fields"), None)
        defaults = []
        if fields_argument is not None:
            defaults = [n for n in self.default_fields() if n in found[fields_argument][1]]
        if defaults and fields_argument and not any(a in arguments for a in found):
            chosen[fields_argument] = ",".join(defaults)
        return chosen, None

    def _generated_schemas(self, view: Any, function: Any) -> Any:
        """With ``SCHEMA_SOURCE = "spectacular"``: the operation drf-spectacular generates
        (None otherwise, for OPTIONS, or for schemas declared with ``@mcp_action``)."""
        options = self.options
        if mcp_settings.SCHEMA_SOURCE != "spectacular" or self.method == "options":
            return None
        if options.get("input_schema") is not None or options.get("output_schema") is not None:
            return None
        lookup = self.lookup_argument if self.detail else None
        return schema_source().operation_schemas(view, function, self.method, lookup, self.listing)


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
    would (:func:`~drf_mcp_bridge.invocation.call_transaction`), rolled back when it fails.
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
        header_arguments: dict[str, str] | None = None,
        task: str | None = None,
        task_prelude: bool = False,
    ) -> None:
        self.func = func
        self._header_arguments = dict(header_arguments or {})
        self.task_support = task_support_value(task)
        self.task_prelude = bool(task_prelude)
        if self.task_prelude and self.task_support == "forbidden":
            raise ImproperlyConfigured(
                f"Tool {name or func.__name__}: task_prelude=True needs task='optional' or "
                "task='required'."
            )
        self.name = name or func.__name__
        self.title = title
        self.description = description or _docstring(func)
        self._signature = inspect.signature(func)
        self._wants_request = "request" in self._signature.parameters
        #: A parameter named ``mcp`` receives the :class:`~drf_mcp_bridge.calls.CallContext`
        #: (progress, logs, elicitation, sampling); such a tool answers as an SSE stream when
        #: the client accepts one.
        self.streams = "mcp" in self._signature.parameters
        if self.task_prelude and not self.streams:
            raise ImproperlyConfigured(
                f"Tool {self.name}: task_prelude=True needs a parameter named mcp (it "
                "calls mcp.defer())."
            )
        self._input_schema = input_schema or self._schema_from_signature()
        self._output_schema = output_schema
        self._annotations = annotations

    def header_arguments(self) -> dict[str, str]:
        return self._header_arguments

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

    def origin(self) -> dict[str, str | None]:
        module = getattr(self.func, "__module__", None)
        qualname = getattr(self.func, "__qualname__", None) or self.name
        return {"function": f"{module}.{qualname}" if module else qualname}

    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        unavailable = self.unavailable()
        if unavailable is not None:
            return unavailable.result()
        accepted = {
            n
            for n, p in self._signature.parameters.items()
            if p.kind not in {p.VAR_POSITIONAL, p.VAR_KEYWORD} and n not in _INJECTED
        }
        takes_any = any(p.kind == p.VAR_KEYWORD for p in self._signature.parameters.values())
        unknown = sorted(set(arguments) - accepted) if not takes_any else []
        if unknown:
            return unknown_arguments(unknown, sorted(accepted))
        missing = [n for n in self._input_schema.get("required", []) if n not in arguments]
        if missing:
            return error_result(f"Missing required argument(s): {', '.join(missing)}.")
        checker = self.__dict__.get("_input_checker")
        if checker is None:  # compiled once (the schema is fixed when the tool is made)
            checker = self.__dict__["_input_checker"] = compile_schema(self._input_schema)
        problem = checker(arguments)
        if problem is not None:
            problem = f"arguments{problem}"
            return error_result(f"Invalid arguments: {problem}. Fix them and call again.")
        kwargs = dict(arguments)
        if self._wants_request:
            kwargs["request"] = context.http_request
        if self.streams:
            kwargs["mcp"] = current_call()

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
        except JSONRPCError:
            raise  # a protocol error the tool answers with (the call's JSON-RPC error)
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
        try:
            # Lazy strings, Decimals, dates, UUIDs, enums, sets: as DRF would send them.
            value = json_safe(original := value)
        except NotJSONSafe as problem:
            logger.error("Tool %s returned a value without JSON form: %s", self.name, problem)
            return error_result(
                f"The tool {self.name} failed with an internal error; the server log has details."
            )
        if isinstance(value, dict) and "content" in value:
            result: CallToolResult = value  # type: ignore[assignment]
            return result
        if isinstance(value, str):
            return {"content": [{"type": "text", "text": value}]}
        if isinstance(value, list) and all(isinstance(v, dict) and "type" in v for v in value):
            return {"content": value}
        if value is SKIP:  # bytes or a non-finite number: no JSON form, its text
            return {"content": [{"type": "text", "text": str(original)}]}
        text = json.dumps(value, separators=(",", ":"))
        if isinstance(value, dict):
            return {"content": [{"type": "text", "text": text}], "structuredContent": value}
        return {"content": [{"type": "text", "text": text}]}
