"""Tools for ``APIView`` and generic views (``ListCreateAPIView``...): one tool per HTTP
method, registered explicitly with :func:`mcp_view`.

The view is found in the URLconf (the route whose ``as_view()`` callable has this view
class); its path parameters become required arguments, and the call runs the real view
through the URLconf exactly as an HTTP request would, like ViewSet tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser
from django.test.client import RequestFactory
from rest_framework.request import Request

from ..core.types import CallToolResult, ToolAnnotations
from ..invocation.permissions import as_method, permissions_pass, requirement_notes
from ..invocation.routes import ViewRoute, find_view_route, generic_action
from ..invocation.run import invoke_api_view
from ..schema.fields import Schema, dotted_name, input_defaults, serializer_schema
from ..schema.parameters import list_query_parameters
from .tools import (
    ACTION_HANDLERS,
    BODY_DEFAULTS,
    Tool,
    UploadArguments,
    _instance,
    _own_docstring,
    arguments_schema,
    method_annotations,
    method_docstring,
    negotiate,
    own_handler,
    query_argument_name,
    result_schema,
)

if TYPE_CHECKING:
    from ..core.context import RequestContext

T = TypeVar("T", bound=type[Any])

#: Methods that carry a body, and which defaults their input schemas advertise.
_BODY_DEFAULTS = BODY_DEFAULTS


class APIViewTool(UploadArguments, Tool):
    """One HTTP method of an ``APIView`` (or generic view) as a tool."""

    def __init__(self, view_class: type[Any], method: str, name: str, options: Mapping[str, Any]):
        self.view_class = view_class
        self.method = method.lower()
        self.name = name
        self.options = dict(options)
        self.group = self.options.get("group")
        self.title = self.options.get("title") or name.replace("_", " ").capitalize()
        # Docstrings written for the model only: not DRF's ("Concrete view for listing a
        # queryset."), not "Override the GET method to ..." notes.
        self.description = (
            self.options.get("description")
            or method_docstring(view_class, self.method)
            or _own_docstring(view_class)
            or f"{self.method.upper()} {view_class.__name__}."
        )
        self._schemas: tuple[Schema, Schema | None, dict[str, str]] | None = None

        try:
            found = self.introspection_view().get_permissions()
        except Exception:
            found = []
        model = getattr(getattr(view_class, "queryset", None), "model", None)
        notes = requirement_notes(found, self.method, model)
        if notes:
            self.description = " ".join([str(self.description), *notes])

    def visible_to(self, drf_request: Request) -> bool:
        view = self.view_class()
        view.args, view.kwargs, view.format_kwarg = (), {}, None
        request = as_method(drf_request, self.method)
        view.request = request
        negotiate(view)
        return permissions_pass(view, request, self.name)

    # what ViewSet-tool code (invocation, results) also reads ------------------------
    @property
    def listing(self) -> bool:
        if "listing" in self.options:
            return bool(self.options["listing"])
        if self.method != "get":
            return False
        action = generic_action(self.view_class, "get", self._detail())
        if action is not None:
            # A ListAPIView under a parent's path parameter ("products/<pk>/stockrecords/")
            # still lists: the generic class tells, not the route.
            return action == "list"
        return hasattr(self.view_class, "list") and not self._detail()

    def route(self) -> ViewRoute | None:
        return find_view_route(self.view_class, url_name=self.options.get("url_name"))

    def _detail(self) -> bool:
        route = self.route()
        return bool(route and route.path_kwargs)

    def annotations(self) -> ToolAnnotations:
        declared = cast(ToolAnnotations, self.options.get("annotations") or {})
        return method_annotations(self.title or self.name, self.method, declared)

    # schemas --------------------------------------------------------------------------
    def introspection_view(self) -> Any:
        request = RequestFactory().generic(self.method.upper(), "/")
        request.user = AnonymousUser()
        view = self.view_class()
        view.args, view.kwargs, view.format_kwarg, view.headers = (), {}, None, {}
        view.request = Request(request, parsers=view.get_parsers(), authenticators=())
        negotiate(view)
        return view

    def serializer(self, view: Any) -> Any:
        declared = self.options.get("serializer")
        if declared is not None:
            return _instance(declared)
        if not hasattr(view, "get_serializer"):
            return None
        try:
            return view.get_serializer()
        except Exception:
            return None

    def schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        if self._schemas is None:
            self._schemas = self._build_schemas()
        return self._schemas

    def _build_schemas(self) -> tuple[Schema, Schema | None, dict[str, str]]:
        view = self.introspection_view()
        properties: Schema = {}
        required: list[str] = []
        query_arguments: dict[str, str] = {}
        route = self.route()
        for name, converter in (route.path_kwargs if route else {}).items():
            kind = "integer" if converter == "int" else "string"
            properties[name] = {"type": kind}
            required.append(name)
        serializer = self.serializer(view)
        declared = self.options.get("input_schema")
        definitions = None
        if declared is not None:
            for name, value in declared.get("properties", {}).items():
                properties.setdefault(name, value)
            required.extend(n for n in declared.get("required", []) if n not in required)
        elif serializer is not None and self.method in _BODY_DEFAULTS:
            with input_defaults(_BODY_DEFAULTS[self.method]):
                body = serializer_schema(serializer, "input")
            for name, value in body.get("properties", {}).items():
                properties.setdefault(name, value)
            if self.method != "patch":
                required.extend(n for n in body.get("required", []) if n not in required)
            definitions = body.get("$defs")
        if self.listing:
            for name, value in list_query_parameters(view)[0].items():
                argument = query_argument_name(name, set(properties))
                properties[argument] = value
                query_arguments[argument] = name
        describe = self.method != "delete" and not own_handler(self.view_class, self._handlers())
        output = result_schema(
            self.options.get("output_schema"),
            serializer if describe else None,
            view,
            self.listing,
        )
        schema = arguments_schema(properties, required, None, definitions)
        if declared is None and serializer is None and self.method in _BODY_DEFAULTS:
            # A body nothing describes (check W030): whatever the model sends goes in it,
            # and the view's own validation answers, as over REST.
            schema["additionalProperties"] = True
            schema["description"] = (
                "The request body's fields are not described (the view declares no "
                "serializer); send the fields the description names."
            )
        return schema, output, query_arguments

    def _handlers(self) -> tuple[str, ...]:
        """The view methods that decide what this method answers: the handler (``get``)
        and, for a generic view, the mixin method it runs (``list``, ``retrieve``...)."""
        action = generic_action(self.view_class, self.method, self._detail())
        if self.method == "get" and action is not None:
            action = "list" if self.listing else action
        return (self.method, *ACTION_HANDLERS.get(action or "", ()))

    def input_schema(self) -> Schema:
        return self.schemas()[0]

    def output_schema(self) -> Schema | None:
        return self.schemas()[1]

    def parser_media_types(self) -> list[str]:
        try:
            return [str(p.media_type) for p in self.introspection_view().get_parsers()]
        except Exception:
            return []

    def needs_declared_schema(self) -> bool:
        """A method with a body whose view has no serializer and no declared schema."""
        if self.method not in _BODY_DEFAULTS or "input_schema" in self.options:
            return False
        return self.serializer(self.introspection_view()) is None

    def origin(self) -> dict[str, str | None]:
        declared = self.options.get("serializer")
        cls: Any = None
        if declared is not None:
            cls = declared if isinstance(declared, type) else type(declared)
        elif self.method != "delete":
            try:
                cls = self.introspection_view().get_serializer_class()
            except Exception:
                cls = None
        serializer = dotted_name(cls) if isinstance(cls, type) else None
        view = dotted_name(self.view_class)
        return {"view": view, "action": self.method, "serializer": serializer}

    def call(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        unavailable = self.unavailable()
        if unavailable is not None:
            return unavailable.result()
        return invoke_api_view(self, arguments, context)
