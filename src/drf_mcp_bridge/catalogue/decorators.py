"""The decorators: ``@mcp_viewset`` and ``@mcp_action`` expose a ViewSet's actions as MCP
tools, ``@mcp_view`` an APIView's methods, ``@mcp_tool`` a plain function."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from ..core.types import ToolAnnotations
from ..invocation.compact import checked_format
from ..schema.fields import Schema
from .apiviews import APIViewTool
from .options import VIEWSET_ALIASES, MCPToolConfig, build_config, deprecated
from .registry import registry
from .tools import FunctionTool, task_support_value

T = TypeVar("T", bound=type[Any])
F = TypeVar("F", bound=Callable[..., Any])


def _given(**values: Any) -> dict[str, Any]:
    """The options that were given (not None)."""
    return {key: value for key, value in values.items() if value is not None}


def _schema_serializer(where: str, schema_serializer: Any, serializer: Any) -> Any:
    """``schema_serializer``, or ``serializer`` (its deprecated name) with a warning
    pointing at the user's decorator line."""
    if serializer is None:
        return schema_serializer
    if schema_serializer is not None:
        raise TypeError(f"{where}: pass schema_serializer= or its old name serializer=, not both.")
    deprecated(where, "serializer", "schema_serializer", stacklevel=3)
    return serializer


def mcp_viewset(*, config: MCPToolConfig | None = None, **options: Any) -> Callable[[T], T]:
    """Expose the decorated ViewSet's actions as tools.

    Takes the options of :class:`~drf_mcp_bridge.MCPToolConfig` as keyword arguments,
    or ``config=MCPToolConfig(...)`` (or both: the keywords are set over the config), the
    same options ``MCPRouter.register`` and ``expose_router`` take::

        @mcp_viewset(name="articles", exclude=["destroy"], tool_prefix="cms_")
        class ArticleViewSet(viewsets.ModelViewSet): ...

    ``name`` is the resource part of tool names (default: the router prefix the ViewSet
    is registered under); ``actions``/``exclude`` choose the actions; ``tool_prefix`` is
    put before every tool name (``prefix=``, its old name, still works for one release);
    ``tool_names``, ``titles`` and ``descriptions`` override those of single actions
    (keys are action names). ``version`` pins the API version tool calls use (and the
    serializer schemas describe) under the view's versioning scheme; by default calls get
    the scheme's default version. ``metadata=True`` adds a ``<resource>_metadata`` tool
    that answers what an HTTP OPTIONS request answers (DRF's metadata class: the fields a
    create accepts, for this user).

    MCP-only behaviour, REST unchanged: ``serializer_class``, ``permission_classes`` and
    ``throttle_classes`` replace the ViewSet's for tool calls; ``filter_queryset(queryset,
    request)`` narrows ``get_queryset()``; ``overrides={"destroy": {"permission_classes":
    [...]}}`` sets any of them for one action. Values of the wrong type raise at once;
    unknown action names are reported by ``manage.py check`` (``drf_mcp_bridge.E004``).
    """
    chosen = build_config("mcp_viewset", config, options, VIEWSET_ALIASES)

    def decorator(viewset: T) -> T:
        registry.register_viewset(chosen.registration(viewset))
        return viewset

    return decorator


