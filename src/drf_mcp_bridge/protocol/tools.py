"""``tools/list`` and ``tools/call`` (and discovery mode's meta tools): the tool by name,
the access gate, the call context, the result cap, one log record and the signals."""

from __future__ import annotations

import functools
import logging
import time
from typing import Any

from ..catalogue import discovery
from ..conf.settings import mcp_settings
from ..core import observe
from ..core.context import RequestContext
from ..core.jsonrpc import JSONRPCError
from ..core.signals import tool_called, tool_failed
from ..core.types import INVALID_PARAMS, REQUEST_CANCELLED
from ..invocation import calls
from ..invocation.results import error_result
from .base import MethodsBase
from .extensions import call_hooks
from .paging import page_of, read_cursor

logger = logging.getLogger("drf_mcp_bridge")
#: One record per tool call (a child of "drf_mcp_bridge": its handlers get it too).
call_logger = logging.getLogger("drf_mcp_bridge.calls")


class ToolMethods(MethodsBase):
    """The tools methods of :class:`~drf_mcp_bridge.protocol.server.MCPServer`."""

    #: The ``sender`` of the tool_called / tool_failed signals (``MCPServer``).
    signal_sender: type[Any]

    def visible_tools(self, context: RequestContext) -> list[Any]:
        """The registered tools this caller may see (all, without PER_USER_TOOLS)."""
        return self.gate.visible_tools(context)

    def visible_tool(self, name: str, context: RequestContext) -> Any:
        """The tool ``name`` if this caller may see it, else None."""
        return self.gate.visible_tool(name, context)

    def meta_tools(self) -> dict[str, Any]:
        """Discovery mode's tools (``TOOL_DISCOVERY``), built once per tool set."""

        def build() -> dict[str, Any]:
            names = {discovery.resource_of(t) for t in self.registry.tools().values()}
            resources = sorted(n for n in names if n)
            return discovery.meta_tools(self.visible_tools, self.visible_tool, resources)

        found: dict[str, Any] = self.registry.derived(f"meta_tools:{id(self)}", build)
        return found

    def tools_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        offset = read_cursor(params, "tools")
        if mcp_settings.TOOL_DISCOVERY:
            meta = self.meta_tools()
            definitions = [t.definition() for t in meta.values()]
            if mcp_settings.PER_USER_TOOLS:
                # find_tools names only the resources whose tools this caller may see.
                finder = meta[discovery.FIND]
                assert isinstance(finder, discovery.FindTools)
                definitions[0] = finder.definition_for(self.visible_tools(context))
            return page_of("tools", definitions, offset, mcp_settings.TOOLS_PAGE_SIZE)
        drf_request = self._listing_request(context)
        size = mcp_settings.TOOLS_PAGE_SIZE
        if size or offset:
            tools = self.registry.encoded_tool_list(drf_request)
            return page_of("tools", tools, offset, size)
        if drf_request is None:
            return {"tools": self.registry.encoded_tool_definitions()}
        return {"tools": self.registry.encoded_tool_definitions_for(drf_request)}

    def tools_call(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        name = params.get("name")
        if not isinstance(name, str) or not name:
            raise JSONRPCError(INVALID_PARAMS, 'tools/call needs "name" (a string) in params.')
        arguments = params.get("arguments")
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, dict):
            raise JSONRPCError(INVALID_PARAMS, '"arguments" must be an object.')
        tool = self.registry.get_tool(name)
        if mcp_settings.TOOL_DISCOVERY and name in discovery.META_TOOL_NAMES:
            tool = self.meta_tools()[name]
            if name == discovery.CALL:
                return self._call_by_name(arguments, params, context)
        if tool is None:
            raise JSONRPCError(
                INVALID_PARAMS,
                f"Unknown tool: {name!r}. Call tools/list for the available tools.",
            )
        if getattr(tool, "task_support", "forbidden") != "forbidden":
            # An extension (contrib.tasks) may answer with a task instead.
            for hook in call_hooks(context.stateless):
                answer = hook(self, tool, arguments, params, context)
                if answer is not None:
                    return dict(answer)
        return self.run_tool(tool, arguments, params, context)

    def _call_by_name(
        self, arguments: dict[str, Any], params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        """Discovery mode's ``call_tool``: the named tool, run as tools/call runs it."""
        name, inner = arguments.get("name"), arguments.get("arguments", {})
        if not isinstance(name, str) or not isinstance(inner, dict):
            return dict(
                error_result('call_tool needs "name" (a string) and "arguments" (an object).')
            )
        # Any existing tool runs, hidden or not, so that the answer is the one tools/call
        # (and REST) gives: a 401/403 from its view for a caller who may not use it.
        tool = self.registry.get_tool(name)
        if tool is None:
            return dict(discovery.unknown_tool(name, self.visible_tools(context)))
        return self.run_tool(tool, inner, params, context)

    def run_tool(
        self,
        tool: Any,
        arguments: dict[str, Any],
        params: dict[str, Any],
        context: RequestContext,
    ) -> dict[str, Any]:
        """Run ``tool`` for the protocol (tools/call and resources/read): the argument
        check, the call context, the result cap and the call record."""
        if observe.OBSERVERS:
            return observe.observed(
                "tool_call",
                functools.partial(self._run_tool, tool, arguments, params, context),
                tool,
                arguments,
                context,
            )
        return self._run_tool(tool, arguments, params, context)

    def _run_tool(
        self,
        tool: Any,
        arguments: dict[str, Any],
        params: dict[str, Any],
        context: RequestContext,
    ) -> dict[str, Any]:
        problem = argument_problem(arguments)
        if problem is not None:
            return dict(error_result(f"Invalid arguments: {problem}"))
        calls.check_request_state(params)
        call = calls.CallContext(context, context.request_id, params)
        started = time.perf_counter()
        # Calls answered as a stream (or whose tool takes the call context) are marked in
        # flight, so that notifications/cancelled can reach them; a plain JSON answer of a
        # tool that cannot report progress costs no cache write.
        cancellable = context.emit is not None or bool(getattr(tool, "streams", False))
        try:
            with calls.active(call, cancellable):
                result: dict[str, Any] = dict(tool.call(arguments, context))
        except calls.InputRequired as needed:
            if not context.stateless:  # pragma: no cover - ask() raises it only then
                raise
            return needed.result()
        except calls.CallCancelled:
            raise JSONRPCError(REQUEST_CANCELLED, "Request cancelled by the client.") from None
        except JSONRPCError:
            raise  # the tool answers with a protocol error
        except calls.CapabilityMissing as missing:
            raise missing.error() from None
        except calls.InputUnavailable as unavailable:
            result = dict(error_result(str(unavailable)))
        except Exception:
            # Tools turn their own failures into results; this is a bug in one of them.
            logger.exception("Tool %s raised an unexpected error", tool.name)
            result = dict(
                error_result(
                    f"The tool {tool.name} failed with an internal error; see the server log."
                )
            )
        result = cap_result_size(result)
        record_call(tool.name, arguments, result, context, started, self.signal_sender)
        return result

    @staticmethod
    def _listing_request(context: RequestContext) -> Any:
        """The request whose user lists are filtered for (``PER_USER_TOOLS``), or None when
        every caller sees everything."""
        return context.drf_request if mcp_settings.PER_USER_TOOLS else None


def argument_problem(arguments: Any) -> str | None:
    """What is wrong with the arguments' shape (nesting too deep, a string too long), or
    None. Checked before any tool runs."""
    max_depth = int(mcp_settings.MAX_ARGUMENT_DEPTH)
    max_length = int(mcp_settings.MAX_ARGUMENT_STRING_LENGTH)
    stack: list[tuple[Any, int, str]] = [(arguments, 0, "arguments")]
    while stack:
        value, depth, path = stack.pop()
        if isinstance(value, str):
            if len(value) > max_length:
                return f"{path} is {len(value)} characters long; the limit is {max_length}."
        elif isinstance(value, (dict, list)):
            if depth >= max_depth:
                return f"{path} is nested more than {max_depth} levels deep."
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and len(key) > max_length:
                    return f"a key in {path} is longer than {max_length} characters."
                stack.append((item, depth + 1, f"{path}[{key!r}]"))
    return None


def cap_result_size(result: dict[str, Any]) -> dict[str, Any]:
    """Cut a result whose text is over ``MAX_RESULT_SIZE`` characters, telling the model
    to ask for less. The structured content goes too (it cannot be cut and stay valid), so
    the result is marked as an error: clients expect structured content otherwise."""
    limit = int(mcp_settings.MAX_RESULT_SIZE)
    blocks = result.get("content") or []
    size = sum(len(b.get("text", "")) for b in blocks if isinstance(b, dict))
    if size <= limit:
        return result
    text = "".join(b.get("text", "") for b in blocks if isinstance(b, dict))
    note = (
        f"The result is {size} characters, over the limit of {limit}; it was cut. "
        "Ask for less: filter, search or use smaller pages."
    )
    return {
        "content": [
            {"type": "text", "text": note},
            {"type": "text", "text": text[:limit]},
        ],
        "isError": True,
    }


def record_call(
    name: str,
    arguments: dict[str, Any],
    result: dict[str, Any],
    context: RequestContext,
    started: float,
    sender: type[Any],
) -> None:
    """One structured log record per call, and the tool_called/tool_failed signals. The
    arguments are never logged (they may carry secrets). Nothing is computed when no
    handler takes the record and no receiver is connected."""
    if not (
        call_logger.isEnabledFor(logging.INFO) or tool_called.receivers or tool_failed.receivers
    ):
        return
    duration_ms = round((time.perf_counter() - started) * 1000, 3)
    status = context.outcome.http_status if context.outcome is not None else None
    failed = bool(result.get("isError"))
    outcome = "error" if failed else "ok"
    inner_user = context.outcome.user if context.outcome is not None else None
    user = inner_user or getattr(context.caller.request, "user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        drf_request = context.caller.drf_request
        user = getattr(drf_request, "user", None) if drf_request is not None else user
    user_id = getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None
    call_logger.info(
        "tools/call %s -> %s (%s, %.1f ms)",
        name,
        status if status is not None else "-",
        outcome,
        duration_ms,
        extra={
            "mcp_tool": name,
            "mcp_status": status,
            "mcp_outcome": outcome,
            "mcp_duration_ms": duration_ms,
            "mcp_user_id": user_id,
        },
    )
    details = {
        "tool": name,
        "arguments": arguments,
        "user": user,
        "result": result,
        "status": status,
        "duration_ms": duration_ms,
        "request": context.caller.request,
    }
    tool_called.send(sender=sender, **details)
    if failed:
        tool_failed.send(sender=sender, **details)
