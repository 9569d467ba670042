"""Protocol 2026-07-28 beside the 2025 revisions: no handshake, ``_meta`` on every request,
headers that repeat the body, server/discover, resultType and cache hints, and the
per-version method table."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from drf_mcp_bridge.core.types import SUPPORTED_PROTOCOL_VERSIONS
from drf_mcp_bridge.protocol.server import METHODS_BY_VERSION
from tests.conftest import rpc
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db

V = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": V,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "test", "version": "1"},
}


def modern(
    client: Client, method: str, params: dict[str, Any] | None = None, **headers: Any
) -> Any:
    """POST a 2026-07-28 request with the headers a conforming client sends."""
    params = {"_meta": dict(META), **(params or {})}
    extra = {"HTTP_MCP_PROTOCOL_VERSION": V, "HTTP_MCP_METHOD": method}
    name = params.get("name") or params.get("uri")
    if isinstance(name, str):
        extra["HTTP_MCP_NAME"] = name
    extra.update(headers)
    return rpc(client, {"jsonrpc": "2.0", "id": 7, "method": method, "params": params}, **extra)


def test_discover_lists_versions_and_capabilities(client: Client) -> None:
    response = modern(client, "server/discover")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["supportedVersions"] == list(SUPPORTED_PROTOCOL_VERSIONS)
    assert result["resultType"] == "complete"
    assert result["capabilities"]["tools"] == {"listChanged": False}
    assert result["capabilities"]["resources"]["subscribe"] is False
    assert result["cacheScope"] == "public"
    assert result["ttlMs"] == 60_000
    assert result["instructions"] == "Test server for drf-mcp-bridge."
    server_info = result["_meta"]["io.modelcontextprotocol/serverInfo"]
    assert server_info["name"] == "drf-mcp-bridge"


@override_settings(REST_FRAMEWORK_MCP={"PER_USER_TOOLS": True, "INSTRUCTIONS": "Test server."})
def test_lists_carry_result_type_and_cache_hints(client: Client) -> None:
    result = modern(client, "tools/list").json()["result"]
    assert result["resultType"] == "complete"
    # Lists are filtered per user (PER_USER_TOOLS): only this caller's cache may keep them.
    assert result["cacheScope"] == "private"
    assert result["ttlMs"] == 60_000
    assert "categories_list" in [t["name"] for t in result["tools"]]


@override_settings(REST_FRAMEWORK_MCP={"PER_USER_TOOLS": False, "LIST_TTL_MS": 5})
def test_lists_are_public_without_per_user_tools(client: Client) -> None:
    result = modern(client, "prompts/list").json()["result"]
    assert (result["cacheScope"], result["ttlMs"]) == ("public", 5)


def test_tool_call_in_2026(client: Client, alice_token: str) -> None:
    response = modern(
        client,
        "tools/call",
        {"name": "customers_create", "arguments": {"name": "Modern", "tier": "pro"}},
        HTTP_AUTHORIZATION=f"Token {alice_token}",
    )
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["resultType"] == "complete"
    assert result["structuredContent"]["name"] == "Modern"
    assert "ttlMs" not in result  # tools/call is not cacheable
    assert Customer.objects.filter(name="Modern").exists()


@pytest.mark.parametrize("method", ["initialize", "ping", "logging/setLevel"])
def test_handshake_methods_are_gone_in_2026(client: Client, method: str) -> None:
    response = modern(client, method, {"protocolVersion": V, "level": "info"})
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == -32601
    assert "not part of protocol version 2026-07-28" in error["message"]


def test_discover_is_not_a_2025_method(client: Client) -> None:
    response = rpc(
        client,
        {"jsonrpc": "2.0", "id": 1, "method": "server/discover"},
        HTTP_MCP_PROTOCOL_VERSION="2025-11-25",
    )
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32601


def test_method_table_per_version() -> None:
    assert "server/discover" in METHODS_BY_VERSION[V]
    assert "initialize" not in METHODS_BY_VERSION[V]
    for version in ("2025-11-25", "2025-06-18", "2025-03-26"):
        assert {"initialize", "ping", "logging/setLevel"} <= METHODS_BY_VERSION[version]
        assert "server/discover" not in METHODS_BY_VERSION[version]


def test_missing_envelope_is_invalid_params(client: Client) -> None:
    response = rpc(
        client,
        {"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": {}},
        HTTP_MCP_PROTOCOL_VERSION=V,
        HTTP_MCP_METHOD="tools/list",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32602
    assert "io.modelcontextprotocol/clientCapabilities" in error["message"]
    assert response.json()["id"] == 3


@pytest.mark.parametrize(
    ("headers", "mentions"),
    [
        ({"HTTP_MCP_METHOD": "tools/list"}, "Mcp-Method"),
        ({"HTTP_MCP_NAME": "customers_create"}, "Mcp-Name"),
        ({"HTTP_MCP_PROTOCOL_VERSION": "2025-11-25"}, "MCP-Protocol-Version"),
    ],
)
def test_headers_must_repeat_the_body(
    client: Client, headers: dict[str, str], mentions: str
) -> None:
    response = modern(client, "tools/call", {"name": "customers_list", "arguments": {}}, **headers)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32020
    assert mentions in error["message"]


def test_non_ascii_name_header_in_base64_form(client: Client) -> None:
    import base64

    encoded = "=?base64?" + base64.b64encode("ünknown".encode()).decode() + "?="
    response = modern(client, "prompts/get", {"name": "ünknown"}, HTTP_MCP_NAME=encoded)
    # The header matched (decoded); the prompt itself does not exist.
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32602
    assert "Unknown prompt" in response.json()["error"]["message"]


def test_unknown_resource_is_invalid_params_in_2026(client: Client) -> None:
    response = modern(client, "resources/read", {"uri": "drf://nothing"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32602
    legacy = rpc(
        client,
        {"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": "drf://nothing"}},
    )
    assert legacy.json()["error"]["code"] == -32002


def test_unsupported_version_in_body_and_header(client: Client) -> None:
    response = rpc(
        client,
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": META}},
        HTTP_MCP_PROTOCOL_VERSION="2027-01-01",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32022
    assert V in response.json()["error"]["data"]["supported"]


def test_notifications_are_accepted(client: Client) -> None:
    response = rpc(
        client,
        {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}},
        HTTP_MCP_PROTOCOL_VERSION=V,
        HTTP_MCP_METHOD="notifications/cancelled",
    )
    assert response.status_code == 202


@pytest.mark.parametrize("name", ["customers_list", "ünknown"])
def test_routing_headers_satisfy_the_header_check(rf: Any, name: str) -> None:
    """What the stdio server sends on a client's behalf is what the HTTP check accepts."""
    from drf_mcp_bridge.transport import rules as transport

    params = {"name": name, "_meta": META}
    headers = transport.routing_headers({"method": "tools/call", "params": params})
    assert headers["Mcp-Name"] == name if name.isascii() else headers["Mcp-Name"] != name
    meta = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    assert transport.header_mismatch(rf.post("/mcp/", **meta), "tools/call", params) is None
    assert transport.routing_headers({"method": "tools/call", "params": {"name": name}}) == {}