def mcp_action(
    *,
    name: str | None = None,
    title: str | None = None,
    description: str | None = None,
    input_schema: dict[str, Any] | None = None,
    output_schema: dict[str, Any] | type[Any] | Any = None,
    schema_serializer: type[Any] | Any = None,
    listing: bool = False,
    annotations: ToolAnnotations | None = None,
    exclude: bool = False,
    serializer_class: type[Any] | None = None,
    permission_classes: Sequence[type[Any]] | None = None,
    throttle_classes: Sequence[type[Any]] | None = None,
    filter_queryset: Callable[[Any, Any], Any] | None = None,
    serializer: type[Any] | Any = None,
    header_arguments: dict[str, str] | None = None,
    task: str | None = None,
    result_text_format: str | None = None,
) -> Callable[[F], F]:
    """How an ``@action`` of an exposed ViewSet appears as a tool; put it above or below
    ``@action``. Every option is for MCP only; the HTTP endpoint is unchanged.

    ``name`` is the full tool name; ``title``/``description`` replace the defaults (the
    function's docstring is the default description). ``schema_serializer`` describes
    the body and the result when the action uses another serializer than the view's (it
    changes the schemas only; ``serializer_class`` changes what runs). ``serializer=``,
    its old name, still works for one release with a DeprecationWarning;
    ``input_schema`` (a JSON Schema object) replaces the derived arguments (the lookup of
    a detail action is still added); ``output_schema`` is a JSON Schema or a serializer
    for the result — without it an ``@action`` has no output schema, since what it
    answers is up to its code. ``listing=True`` says the action filters and paginates
    like ``list``: it takes the list's query parameters and answers the list envelope.
    ``annotations`` are merged over the ones derived from the HTTP method;
    ``exclude=True`` keeps the action off MCP. ``serializer_class``,
    ``permission_classes``, ``throttle_classes`` and ``filter_queryset`` change how the
    action runs for tool calls only (see ``mcp_viewset``). ``header_arguments`` maps
    arguments to the ``Mcp-Param-<name>`` headers Streamable HTTP clients also send them in.
    ``task`` ("optional" or "required") lets a call run as a task (docs/transport.md).
    ``result_text_format`` ("json", "toon", "csv") is the text of its list results
    (``RESULT_TEXT_FORMAT``).
    """
    schema_serializer = _schema_serializer("mcp_action", schema_serializer, serializer)
    task = None if task is None else task_support_value(task)
    if result_text_format is not None:
        result_text_format = checked_format(result_text_format, "mcp_action(result_text_format=)")
    options = _given(
        name=name,
        title=title,
        description=description,
        input_schema=input_schema,
        output_schema=output_schema,
        serializer=schema_serializer,  # the key tools.py reads
        listing=listing or None,
        annotations=annotations,
        exclude=exclude or None,
        serializer_class=serializer_class,
        permission_classes=permission_classes,
        throttle_classes=throttle_classes,
        filter_queryset=filter_queryset,
        header_arguments=dict(header_arguments) if header_arguments else None,
        task=task,
        result_text_format=result_text_format,
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
    header_arguments: dict[str, str] | None = None,
    task: str | None = None,
    task_prelude: bool = False,
) -> Any:
    """Register a plain function as a tool: ``@mcp_tool`` or ``@mcp_tool(name=...)``.
    ``header_arguments`` maps arguments to the ``Mcp-Param-<name>`` headers Streamable HTTP
    clients also send them in (``{"region": "Region"}``; docs/transport.md). ``task``
    ("optional" or "required") lets a call run as a task; ``task_prelude=True``: the
    function runs synchronously until it calls ``mcp.defer()`` (docs/transport.md)."""

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
                header_arguments=header_arguments,
                task=task,
                task_prelude=task_prelude,
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
    schema_serializer: Any = None,
    annotations: Mapping[str, ToolAnnotations] | None = None,
    serializer: Any = None,
    describer: type[Any] | str | None = None,
    result_renderer: type[Any] | str | None = None,
    header_arguments: Mapping[str, dict[str, str]] | None = None,
    tasks: Mapping[str, str] | None = None,
    result_text_format: str | None = None,
) -> Callable[[T], T]:
    """Expose an ``APIView`` or generic view: ``tools`` maps HTTP methods to tool names::

        @mcp_view({"get": "reports_summary", "post": "reports_rebuild"})
        class ReportView(APIView): ...

    Generic views describe themselves through their serializer, filters and paginator
    (a ``get`` of a list view takes the list's query parameters); a plain ``APIView``
    with a body needs ``input_schemas={"post": {...}}`` (or ``schema_serializer=``, a
    serializer describing the body and result; ``serializer=``, its old name, still
    works for one release), otherwise system check ``drf_mcp_bridge.W030`` reports
    it. Path parameters of the view's route are required arguments. The other mappings
    are keyed by method too. ``describer`` and ``result_renderer`` (a class or dotted path)
    replace the ``TOOL_DESCRIBER`` / ``RESULT_RENDERER`` settings for these tools.
    ``tasks`` ({"post": "optional"}) lets calls of those methods run as tasks.
    ``result_text_format`` ("json", "toon", "csv") is the text of their list results.
    """
    schema_serializer = _schema_serializer("mcp_view", schema_serializer, serializer)
    if result_text_format is not None:
        result_text_format = checked_format(result_text_format, "mcp_view(result_text_format=)")
    task_of = {m.lower(): task_support_value(v) for m, v in (tasks or {}).items()}

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
                ("header_arguments", header_arguments),
            ):
                if mapping and m in mapping:
                    options[key] = mapping[m]
            if m in task_of:
                options["task"] = task_of[m]
            if schema_serializer is not None:
                options["serializer"] = schema_serializer  # the key apiviews.py reads
            if describer is not None:
                options["describer"] = describer
            if result_renderer is not None:
                options["result_renderer"] = result_renderer
            if result_text_format is not None:
                options["result_text_format"] = result_text_format
            registry.register_tool(APIViewTool(view_class, m, tool_name, options))
        return view_class

    return decorator
