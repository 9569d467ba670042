"""MCP prompts: ``@mcp_prompt`` functions, and a generated guide per exposed resource.

A prompt function's parameters are its arguments (strings; required when they have no
default). It returns a string (one user message) or a list of messages, each a string or
``{"role": "user" | "assistant", "content": "..."}``.

Generated guides (setting ``AUTO_PROMPTS``, on by default): ``<resource>_guide`` explains a
resource's fields, the tools that act on it, and how to filter, order and page its list,
all read from the same schemas the tools publish.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..core.jsonrpc import JSONRPCError
from ..core.types import INVALID_PARAMS
from .registry import registry
from .resources import SCHEME, resource_key, viewset_resources
from .tools import ViewSetActionTool


@dataclass
class Prompt:
    name: str
    render: Callable[[dict[str, str]], Any]
    title: str | None = None
    description: str | None = None
    arguments: list[dict[str, Any]] = field(default_factory=list)
    complete: dict[str, Any] = field(default_factory=dict)
    #: The ``@mcp_prompt`` function (None for a generated guide): unregister() takes it.
    function: Callable[..., Any] | None = field(default=None, repr=False, compare=False)

    def definition(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": self.name}
        if self.title:
            entry["title"] = self.title
        if self.description:
            entry["description"] = self.description
        if self.arguments:
            entry["arguments"] = self.arguments
        return entry

    def get(self, arguments: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(arguments, dict):
            raise JSONRPCError(INVALID_PARAMS, '"arguments" must be an object of strings.')
        known = {a["name"] for a in self.arguments}
        unknown = sorted(set(arguments) - known)
        if unknown:
            raise JSONRPCError(
                INVALID_PARAMS,
                f"Unknown argument(s) for prompt {self.name}: {', '.join(unknown)}. "
                f"It takes: {', '.join(sorted(known)) or 'none'}.",
            )
        missing = [
            a["name"] for a in self.arguments if a.get("required") and not arguments.get(a["name"])
        ]
        if missing:
            raise JSONRPCError(
                INVALID_PARAMS,
                f"Missing required argument(s) for prompt {self.name}: {', '.join(missing)}.",
            )
        not_strings = [k for k, v in arguments.items() if not isinstance(v, str)]
        if not_strings:
            raise JSONRPCError(
                INVALID_PARAMS, f"Prompt arguments are strings: {', '.join(sorted(not_strings))}."
            )
        value = self.render(dict(arguments))
        result: dict[str, Any] = {"messages": to_messages(value)}
        if self.description:
            result["description"] = self.description
        return result


def to_messages(value: Any) -> list[dict[str, Any]]:
    items = value if isinstance(value, list) else [value]
    messages = []
    for item in items:
        if isinstance(item, dict):
            role = item.get("role", "user")
            content = item.get("content", "")
        else:
            role, content = "user", item
        if role not in {"user", "assistant"}:
            raise ValueError(f"Prompt message role must be 'user' or 'assistant', not {role!r}.")
        if isinstance(content, dict):
            messages.append({"role": role, "content": content})
        else:
            messages.append({"role": role, "content": {"type": "text", "text": str(content)}})
    return messages


def mcp_prompt(
    name: str | None = None,
    *,
    title: str | None = None,
    description: str | None = None,
    arguments: dict[str, str] | None = None,
    complete: dict[str, Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a prompt. ``arguments`` maps parameter names to descriptions;
    ``complete`` maps a parameter to a list of values or a callable
    ``(value, request) -> list[str]`` used by ``completion/complete``."""

    def decorator(function: Callable[..., Any]) -> Callable[..., Any]:
        described = arguments or {}
        parameters = []
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            entry: dict[str, Any] = {"name": parameter.name}
            if parameter.name in described:
                entry["description"] = described[parameter.name]
            entry["required"] = parameter.default is inspect.Parameter.empty
            parameters.append(entry)
        prompt = Prompt(
            name=name or function.__name__,
            render=lambda args: function(**args),
            title=title,
            description=description or inspect.getdoc(function),
            arguments=parameters,
            complete=dict(complete or {}),
            function=function,
        )
        registry.register_prompt(prompt)
        return function

    return decorator


def unregister_prompt(name: str) -> None:
    """Remove the ``@mcp_prompt`` named ``name``: ``registry.unregister(name,
    kind="prompt")``."""
    registry.unregister(name, kind="prompt")


def user_prompts() -> list[Prompt]:
    """The ``@mcp_prompt`` prompts: ``registry.prompts()``."""
    return [p for p in registry.prompts() if isinstance(p, Prompt)]


# generated guides -------------------------------------------------------------------


def _field_lines(schema: dict[str, Any] | None) -> list[str]:
    if not schema:
        return []
    if "results" in schema.get("properties", {}):
        items = schema["properties"]["results"].get("items", {})
        schema = items if "properties" in items else schema
    lines = []
    for name, prop in (schema or {}).get("properties", {}).items():
        types = prop.get("type", "any")
        kind = "/".join(types) if isinstance(types, list) else str(types)
        note = prop.get("description") or prop.get("title") or ""
        lines.append(f"- {name} ({kind})" + (f": {note}" if note else ""))
    return lines


def guide_prompts(tools: dict[str, Any]) -> list[Prompt]:
    """One ``<resource>_guide`` prompt per resource with a list or retrieve tool."""
    lists, details = viewset_resources(tools)
    by_resource: dict[str, list[Any]] = {}
    for tool in tools.values():
        if isinstance(tool, ViewSetActionTool) and tool.unavailable() is None:
            by_resource.setdefault(resource_key(tool), []).append(tool)
    prompts = []
    for key, group in by_resource.items():
        listing = next((t for t in lists if resource_key(t) == key), None)
        detail = next((t for t in details if resource_key(t) == key), None)
        if listing is None and detail is None:
            continue
        prompts.append(_guide(key, group, listing, detail, SCHEME))
    return prompts


def _guide(key: str, group: list[Any], listing: Any, detail: Any, scheme: str) -> Prompt:
    sample = detail or listing
    fields = _field_lines(sample.output_schema())

    def render(arguments: dict[str, str]) -> str:
        lines = [f"You are working with the {key.replace('_', ' ')} of this API."]
        doc = sample.registration.viewset.__doc__
        if doc and doc.strip():
            lines.append(inspect.cleandoc(doc))
        if fields:
            lines += ["", "Fields of each record:", *fields]
        lines += ["", "Tools:"]
        for tool in group:
            lines.append(f"- {tool.name}: {tool.title}")
        if listing is not None:
            params = listing.input_schema().get("properties", {})
            if params:
                lines += ["", f"{listing.name} takes these optional arguments:"]
                for name, prop in params.items():
                    note = prop.get("description") or ""
                    lines.append(f"- {name}" + (f": {note}" if note else ""))
            lines.append(
                "Results come one page at a time; when a result says 'More results', call "
                f"{listing.name} again with the arguments it gives."
            )
            lines.append(f"The list is also the resource {scheme}://{key}.")
        if detail is not None:
            lines.append(
                f"One record is the resource {scheme}://{key}/{{{detail.lookup_argument}}}."
            )
        goal = arguments.get("goal")
        if goal:
            lines += ["", f"Goal: {goal}"]
        return "\n".join(lines)

    return Prompt(
        name=f"{key}_guide",
        render=render,
        title=f"Guide to {key.replace('_', ' ')}",
        description=(
            f"Explains the {key.replace('_', ' ')} resource: its fields, its tools, and "
            "how to filter and page it."
        ),
        arguments=[
            {"name": "goal", "description": "What you want to do (optional).", "required": False}
        ],
    )
