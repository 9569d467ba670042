"""Tool arguments carried in Mcp-Param-* headers (2026-07-28, SEP-2243): the declaration,
the listed x-mcp-header, the server's check of header against body, MCPClient sending them,
and REST unchanged."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.core import checks
from django.test import Client

from drf_mcp_bridge import mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.core import params
from drf_mcp_bridge.test import MCPClient
from tests.test_docs_examples import python_blocks, run_block

pytestmark = pytest.mark.django_db

V2026 = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": V2026,
    "io.modelcontextprotocol/clientCapabilities": {},
}


@pytest.fixture
def region_tool() -> Any:
    (code,) = [b for b in python_blocks("transport.md") if "header_arguments" in b]
    run_block(code)  # the docs example, as written
    yield "region_status"
    registry.unregister("region_status")


def call(
    client: Client, arguments: dict[str, Any], name: str = "region_status", **headers: str
) -> Any:
    body = {
        "jsonrpc": "2.0",
        "id": 7,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments, "_meta": META},
    }
    return client.post(
        "/mcp/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        HTTP_MCP_PROTOCOL_VERSION=V2026,
        HTTP_MCP_METHOD="tools/call",
        HTTP_MCP_NAME=name,
        **headers,
    )


def test_the_listed_schema_carries_x_mcp_header(region_tool: str) -> None:
    listed = {t["name"]: t for t in MCPClient().tools_list()}
    schema = listed[region_tool]["inputSchema"]
    assert schema["properties"]["region"]["x-mcp-header"] == "Region"
    assert list(params.annotated(schema)) == [(("region",), "Region")]


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("eu-west", True),
        ("  eu-west  ", True),  # whitespace around a field value is not part of it
        ("=?base64?" + base64.b64encode(b"eu-west").decode() + "?=", True),
        ("us-east", False),  # another value than the body's
        ("=?base64?ZXUtd2VzdA?=", False),  # padding missing
        ("=?base64?ZXU!d2VzdA==?=", False),  # not the base64 alphabet
    ],
)
def test_the_server_checks_the_header_against_the_body(
    client: Client, region_tool: str, header: str, accepted: bool
) -> None:
    response = call(client, {"region": "eu-west"}, HTTP_MCP_PARAM_REGION=header)
    answer = response.json()
    if accepted:
        assert response.status_code == 200, answer
        assert answer["result"]["content"][0]["text"] == "eu-west: up"
    else:
        assert response.status_code == 400
        assert answer["id"] == 7
        assert answer["error"]["code"] == -32020
        assert "Mcp-Param-Region" in answer["error"]["message"]


def test_a_value_without_the_whole_wrapper_is_literal(client: Client, region_tool: str) -> None:
    literal = "=?base64?ZXUtd2VzdA=="  # no ?= at the end: the value itself
    response = call(client, {"region": literal}, HTTP_MCP_PARAM_REGION=literal)
    assert response.status_code == 200, response.json()


def test_a_missing_header_is_refused_and_nothing_runs(client: Client, region_tool: str) -> None:
    ran: list[str] = []

    @mcp_tool(name="region_write", header_arguments={"region": "Region"})
    def region_write(region: str) -> str:
        ran.append(region)
        return "written"

    try:
        response = call(client, {"region": "eu"}, name="region_write")
    finally:
        registry.unregister("region_write")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32020
    assert "missing" in response.json()["error"]["message"]
    assert ran == []


def test_mcp_client_sends_the_headers_in_2026(region_tool: str) -> None:
    client = MCPClient(protocol_version=V2026)
    result = client.call_tool(region_tool, {"region": "münchen"})  # non-ASCII: base64 form
    assert not result.is_error, result.raw
    assert result.text == "münchen: up"
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": region_tool, "arguments": {"region": "münchen"}, "_meta": META},
    }
    wrapped = "=?base64?" + base64.b64encode("münchen".encode()).decode() + "?="
    assert client.routing_meta(message)["HTTP_MCP_PARAM_REGION"] == wrapped


def test_2025_clients_send_no_such_headers_and_are_not_checked(region_tool: str) -> None:
    assert not MCPClient().call_tool(region_tool, {"region": "eu"}).is_error


def test_a_bad_declaration_is_a_check_error_and_left_out() -> None:
    @mcp_tool(name="bad_headers", header_arguments={"count": "Count", "nope": "Bad Name"})
    def bad_headers(count: float, nope: str) -> str:
        return "x"

    try:
        found = sorted(m.msg for m in checks.run_checks() if m.id == "drf_mcp_bridge.E018")
        listed = {t["name"]: t for t in MCPClient().tools_list()}["bad_headers"]
    finally:
        registry.unregister("bad_headers")
    assert len(found) == 2
    assert "only string, integer and boolean" in found[0] or "only string" in found[1]
    assert any("not an HTTP header name token" in m for m in found)
    assert list(params.annotated(listed["inputSchema"])) == []  # listed without them


@pytest.mark.parametrize(
    ("value", "encoded"),
    [("eu", "eu"), (3, "3"), (True, "true"), (None, None), ({"a": 1}, None), (" x", None)],
)
def test_encoding(value: Any, encoded: str | None) -> None:
    if value == " x":  # leading space: not header-safe, so base64
        assert params.encode(value) == "=?base64?" + base64.b64encode(b" x").decode() + "?="
    else:
        assert params.encode(value) == encoded
