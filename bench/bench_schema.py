"""Bytes a model reads per CRUD tool: this package vs the reference implementation.

    python bench/bench_schema.py

For each CRUD tool of the same ViewSet (bench/benchapp), counts the compact JSON bytes of
what a model reads to choose and call a tool — name, title, description and inputSchema —
and, separately, the outputSchema. Prints our/reference ratios (target <= 0.8x for the
first while carrying more information).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ACTIONS = ["list", "retrieve", "create", "update", "partial_update", "destroy"]


def size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def listing(path: str) -> list[dict[str, Any]]:
    client = Client()
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}})
    response = client.post(path, body, content_type="application/json")
    tools: list[dict[str, Any]] = response.json()["result"]["tools"]
    return tools


def model_bytes(tool: dict[str, Any]) -> int:
    read = {
        key: tool[key] for key in ("name", "title", "description", "inputSchema") if key in tool
    }
    return size(read)


def main() -> None:
    setup_test_environment()
    ours = {t["name"]: t for t in listing("/mcp/")}
    theirs = {t["name"]: t for t in listing("/ref-mcp/")} if settings.HAVE_REFERENCE else {}
    print("Bytes a model reads per CRUD tool (name, title, description, inputSchema)")
    print(f"{'action':<16}{'ours':>8}{'reference':>11}{'ratio':>8}{'ours out':>10}{'ref out':>9}")
    total_ours = total_theirs = 0
    for action in ACTIONS:
        mine = ours[f"items_{action}"]
        other = theirs.get(f"{action}_items")
        mine_bytes = model_bytes(mine)
        mine_out = size(mine.get("outputSchema", {})) if "outputSchema" in mine else 0
        if other is None:
            print(f"{action:<16}{mine_bytes:>8}{'-':>11}{'-':>8}{mine_out:>10}{'-':>9}")
            continue
        other_bytes = model_bytes(other)
        other_out = size(other.get("outputSchema", {})) if "outputSchema" in other else 0
        total_ours += mine_bytes
        total_theirs += other_bytes
        ratio = mine_bytes / other_bytes
        print(
            f"{action:<16}{mine_bytes:>8}{other_bytes:>11}{ratio:>7.2f}x"
            f"{mine_out:>10}{other_out:>9}"
        )
    if total_theirs:
        ratio = total_ours / total_theirs
        verdict = "PASS" if ratio <= 0.8 else "MISS"
        row = f"{'all six':<16}{total_ours:>8}{total_theirs:>11}{ratio:>7.3f}x"
        print(f"{row}  target <= 0.80x {verdict}")
    print()
    print("Example, ours:", json.dumps(ours["items_create"]["inputSchema"], separators=(",", ":")))
    if theirs:
        print(
            "Example, reference:",
            json.dumps(theirs["create_items"]["inputSchema"], separators=(",", ":")),
        )


if __name__ == "__main__":
    main()
