"""The catalogue of one corpus project, measured (bench/corpus_catalogue.py runs it in the
project's virtualenv with CORPUS_PROJECT set): tools/list as the admin in default mode, and
discovery mode's tools/list and get_tool_schema for the largest tool. Prints one JSON line."""

from __future__ import annotations

import json
import statistics

from conftest import PROJECT
from django.conf import settings
from django.test import override_settings
from rest_framework.test import APIClient


def size(value: object) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def rpc(method: str, params: dict | None = None) -> dict:
    client = APIClient()
    client.credentials(**PROJECT.CALLERS["admin"])
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}
    answer = client.post(
        PROJECT.MCP_PATH, data=json.dumps(body), content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
    )
    return answer.json()["result"]


tools = rpc("tools/list")["tools"]
sizes = sorted((size(t), t["name"]) for t in tools)
largest_size, largest = sizes[-1]
conf = {**getattr(settings, "REST_FRAMEWORK_MCP", {}), "TOOL_DISCOVERY": True}
with override_settings(REST_FRAMEWORK_MCP=conf):
    discovery = rpc("tools/list")
    schema = rpc("tools/call", {"name": "get_tool_schema", "arguments": {"name": largest}})
print(json.dumps({
    "project": PROJECT.NAME,
    "tools": len(tools),
    "list_bytes": size(rpc("tools/list")),
    "largest": largest,
    "largest_bytes": largest_size,
    "median_bytes": statistics.median(s for s, _ in sizes),
    "discovery_list_bytes": size(discovery),
    "get_tool_schema_bytes": size(schema),
}))
