"""Discovery mode (``TOOL_DISCOVERY = True``) for APIs with hundreds of tools.

``tools/list`` then offers three meta tools instead of the whole catalogue, so a model
reads a few hundred bytes up front and fetches only the schemas it needs:

* ``find_tools``: the tools matching keywords or a resource, one line each;
* ``get_tool_schema``: one tool's full definition (input and output schemas);
* ``call_tool``: call a tool by name (the server runs it exactly as ``tools/call`` would:
  same permissions, checks and records). Clients may also call a tool directly by name.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Callable
from typing import Any

from ..core.types import CallToolResult, ToolAnnotations
from ..invocation.results import error_result, unknown_arguments
from .tools import Tool

FIND, SCHEMA, CALL = "find_tools", "get_tool_schema", "call_tool"
META_TOOL_NAMES = (FIND, SCHEMA, CALL)
_WORD = re.compile(r"[a-z0-9]+")
_MAX_LIMIT = 50

#: What the meta tools need from the server: the tools the caller may see, and one of
#: them by name (None when it does not exist or the caller may not see it).
VisibleTools = Callable[[Any], list[Tool]]
VisibleTool = Callable[[str, Any], Tool | None]


def summary(tool: Tool) -> str:
    """The first sentence of a tool's description (or its title)."""
    text = (tool.description or tool.title or "").strip()
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    return first[:160]


def resource_of(tool: Tool) -> str | None:
    return getattr(tool, "resource", None)


def _stem(word: str) -> str:
    """Singular-ish form, so that "invoice" finds "invoices" ("categories" → "category")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


#: Words of a query that tell no tool from another ("interfaces of a device").
_STOP_WORDS = frozenset(
    {"a", "an", "the", "of", "for", "to", "in", "on", "at", "by", "with", "from", "and", "or", "my"}
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _words(text: str) -> set[str]:
    """Stemmed words; CamelCase names count word by word too ("UserAddressList")."""
    spaced = _CAMEL.sub(" ", text)
    return {_stem(w) for w in _WORD.findall(f"{text} {spaced}".lower())}


#: The words a model uses for what an action does ("create part", "list stock items").
_VERBS: dict[str, tuple[str, ...]] = {
    "list": ("list", "all", "search", "find", "browse", "show"),
    "retrieve": ("get", "show", "detail", "read", "fetch", "one"),
    "create": ("create", "add", "new", "make", "register"),
    "update": ("update", "replace", "change", "edit", "modify", "set"),
    "partial_update": ("update", "change", "edit", "modify", "patch", "set"),
    "destroy": ("delete", "remove", "destroy", "drop"),
}
#: HTTP methods of views that are not ViewSets, read as the same verbs.
_METHOD_ACTIONS = {
    "post": "create",
    "put": "update",
    "patch": "partial_update",
    "delete": "destroy",
}


def _words_of(tool: Tool) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(name and resource words, action verbs, title and description words) of ``tool``,
    computed once per distinct tool text (a search reads them for every tool)."""
    return _tool_words(
        tool.name,
        resource_of(tool) or "",
        tool.title or "",
        tool.description or "",
        str(getattr(tool, "action", None)),
        str(getattr(tool, "method", None)),
        bool(getattr(tool, "listing", False)),
    )


@functools.lru_cache(maxsize=16384)
def _tool_words(
    name: str, resource: str, title: str, description: str, action: str, method: str, listing: bool
) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    if action not in _VERBS:
        found = "list" if method == "get" and listing else _METHOD_ACTIONS.get(method)
        action = str(found) if found is not None else ("retrieve" if method == "get" else "")
    verbs = frozenset(_stem(w) for w in _VERBS.get(action, ()))
    names = frozenset(_words(name.replace("_", " ") + " " + resource))
    return names, verbs, frozenset(_words(f"{title} {description}"))


def unmatched_words(tool: Tool, wanted: set[str]) -> int:
    """How many words of the tool's name the query did not ask for: among tools that match
    as well, the one whose name is just the query wins ("list devices": devices_list before
    device_families_list and device_bay_templates_list)."""
    names, verbs, _text = _words_of(tool)
    return len(names - wanted - verbs)


_ALL_VERBS = frozenset(_stem(w) for words in _VERBS.values() for w in words)


def head_word(query: str) -> str | None:
    """The query's first word that is neither a verb nor a stop word: what it is about
    ("interfaces of a device" → "interface")."""
    for word in _WORD.findall(query.lower()):
        stem = _stem(word)
        if stem not in _STOP_WORDS and stem not in _ALL_VERBS:
            return stem
    return None


def relevance(tool: Tool, wanted: set[str], head: str | None = None) -> int:
    """How well ``tool`` matches the query words: a word in its name or resource counts
    three, one naming what its action does (create/add/new...) two, one in its title or
    description one. Several weak matches never outrank the right resource and verb."""
    name_words, verbs, text_words = _words_of(tool)
    # A word inside a name written as one ("address" in "useraddresses") counts as in it.
    name_words = name_words | {
        w for w in wanted if len(w) >= 4 and any(w in n for n in name_words if n != w)
    }
    return (
        (1 if head is not None and head in name_words else 0)
        + 3 * len(wanted & name_words)
        + 2 * len(wanted & (verbs - name_words))
        + len(wanted & (text_words - name_words - verbs))
    )


def _json_result(value: dict[str, Any]) -> CallToolResult:
    return {
        "content": [{"type": "text", "text": json.dumps(value, separators=(",", ":"))}],
        "structuredContent": value,
    }


