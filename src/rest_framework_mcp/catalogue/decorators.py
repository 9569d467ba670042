"""The decorators: ``@mcp_viewset`` and ``@mcp_action`` expose a ViewSet's actions as MCP
tools, ``@mcp_view`` an APIView's methods, ``@mcp_tool`` a plain function."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ..core.types import ToolAnnotations
from ..schema.fields import Schema
from .apiviews import APIViewTool
from .registrations import ViewSetRegistration
from .registry import registry
from .tools import FunctionTool

T = TypeVar("T", bound=type[Any])
F = TypeVar("F", bound=Callable[..., Any])


def _given(**values: Any) -> dict[str, Any]:
    """The options that were given (not None)."""
    return {key: value for key, value in values.items() if value is not None}


def mcp_viewset(
    *,
    name: str | None = None,
    actions: Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    prefix: str = "",
    tool_names: dict[str, str] | None = None,
    titles: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    basename: str | None = None,
    version: str | None = None,
    metadata: bool = False,
    serializer_class: type[Any] | None = None,
    permission_classes: Sequence[type[Any]] | None = None,
    throttle_classes: Sequence[type[Any]] | None = None,
    filter_queryset: Callable[[Any, Any], Any] | None = None,
    overrides: dict[str, dict[str, Any]] | None = None,
) -> Callable[[T], T]:
    """Expose the decorated ViewSet's actions as tools.

    ``name`` is the resource part of tool names (default: the router prefix the ViewSet
    is registered under); ``actions``/``exclude`` choose the actions; ``prefix`` is put
    before every tool name; ``tool_names``, ``titles`` and ``descriptions`` override
    those of single actions (keys are action names). ``version`` pins the API version
    tool calls use (and the serializer schemas describe) under the view's versioning
    scheme; by default calls get the scheme's default version. ``metadata=True`` adds a
    ``<resource>_metadata`` tool that answers what an HTTP OPTIONS request answers (DRF's
    metadata class: the fields a create accepts, for this user).

    MCP-only behaviour, REST unchanged: ``serializer_class``, ``permission_classes`` and
    ``throttle_classes`` replace the ViewSet's for tool calls; ``filter_queryset(queryset,
    request)`` narrows ``get_queryset()``; ``overrides={"destroy": {"permission_classes":
    [...]}}`` sets any of them for one action. Bad values are reported by
    ``manage.py check`` (ids ``rest_framework_mcp.E0xx``).
    """

    def decorator(viewset: T) -> T:
        registry.register_viewset(
            ViewSetRegistration(
                viewset=viewset,
                name=name,
                actions=tuple(actions) if actions is not None else None,
                exclude=tuple(exclude),
                prefix=prefix,
                tool_names=dict(tool_names or {}),
                titles=dict(titles or {}),
                descriptions=dict(descriptions or {}),
                basename=basename,
                version=version,
                metadata=metadata,
                overrides=_given(
                    serializer_class=serializer_class,
                    permission_classes=permission_classes,
                    throttle_classes=throttle_classes,
                    filter_queryset=filter_queryset,
                ),
                action_overrides={k: dict(v) for k, v in (overrides or {}).items()},
            )
        )
        return viewset

    return decorator


def mcp_action(
    *,
    name: str | None = None,
    title: str | None = None,
    description: str | None = None,
    input_schema: dict[str, Any] | None = None,
    output_schema: dict[str, Any] | type[Any] | Any = None,
    serializer: type[Any] | Any = None,
    listing: bool = False,
    annotations: ToolAnnotations | None = None,
    exclude: bool = False,
    serializer_class: type[Any] | None = None,
    permission_classes: Sequence[type[Any]] | None = None,
    throttle_classes: Sequence[type[Any]] | None = None,
    filter_queryset: Callable[[Any, Any], Any] | None = None,
) -> Callable[[F], F]:
    """How an ``@action`` of an exposed ViewSet appears as a tool; put it above or below
    ``@action``. Every option is for MCP only; the HTTP endpoint is unchanged.

    ``name`` is the full tool name; ``title``/``description`` replace the defaults (the
    function's docstring is the default description). ``serializer`` describes the body
    and the result when the action uses another serializer than the view's;
    ``input_schema`` (a JSON Schema object) replaces the derived arguments (the lookup of
    a detail action is still added); ``output_schema`` is a JSON Schema or a serializer
    for the result — without it an ``@action`` has no output schema, since what it
    answers is up to its code. ``listing=True`` says the action filters and paginates
    like ``list``: it takes the list's query parameters and answers the list envelope.
    ``annotations`` are merged over the ones derived from the HTTP method;
    ``exclude=True`` keeps the action off MCP. ``serializer_class``,
    ``permission_classes``, ``throttle_classes`` and ``filter_queryset`` change how the
    action runs for tool calls only (see ``mcp_viewset``).
    """
    options = _given(
        name=name,
        title=title,
        description=description,
        input_schema=input_schema,
        output_schema=output_schema,
        serializer=serializer,
        listing=listing or None,
        annotations=annotations,
        exclude=exclude or None,
        serializer_class=serializer_class,
        permission_classes=permission_classes,
        throttle_classes=throttle_classes,
        filter_queryset=filter_queryset,
    )

    def decorator(function: F) -> F:
        function.mcp_options = options  # type: ignore[attr-defined]
        registry.invalidate()
        return function

    return decorator


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


def mcp_view(
    tools: Mapping[str, str],
    *,
    titles: Mapping[str, str] | None = None,
    descriptions: Mapping[str, str] | None = None,
    input_schemas: Mapping[str, Schema] | None = None,
    output_schemas: Mapping[str, Any] | None = None,
    serializer: Any = None,
    annotations: Mapping[str, ToolAnnotations] | None = None,
) -> Callable[[T], T]:
    """Expose an ``APIView`` or generic view: ``tools`` maps HTTP methods to tool names::

        @mcp_view({"get": "reports_summary", "post": "reports_rebuild"})
        class ReportView(APIView): ...

    Generic views describe themselves through their serializer, filters and paginator
    (a ``get`` of a list view takes the list's query parameters); a plain ``APIView``
    with a body needs ``input_schemas={"post": {...}}`` (or ``serializer=``), otherwise
    system check ``rest_framework_mcp.W030`` reports it. Path parameters of the view's
    route are required arguments. The other mappings are keyed by method too.
    """

    def decorator(view_class: T) -> T:
        for method, tool_name in tools.items():
            m = method.lower()
            options: dict[str, Any] = {}
            for key, mapping in (
                ("title", titles),
                ("description", descriptions),
                ("input_schema", input_schemas),
                ("output_schema", output_schemas),
                ("annotations", annotations),
            ):
                if mapping and m in mapping:
                    options[key] = mapping[m]
            if serializer is not None:
                options["serializer"] = serializer
            registry.register_tool(APIViewTool(view_class, m, tool_name, options))
        return view_class

    return decorator
