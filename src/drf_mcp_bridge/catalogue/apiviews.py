"""Tools for ``APIView`` and generic views (``ListCreateAPIView``...): one tool per HTTP
method, registered explicitly with :func:`mcp_view`.

The view is found in the URLconf (the route whose ``as_view()`` callable has this view
class); its path parameters become required arguments, and the call runs the real view
through the URLconf exactly as an HTTP request would, like ViewSet tools.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..core.types import CallToolResult
from ..invocation.routes import ViewRoute, find_view_route, generic_action
from ..invocation.run import invoke_api_view
from ..schema.fields import Schema, input_defaults, serializer_schema
from ..schema.parameters import list_query_parameters
from .tools import (
    ACTION_HANDLERS,
    BODY_DEFAULTS,
    DRFViewTool,
    arguments_schema,
    own_handler,
    query_argument_name,
    result_schema,
)

if TYPE_CHECKING:
    from ..core.context import RequestContext


class APIViewTool(DRFViewTool):
    """One HTTP method of an ``APIView`` (or generic view) as a tool."""

    def __init__(
        self,
        view_class: type[Any],
        method: str,
        name: str,
        options: Mapping[str, Any],
        registration: Any = None,
    ) -> None:
        self.view_class = view_class
        self.method = self.key = method.lower()
        self.name = name
        self.options = dict(options)
        self.group = self.options.get("group")
        # The describer: the registration's (expose_urls), else @mcp_view's, else the setting.
        self._describe(getattr(registration, "describer", None) or self.options.get("describer"))
        #: How its responses become results (invocation.renderers.renderer_for reads it).
        self.result_renderer = getattr(registration, "result_renderer", None) or self.options.get(
            "result_renderer"
        )
        #: The text of its list results (invocation.renderers.text_format_for reads it).
        self.result_text_format = getattr(
            registration, "result_text_format", None
        ) or self.options.get("result_text_format")

    # hooks --------------------------------------------------------------------------
    def new_view(self) -> Any:
        return self.view_class()

    @property
    def takes_no_serializer(self) -> bool:
        return self.method == "delete"

    def invoke(self, arguments: dict[str, Any], context: RequestContext) -> CallToolResult:
        return invoke_api_view(self, arguments, context)

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
        elif serializer is not None and self.method in BODY_DEFAULTS:
            with input_defaults(BODY_DEFAULTS[self.method]):
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
        if declared is None and serializer is None and self.method in BODY_DEFAULTS:
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
