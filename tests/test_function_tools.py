"""Plain Python functions as tools (``@mcp_tool``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from drf_mcp_bridge import ToolError, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools() -> Iterator[None]:
    @mcp_tool
    def add(a: int, b: int = 2) -> dict[str, int]:
        """Add two integers."""
        return {"sum": a + b}

    @mcp_tool(name="whoami", annotations={"readOnlyHint": True})
    def who(request: Any) -> str:
        return str(request.user)

    @mcp_tool(name="fails")
    def fails(reason: str) -> str:
        raise ToolError(f"cannot: {reason}")

    @mcp_tool(name="crashes")
    def crashes() -> str:
        raise ValueError("secret-token-123")

    @mcp_tool(
        name="blocks",
        input_schema={"type": "object", "properties": {}},
        output_schema={"type": "object", "properties": {"n": {"type": "integer"}}},
    )
    def blocks(**kwargs: Any) -> dict[str, Any]:
        return {
            "content": [{"type": "text", "text": "n=1"}],
            "structuredContent": {"n": 1},
        }

    yield
    for name in ("add", "whoami", "fails", "crashes", "blocks"):
        registry.unregister(name)


def test_schema_from_signature_and_docstring(mcp: MCPClient, tools: None) -> None:
    listed = {t["name"]: t for t in mcp.tools_list()}
    assert listed["add"]["description"] == "Add two integers."
    assert listed["add"]["inputSchema"] == {
        "type": "object",
        "properties": {"a": {"type": "integer"}, "b": {"type": "integer", "default": 2}},
        "required": ["a"],
    }
    assert listed["whoami"]["inputSchema"] == {"type": "object", "properties": {}}
    assert listed["whoami"]["annotations"] == {"readOnlyHint": True}
    assert listed["blocks"]["outputSchema"]["properties"]["n"]["type"] == "integer"


def test_results(mcp: MCPClient, tools: None, alice: Any) -> None:
    added = mcp.call_tool("add", {"a": 40})
    assert added.structured == {"sum": 42}
    assert added.json() == {"sum": 42}
    mcp.force_login(alice)
    assert mcp.call_tool("whoami").text == "alice"
    assert mcp.call_tool("blocks").structured == {"n": 1}


def test_errors(mcp: MCPClient, tools: None, caplog: Any) -> None:
    failed = mcp.call_tool("fails", {"reason": "no"})
    assert failed.is_error and failed.text == "cannot: no"
    missing = mcp.call_tool("fails")
    assert missing.is_error and "reason" in missing.text
    wrong_type = mcp.call_tool("add", {"a": "forty"})
    assert wrong_type.is_error
    assert (
        wrong_type.text
        == "Invalid arguments: arguments.a: expected integer. Fix them and call again."
    )
    unknown = mcp.call_tool("add", {"a": 1, "c": 3})
    assert unknown.is_error and "c" in unknown.text
    with caplog.at_level("ERROR"):
        crashed = mcp.call_tool("crashes")
    assert crashed.is_error and "secret-token-123" not in crashed.text
    assert "secret-token-123" in caplog.text
