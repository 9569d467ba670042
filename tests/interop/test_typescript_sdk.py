"""The official TypeScript SDK, the MCP Inspector CLI, against a live server."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.interop.conftest import node_env, node_tool, run_ts_script
from tests.interop.seed import ALICE_TOKEN

pytestmark = pytest.mark.interop
HERE = Path(__file__).resolve().parent


def test_typescript_sdk_crud(live_url: str) -> None:
    report = run_ts_script("crud.ts", live_url, ALICE_TOKEN)
    assert report["ok"] is True
    assert report["server"] == "drf-mcp-bridge"
    assert report["protocolVersion"] == "2025-11-25"
    assert "not a valid choice" in json.dumps(report["invalid"])


def _inspector(live_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node_tool("mcp-inspector"), "--cli", live_url, "--transport", "http", *args],
        cwd=HERE,
        env=node_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_inspector_cli_lists_tools(live_url: str) -> None:
    completed = _inspector(live_url, "--method", "tools/list")
    assert completed.returncode == 0, completed.stderr + completed.stdout
    listed = json.loads(completed.stdout)
    assert "categories_list" in [tool["name"] for tool in listed["tools"]]


def test_inspector_cli_calls_a_tool(live_url: str) -> None:
    completed = _inspector(
        live_url,
        "--method",
        "tools/call",
        "--tool-name",
        "kb_notes_retrieve",
        "--tool-arg",
        "slug=hello",
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    result = json.loads(completed.stdout)
    assert result["structuredContent"]["text"] == "Hello"


def test_inspector_cli_reads_a_failing_tool_as_a_tool_error(live_url: str) -> None:
    # A failing tool is a result (HTTP 200, isError), not an HTTP 401/403/404: the
    # Inspector prints the result and reports tool_is_error (exit 5). An HTTP 401 would
    # have started its OAuth flow instead (exit 3, auth_required).
    completed = _inspector(live_url, "--method", "tools/call", "--tool-name", "invoices_list")
    assert completed.returncode == 5, completed.stderr + completed.stdout
    assert "tool_is_error" in completed.stderr
    result = json.loads(completed.stdout)
    assert result["isError"] is True
    assert "Authentication credentials were not provided." in json.dumps(result)
