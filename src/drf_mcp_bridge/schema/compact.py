"""Keep schemas compact: a nested serializer used more than once is described once in
``$defs`` and referenced with ``$ref``; everything else stays inline.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

Schema = dict[str, Any]

#: Marks a nested serializer's schema with its name until :func:`compact` runs.
NAME_KEY = "x-mcp-name"
#: Repeated objects smaller than this are cheaper inline than as a $ref.
MIN_BYTES = 120


def _opaque(value: Any) -> str:
    # Values that are not JSON yet (lazy strings, Decimals: safe.safe_schema converts them
    # once the tool's definition is finished) still compare by their text.
    return f"\u0000{type(value).__qualname__}:{value!s}"


def _key(schema: Schema) -> str:
    try:
        return json.dumps(schema, sort_keys=True, separators=(",", ":"), default=_opaque)
    except Exception:  # keys that do not sort or print: the object is never shared
        return f"\u0000id:{id(schema)}"


def _walk(node: Any, visit: Any) -> Any:
    if isinstance(node, dict):
        replaced = visit(node)
        if replaced is not None:
            return replaced
        return {k: _walk(v, visit) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(item, visit) for item in node]
    return node


def compact(schema: Schema) -> Schema:
    """Hoist repeated named objects into ``$defs`` and drop the name markers."""
    counts: Counter[str] = Counter()
    names: dict[str, str] = {}
    nodes: dict[str, Schema] = {}

    def count(node: Schema) -> None:
        if NAME_KEY in node:
            key = _key(node)
            counts[key] += 1
            names.setdefault(key, str(node[NAME_KEY]))
            nodes.setdefault(key, node)
        return None

    _walk(schema, count)
    hoisted: dict[str, str] = {}
    definitions: Schema = dict(schema.get("$defs", {}))
    for key, number in counts.items():
        if number > 1 and len(_key(strip(nodes[key]))) >= MIN_BYTES:
            name = base = names[key]
            suffix = 2
            while name in definitions:
                name, suffix = f"{base}{suffix}", suffix + 1
            hoisted[key] = name
            definitions[name] = None  # filled below, without markers

    def replace(node: Schema) -> Schema | None:
        if NAME_KEY in node and _key(node) in hoisted:
            return {"$ref": f"#/$defs/{hoisted[_key(node)]}"}
        return None

    result: Schema = _walk(schema, replace)
    for key, name in hoisted.items():
        definitions[name] = strip(nodes[key])
    result = strip(result)
    if definitions:
        result["$defs"] = definitions
    return result


def strip(node: Any) -> Any:
    """A copy without name markers."""
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k != NAME_KEY}
    if isinstance(node, list):
        return [strip(item) for item in node]
    return node
