"""Generated JSON-RPC traffic for the fuzz test (tests/test_fuzz.py, a few hundred
bodies) and the full run (bench/fuzz.py, 10,000 and more): valid, invalid, huge, deep,
wrong types and unicode, sent as an anonymous client, who may change nothing.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

METHODS = [
    "initialize",
    "ping",
    "tools/list",
    "tools/call",
    "notifications/initialized",
    "resources/list",
    "",
    "tools/call ",
    "\u202etools/list",
]
TOOLS = [
    "customers_list",
    "customers_create",
    "customers_retrieve",
    "customers_rename",
    "kitchen_create",
    "refusing_create",
    "exploding_list",
    "invoices_create",
    "kb_notes_retrieve",
    "no_such_tool",
    "",
]
VERSIONS = [None, "2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05", "junk", ""]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(
        ["", " ", "\x00", "\ud7ff", "\U0001d518\u00e9\u4e2d\U0001f600", "a" * 5000, "0.00", "1e309"]
    )
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)


def deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": [value]}
    return value


arguments = (
    json_values
    | st.dictionaries(
        st.sampled_from(
            [
                "pk",
                "name",
                "page",
                "page_size",
                "boolean",
                "char",
                "integer",
                "colour",
                "tier",
                "search",
                "slug",
                "notes",
                "zzz",
            ]
        ),
        json_values,
        max_size=5,
    )
    | st.integers(min_value=1, max_value=60).map(lambda n: {"name": deep(n)})
)
params = (
    json_values
    | st.fixed_dictionaries(
        {"name": st.sampled_from(TOOLS) | st.text(max_size=10)},
        optional={"arguments": arguments, "_meta": json_values},
    )
    | st.fixed_dictionaries(
        {"protocolVersion": st.sampled_from(VERSIONS[1:]) | st.text(max_size=10)},
        optional={"capabilities": json_values, "clientInfo": json_values},
    )
)
messages = st.fixed_dictionaries(
    {},
    optional={
        "jsonrpc": st.sampled_from(["2.0", "2.0", "1.0", 2]) | json_values,
        "id": st.integers() | st.text(max_size=8) | st.none() | json_values,
        "method": st.sampled_from(METHODS) | st.text(max_size=12) | json_values,
        "params": params,
        "result": json_values,
        "error": json_values,
    },
)
#: Well-formed calls of real tools with generated arguments: the view-facing part.
tool_calls = st.fixed_dictionaries(
    {
        "jsonrpc": st.just("2.0"),
        "id": st.integers(min_value=0, max_value=10**6),
        "method": st.just("tools/call"),
        "params": st.fixed_dictionaries({"name": st.sampled_from(TOOLS), "arguments": arguments}),
    }
)
bodies = (
    tool_calls.map(lambda m: json.dumps(m).encode())
    | tool_calls.map(lambda m: json.dumps(m).encode())
    | messages.map(lambda m: json.dumps(m).encode())
    | st.lists(messages, min_size=0, max_size=4).map(lambda b: json.dumps(b).encode())
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.binary(max_size=200)
    | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
    | st.integers(min_value=1, max_value=3000).map(lambda n: b"[" * n + b"]" * n)
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_MCP_PROTOCOL_VERSION": st.sampled_from([v for v in VERSIONS if v is not None]),
        "HTTP_ACCEPT": st.sampled_from(
            ["application/json, text/event-stream", "application/json", "text/html", "*/*", ""]
        ),
        "CONTENT_TYPE": st.sampled_from(
            ["application/json", "text/plain", "application/json; charset=utf-8", ""]
        ),
        "HTTP_ORIGIN": st.sampled_from(["http://allowed.example", "http://evil.example", "null"]),
    },
)

ALLOWED_STATUSES = {200, 202, 400, 401, 403, 404, 405, 406, 413, 415}


def check_response(response: Any) -> str:
    """Assert the answer is spec-shaped and safe; return a label for statistics."""
    status = response.status_code
    assert status in ALLOWED_STATUSES, status
    body = response.content
    assert b"Traceback" not in body and b'File "' not in body
    if status == 202:
        assert body == b""
        return "202"
    payload = json.loads(body)
    items = payload if isinstance(payload, list) else [payload]
    assert items, "an empty batch answer"
    for item in items:
        assert item["jsonrpc"] == "2.0"
        assert "id" in item
        if "error" in item:
            assert isinstance(item["error"]["code"], int)
            assert isinstance(item["error"]["message"], str)
            assert "result" not in item
        else:
            assert isinstance(item["result"], dict)
    if status == 200 and isinstance(payload, dict) and "error" in payload:
        return "200 error"
    if status == 200 and isinstance(payload, dict) and payload["result"].get("isError"):
        return "200 tool error"
    return str(status)
