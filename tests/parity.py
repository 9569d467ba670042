"""Helpers for comparing a REST request and the same operation over MCP."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from drf_mcp_bridge.test import ToolResult
from tests.testapp.models import Category, Customer, Invoice, Note


def database_state() -> Any:
    customers = list(Customer.objects.order_by("id").values())
    for row in customers:
        row.pop("created")  # auto_now_add: the time of each run
    return {
        "customers": customers,
        "categories": list(Category.objects.order_by("id").values()),
        "invoices": list(Invoice.objects.order_by("id").values()),
        "notes": list(Note.objects.order_by("id").values()),
    }


def normalise(text: str) -> str:
    text = re.sub(r'"created":"[^"]*"', '"created":"T"', text)
    return re.sub(r"\s+", "", text)


def in_rollback(action: Callable[[], Any]) -> tuple[Any, Any]:
    """Run ``action`` from the current data, capture its outcome and the database state,
    then undo its writes so the next run starts from the same data (and the same empty
    throttle history: REST and MCP calls share the throttle buckets)."""
    cache.clear()
    with transaction.atomic():
        outcome = action()
        state = database_state()
        transaction.set_rollback(True)
    return outcome, state


def assert_same_outcome(tool: str, status: int, rest_body: str, result: ToolResult) -> None:
    """The MCP result says what the REST response said: the same status and body."""
    if status >= 400:
        assert result.is_error, f"{tool}: REST {status}, MCP succeeded: {result.text}"
        assert f"HTTP {status}" in result.content[0]["text"], (tool, status, result.text)
        if len(result.content) > 1:
            assert normalise(result.content[1]["text"]) == normalise(rest_body)
        else:
            assert not rest_body.strip()
        return
    assert not result.is_error, f"{tool}: REST {status}, MCP failed: {result.text}"
    if status == 204:
        assert result.text == "Done (HTTP 204, no content)."
        return
    body = json.loads(rest_body)
    expected = body if isinstance(body, dict) else {"results": body}
    assert normalise(result.content[0]["text"]) == normalise(
        json.dumps(expected, separators=(",", ":"), ensure_ascii=False)
    )
