"""Function tools the official conformance suite expects by name (its fixture server).

They use the public ``@mcp_tool`` API, the same one users write custom tools with.
"""

from __future__ import annotations

from rest_framework_mcp import ToolError, mcp_tool


@mcp_tool(name="test_simple_text", description="Returns a fixed text (conformance fixture).")
def simple_text() -> str:
    return "This is a simple text response for testing."


@mcp_tool(name="test_error_handling", description="Always fails (conformance fixture).")
def error_handling() -> str:
    raise ToolError("This tool intentionally returns an error for testing")
