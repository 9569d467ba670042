"""What invocation needs of a tool, as typing protocols: the catalogue's DRF-backed tools
(``catalogue.tools.ViewSetActionTool``, ``catalogue.apiviews.APIViewTool``) satisfy them,
so this layer runs a tool's view without importing the catalogue that defines it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

#: A tool's input schema, output schema (None when it declares none) and the arguments
#: that go into the query string (argument name -> query parameter).
Schemas = tuple[dict[str, Any], dict[str, Any] | None, dict[str, str]]


class ResultTool(Protocol):
    """A tool whose view's response becomes a ``CallToolResult`` (results.py)."""

    @property
    def name(self) -> str: ...

    def listed_definition(self) -> dict[str, Any]: ...

    def output_checker(self) -> Callable[[Any], str | None]: ...

    def withdraw_output_schema(self, problem: str) -> None:
        """The result broke the tool's outputSchema: list the tool without it from now on."""


class DRFBackedTool(ResultTool, Protocol):
    """A tool that is one HTTP method of a DRF view: a ViewSet action or an APIView."""

    @property
    def method(self) -> str: ...

    @property
    def view_class(self) -> type[Any]: ...

    @property
    def listing(self) -> bool:
        """A list operation: its paginated answer gets a "call again for more" hint."""

    def schemas(self) -> Schemas: ...

    def file_arguments(self) -> list[str]: ...

    def parser_media_types(self) -> list[str]: ...


class ViewSetTool(DRFBackedTool, Protocol):
    """A ViewSet action: its route comes from the router that mounted the ViewSet."""

    @property
    def detail(self) -> bool: ...

    @property
    def action(self) -> str: ...

    @property
    def resource(self) -> str: ...

    @property
    def lookup_argument(self) -> str: ...

    @property
    def version_param(self) -> str: ...

    @property
    def version(self) -> str | None: ...

    @property
    def initkwargs(self) -> dict[str, Any]: ...

    @property
    def viewset(self) -> type[Any]: ...

    @property
    def registration(self) -> Any: ...

    @property
    def operation(self) -> Any: ...

    def path_arguments(self) -> dict[str, Any]: ...

    def endpoint_route(self, version: str | None = None) -> Any: ...

    def view_callback(self, routed: Any) -> Any: ...


class APIViewBackedTool(DRFBackedTool, Protocol):
    """One method of an APIView: its route comes from the URLconf walk."""

    def route(self) -> Any: ...
