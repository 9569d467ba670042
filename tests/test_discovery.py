"""Discovery mode (TOOL_DISCOVERY): three meta tools instead of the whole catalogue."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import rpc, tool_call
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db
ON = {"TOOL_DISCOVERY": True, "PER_USER_TOOLS": True}


def result_of(client: Client, name: str, arguments: dict[str, Any], **extra: Any) -> Any:
    response = rpc(client, tool_call(name, arguments), HTTP_ACCEPT="application/json", **extra)
    return response.json()["result"]


@override_settings(REST_FRAMEWORK_MCP=ON)
def test_tools_list_offers_only_the_meta_tools(client: Client) -> None:
    tools = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).json()["result"]
    assert [t["name"] for t in tools["tools"]] == ["find_tools", "get_tool_schema", "call_tool"]
    find = tools["tools"][0]
    assert "customers" in find["description"] and "categories" in find["description"]
    assert tools["tools"][2]["annotations"]["destructiveHint"] is True


@override_settings(REST_FRAMEWORK_MCP=ON)
def test_find_tools_by_keywords_and_resource(client: Client, alice_token: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {alice_token}"}
    found = result_of(client, "find_tools", {"query": "create customer", "limit": 3}, **auth)
    assert found["structuredContent"]["tools"][0]["name"] == "customers_create"
    assert len(found["structuredContent"]["tools"]) == 3
    by_resource = result_of(client, "find_tools", {"resource": "categories"})
    names = [t["name"] for t in by_resource["structuredContent"]["tools"]]
    assert names == ["categories_list", "categories_retrieve", "categories_recount"]
    assert by_resource["structuredContent"]["tools"][0]["readOnly"] is True
    nothing = result_of(client, "find_tools", {"query": "zebra"})
    assert nothing["structuredContent"]["total"] == 0
    assert "customers" in nothing["structuredContent"]["hint"]
    bad = result_of(client, "find_tools", {"limit": 500})
    assert bad["isError"] is True and "1 to 50" in bad["content"][0]["text"]


@override_settings(REST_FRAMEWORK_MCP=ON)
def test_find_tools_hides_what_the_caller_may_not_use(client: Client) -> None:
    # Invoices need an authenticated user: an anonymous caller does not find them.
    anonymous = result_of(client, "find_tools", {"resource": "invoices"})
    assert anonymous["structuredContent"]["total"] == 0


@override_settings(REST_FRAMEWORK_MCP=ON)
def test_get_tool_schema_is_the_full_definition(client: Client, alice_token: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {alice_token}"}
    answer = result_of(client, "get_tool_schema", {"name": "customers_create"}, **auth)
    with override_settings(REST_FRAMEWORK_MCP={"PER_USER_TOOLS": True}):
        listed = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, **auth).json()
    full = {t["name"]: t for t in listed["result"]["tools"]}["customers_create"]
    # One copy of the definition, as JSON text (no structuredContent duplicating it).
    assert "structuredContent" not in answer
    assert json.loads(answer["content"][0]["text"]) == full
    unknown = result_of(client, "get_tool_schema", {"name": "customer_create"}, **auth)
    assert unknown["isError"] is True
    assert "Did you mean customers_create" in unknown["content"][0]["text"]


@override_settings(REST_FRAMEWORK_MCP=ON)
def test_call_tool_runs_the_tool_as_tools_call(client: Client, alice_token: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {alice_token}"}
    created = result_of(
        client, "call_tool", {"name": "customers_create", "arguments": {"name": "Found"}}, **auth
    )
    assert created["structuredContent"]["name"] == "Found"
    assert Customer.objects.filter(name="Found", owner__username="alice").exists()
    invalid = result_of(client, "call_tool", {"name": "customers_create", "arguments": {}}, **auth)
    assert invalid["isError"] is True and "name" in invalid["content"][0]["text"]
    # A tool hidden from the caller answers as tools/call (and REST) does: its view's 401.
    hidden = result_of(client, "call_tool", {"name": "invoices_list"})
    assert hidden["isError"] is True and "HTTP 401" in hidden["content"][0]["text"]
    unknown = result_of(client, "call_tool", {"name": "no_such_tool"})
    assert unknown["isError"] is True and "Unknown tool" in unknown["content"][0]["text"]
    shape = result_of(client, "call_tool", {"name": 3})
    assert shape["isError"] is True
    # A known tool can still be called directly.
    direct = result_of(client, "categories_list", {})
    assert "isError" not in direct


def test_catalogue_benchmark_of_a_300_tool_api() -> None:
    root = Path(__file__).resolve().parents[1]
    completed = subprocess.run(
        [sys.executable, str(root / "bench" / "bench_catalogue.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=root,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)},
    )
    assert completed.returncode == 0, completed.stderr
    output = completed.stdout
    assert "tools/list of a 300-tool API" in output
    default = int(re.search(r"default mode:\s+(\d+) B", output).group(1))  # type: ignore[union-attr]
    meta = int(re.search(r"discovery mode:\s+(\d+) B", output).group(1))  # type: ignore[union-attr]
    assert meta < 8000 < default


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("create customer", "customers_create"),
        ("list invoices", "invoices_list"),
        ("remove customer", "customers_destroy"),
        ("get invoice", "invoices_retrieve"),
        ("show one customer", "customers_retrieve"),
        ("update invoice", "invoices_update"),
    ],
)
def test_plain_queries_find_the_obvious_tool_first(
    client: Any, settings: Any, query: str, expected: str
) -> None:
    """Resource and verb words weigh more than words that happen to be in descriptions;
    verbs a model uses (remove, get, show, add...) count for the action they name."""
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "TOOL_DISCOVERY": True,
        "PER_USER_TOOLS": False,
    }
    found = result_of(client, "find_tools", {"query": query, "limit": 3})
    assert found["structuredContent"]["tools"][0]["name"] == expected, found
