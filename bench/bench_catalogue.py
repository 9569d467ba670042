"""What a model reads up front from a 300-tool API: the whole tools/list in the default
mode vs discovery mode (``TOOL_DISCOVERY``), in bytes of compact JSON.

    python bench/bench_catalogue.py

Bytes are counted offline (no tokenizer); ~4 bytes per token is the usual estimate for
JSON. Target: the discovery catalogue under 8,000 bytes (about 2,000 tokens).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.catalogue_settings")

import django  # noqa: E402

django.setup()

from django.test import Client, override_settings  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TARGET = 8000


def rpc(method: str, params: dict[str, Any] | None = None) -> Any:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}})
    response = Client().post("/mcp/", body, content_type="application/json")
    return response.json()["result"]


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def main() -> None:
    setup_test_environment()
    full = rpc("tools/list")["tools"]
    with override_settings(REST_FRAMEWORK_MCP={"TOOL_DISCOVERY": True}):
        meta = rpc("tools/list")["tools"]
        found = rpc("tools/call", {"name": "find_tools", "arguments": {"query": "create invoice"}})
        schema = rpc(
            "tools/call",
            {
                "name": "get_tool_schema",
                "arguments": {"name": found["structuredContent"]["tools"][0]["name"]},
            },
        )
    full_bytes, meta_bytes = size(full), size(meta)
    print(f"tools/list of a {len(full)}-tool API (compact JSON bytes, ~tokens at 4 B/token)")
    print(f"  default mode:   {full_bytes:>8} B  ~{full_bytes // 4:>6} tokens  ({len(full)} tools)")
    print(f"  discovery mode: {meta_bytes:>8} B  ~{meta_bytes // 4:>6} tokens  ({len(meta)} tools)")
    print(f"  ratio discovery/default: {meta_bytes / full_bytes:.4f}x")
    print(f"  then find_tools('create invoice'): {size(found)} B")
    print(f"  then get_tool_schema of its first match: {size(schema)} B")
    verdict = "met" if meta_bytes < TARGET else "MISSED"
    print(f"  target: discovery catalogue < {TARGET} B: {verdict}")


if __name__ == "__main__":
    main()