class FindTools(Tool):
    name = FIND
    title = "Find tools"

    def __init__(self, visible: VisibleTools, resources: list[str]) -> None:
        self.visible = visible
        self.description = self.describe(resources)

    @staticmethod
    def describe(resources: list[str]) -> str:
        """The description naming ``resources`` (those of the tools the caller may see)."""
        shown = ", ".join(resources[:80]) + (", ..." if len(resources) > 80 else "")
        return (
            "Search this API's tools by keywords and/or resource; answers names and one-line "
            "summaries. Then get_tool_schema(name) for arguments, and call_tool to run one."
            + (f" Resources: {shown}." if resources else "")
        )

    def definition_for(self, tools: list[Tool]) -> dict[str, Any]:
        """The definition as listed to a caller who may see ``tools``."""
        definition = self.definition()
        definition["description"] = self.describe(
            sorted({r for t in listed(tools) if (r := resource_of(t))})
        )
        return definition

    def input_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "query": {"type": "string", "description": "Keywords, e.g. 'create invoice'."},
                "resource": {"type": "string", "description": "Only this resource's tools."},
                "limit": {"type": "integer", "minimum": 1, "maximum": _MAX_LIMIT, "default": 10},
            },
        }

    def annotations(self) -> ToolAnnotations | None:
        return {"readOnlyHint": True, "openWorldHint": False}

    def call(self, arguments: dict[str, Any], context: Any) -> CallToolResult:
        query = arguments.get("query", "")
        resource = arguments.get("resource")
        limit = arguments.get("limit", 10)
        if not isinstance(query, str) or (resource is not None and not isinstance(resource, str)):
            return error_result('"query" and "resource" must be strings.')
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= _MAX_LIMIT:
            return error_result(f'"limit" must be an integer from 1 to {_MAX_LIMIT}.')
        unknown = set(arguments) - {"query", "resource", "limit"}
        if unknown:
            return unknown_arguments(sorted(unknown), ["query", "resource", "limit"])
        wanted = _words(query) - _STOP_WORDS
        head = head_word(query)
        scored: list[tuple[int, int, int, Tool]] = []
        for index, tool in enumerate(listed(self.visible(context))):
            if resource and resource_of(tool) != resource:
                continue
            score = relevance(tool, wanted, head) if wanted else 1
            if score:
                extra = unmatched_words(tool, wanted) if wanted else 0
                scored.append((-score, extra, index, tool))
        scored.sort(key=lambda item: item[:3])
        found = [
            {
                "name": tool.name,
                "summary": summary(tool),
                **({"readOnly": True} if (tool.annotations() or {}).get("readOnlyHint") else {}),
            }
            for _, _, _, tool in scored[:limit]
        ]
        answer: dict[str, Any] = {"tools": found, "total": len(scored)}
        if not found:
            resources = sorted({r for t in listed(self.visible(context)) if (r := resource_of(t))})
            answer["hint"] = (
                "Nothing matched. Try fewer or other keywords, or a resource: "
                + ", ".join(resources)
                + "."
            )
        return _json_result(answer)


class GetToolSchema(Tool):
    name = SCHEMA
    title = "Get a tool's schema"
    description = "The full definition of one tool: description, inputSchema and outputSchema."

    def __init__(self, visible: VisibleTools, lookup: VisibleTool) -> None:
        self.visible = visible
        self.lookup = lookup

    def input_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {"name": {"type": "string", "description": "A name from find_tools."}},
            "required": ["name"],
        }

    def annotations(self) -> ToolAnnotations | None:
        return {"readOnlyHint": True, "openWorldHint": False}

    def call(self, arguments: dict[str, Any], context: Any) -> CallToolResult:
        name = arguments.get("name")
        if not isinstance(name, str):
            return error_result('get_tool_schema needs "name" (a string).')
        tool = self.lookup(name, context)
        if tool is None:
            return unknown_tool(name, self.visible(context))
        unavailable = tool.unavailable()
        if unavailable is not None:
            return unavailable.result()
        # One copy, as JSON text: the definition is for the model to read, and every host
        # gives the model a result's text (not all give it structuredContent). The tool
        # lists no outputSchema, so structuredContent is optional (docs/decisions.md).
        text = json.dumps(tool.definition(), separators=(",", ":"))
        return {"content": [{"type": "text", "text": text}]}


class CallTool(Tool):
    """Only describes the tool: ``tools/call`` unwraps a call of it and runs the named tool
    as it runs any (``protocol.tools.ToolMethods._call_by_name``), so it has no ``call``."""

    name = CALL
    title = "Call a tool"
    description = (
        "Call one of this API's tools by name with its arguments (see get_tool_schema); "
        "answers exactly what the tool answers."
    )

    def input_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "arguments": {"type": "object", "default": {}},
            },
            "required": ["name"],
        }

    def annotations(self) -> ToolAnnotations | None:
        # It can call anything, writes and deletes included.
        return {"readOnlyHint": False, "destructiveHint": True, "openWorldHint": False}


def listed(tools: list[Tool]) -> list[Tool]:
    """The tools whose definition is served (a tool that fails is left out)."""
    return [tool for tool in tools if tool.unavailable() is None]


def unknown_tool(name: str, tools: list[Tool]) -> CallToolResult:
    close = difflib.get_close_matches(name, [t.name for t in listed(tools)], n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else " Use find_tools to search."
    return error_result(f"Unknown tool {name!r}.{hint}")


def meta_tools(visible: VisibleTools, lookup: VisibleTool, resources: list[str]) -> dict[str, Tool]:
    return {
        FIND: FindTools(visible, resources),
        SCHEMA: GetToolSchema(visible, lookup),
        CALL: CallTool(),
    }
