"""The wire contract of the Streamable HTTP endpoint (one test per rule)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.conftest import rpc

pytestmark = pytest.mark.django_db

INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    },
}


def test_request_gets_one_json_response(client: Client) -> None:
    response = rpc(client, {"jsonrpc": "2.0", "id": 7, "method": "ping"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"jsonrpc": "2.0", "id": 7, "result": {}}


@pytest.mark.parametrize(
    "message",
    [
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}},
        {"jsonrpc": "2.0", "id": 5, "result": {}},
        {"jsonrpc": "2.0", "id": 5, "error": {"code": -1, "message": "no"}},
    ],
)
def test_notifications_and_responses_get_202_without_body(client: Client, message: Any) -> None:
    response = rpc(client, message)
    assert response.status_code == 202
    assert response.content == b""


@pytest.mark.parametrize("method", ["get", "delete", "put", "patch"])
def test_other_methods_get_405_with_allow(client: Client, method: str) -> None:
    response = getattr(client, method)("/mcp/", HTTP_ACCEPT="text/event-stream")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == -32600


def test_malformed_json_is_parse_error_400(client: Client) -> None:
    response = rpc(client, b'{"jsonrpc": "2.0", "id": 1, "method": ')
    assert response.status_code == 400
    body = response.json()
    assert body["id"] is None
    assert body["error"]["code"] == -32700


def test_invalid_utf8_is_parse_error(client: Client) -> None:
    response = rpc(client, b"\xff\xfe\x00garbage")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32700


@pytest.mark.parametrize(
    "payload",
    [
        "3",
        '"ping"',
        "null",
        '{"id": 1, "method": "ping"}',
        '{"jsonrpc": "1.0", "id": 1, "method": "ping"}',
        '{"jsonrpc": "2.0", "id": null, "method": "ping"}',
        '{"jsonrpc": "2.0", "id": true, "method": "ping"}',
        '{"jsonrpc": "2.0", "id": 1.5, "method": "ping"}',
        '{"jsonrpc": "2.0", "id": {}, "method": "ping"}',
        '{"jsonrpc": "2.0", "id": 1, "method": 5}',
        '{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": [1]}',
        '{"jsonrpc": "2.0"}',
    ],
)
def test_invalid_request_objects_are_32600_400(client: Client, payload: str) -> None:
    response = rpc(client, payload.encode())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600


def test_invalid_request_echoes_a_readable_id(client: Client) -> None:
    response = rpc(client, {"jsonrpc": "1.0", "id": "abc", "method": "ping"})
    assert response.json()["id"] == "abc"


@pytest.mark.parametrize("version", ["2025-06-18", "2025-11-25"])
def test_batch_rejected_from_2025_06_18(client: Client, version: str) -> None:
    batch = [{"jsonrpc": "2.0", "id": 1, "method": "ping"}]
    response = rpc(client, batch, HTTP_MCP_PROTOCOL_VERSION=version)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32600


@pytest.mark.parametrize("headers", [{}, {"HTTP_MCP_PROTOCOL_VERSION": "2025-03-26"}])
def test_batch_served_under_2025_03_26(client: Client, headers: dict[str, str]) -> None:
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "ping"},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": "b", "method": "nope"},
        "junk",
        {"jsonrpc": "2.0", "id": 3, "method": "tools/list"},
    ]
    response = rpc(client, batch, **headers)
    assert response.status_code == 200
    body = response.json()
    assert [r["id"] for r in body] == [1, "b", None, 3]
    assert body[0]["result"] == {}
    assert body[1]["error"]["code"] == -32601
    assert body[2]["error"]["code"] == -32600
    assert "tools" in body[3]["result"]


def test_batch_of_notifications_only_is_202(client: Client) -> None:
    response = rpc(client, [{"jsonrpc": "2.0", "method": "notifications/initialized"}])
    assert response.status_code == 202


def test_empty_batch_is_invalid(client: Client) -> None:
    assert rpc(client, []).status_code == 400


def test_initialize_in_a_batch_is_refused(client: Client) -> None:
    response = rpc(client, [INIT])
    assert response.json()[0]["error"]["code"] == -32600


@override_settings(REST_FRAMEWORK_MCP={"MAX_BATCH_SIZE": 2})
def test_oversized_batch_is_refused(client: Client) -> None:
    batch = [{"jsonrpc": "2.0", "id": i, "method": "ping"} for i in range(3)]
    response = rpc(client, batch)
    assert response.status_code == 400


def test_unknown_method_is_32601_http_200(client: Client) -> None:
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/explode"})
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32601


@pytest.mark.parametrize(
    "params",
    [{}, {"name": 5}, {"name": ""}, {"name": "customers_list", "arguments": [1]}],
)
def test_malformed_protocol_params_are_32602(client: Client, params: Any) -> None:
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params})
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32602


def test_initialize_without_version_is_32602(client: Client) -> None:
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}})
    assert response.json()["error"]["code"] == -32602


def test_unknown_tool_is_32602(client: Client) -> None:
    payload = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "nope"}}
    response = rpc(client, payload)
    assert response.status_code == 200
    assert response.json()["error"]["code"] == -32602
    assert "nope" in response.json()["error"]["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_non_json_content_type_is_415(client: Client, content_type: str) -> None:
    response = client.post(
        "/mcp/", data='{"jsonrpc":"2.0","id":1,"method":"ping"}', content_type=content_type
    )
    assert response.status_code == 415


def test_json_content_type_with_charset_is_accepted(client: Client) -> None:
    response = client.post(
        "/mcp/",
        data='{"jsonrpc":"2.0","id":1,"method":"ping"}',
        content_type="application/json; charset=utf-8",
    )
    assert response.status_code == 200


def test_accept_without_json_is_406(client: Client) -> None:
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, HTTP_ACCEPT="text/html")
    assert response.status_code == 406


@override_settings(REST_FRAMEWORK_MCP={"MAX_REQUEST_BODY_SIZE": 100})
def test_body_over_limit_is_413(client: Client) -> None:
    payload = {"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"x": "a" * 200}}
    response = rpc(client, payload)
    assert response.status_code == 413


@override_settings(REST_FRAMEWORK_MCP={"MAX_REQUEST_BODY_SIZE": 100})
def test_413_is_decided_from_content_length_before_reading() -> None:
    from django.test import RequestFactory

    from drf_mcp_bridge.transport.http import MCPView

    class Exploding:
        def read(self, *args: Any) -> bytes:
            raise AssertionError("the body must not be read")

    request = RequestFactory().post("/mcp/", data=b"{}", content_type="application/json")
    request.META["CONTENT_LENGTH"] = "1000000"
    request._stream = Exploding()  # type: ignore[attr-defined]
    response = MCPView.as_view()(request)
    assert response.status_code == 413


def test_unsupported_protocol_version_header_is_400(client: Client) -> None:
    response = rpc(
        client,
        {"jsonrpc": "2.0", "id": 1, "method": "ping"},
        HTTP_MCP_PROTOCOL_VERSION="2024-11-05",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32022
    assert error["data"] == {
        "supported": ["2026-07-28", "2025-11-25", "2025-06-18", "2025-03-26"],
        "requested": "2024-11-05",
    }


@pytest.mark.parametrize("version", ["2025-11-25", "2025-06-18", "2025-03-26"])
def test_supported_protocol_version_headers(client: Client, version: str) -> None:
    response = rpc(
        client, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, HTTP_MCP_PROTOCOL_VERSION=version
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("origin", "status"),
    [
        (None, 200),
        ("http://testserver", 200),
        ("http://testserver:80", 200),
        ("http://allowed.example", 200),
        ("https://testserver", 403),
        ("http://evil.example", 403),
        ("http://testserver.evil.example", 403),
        ("null", 403),
    ],
)
def test_origin_rules(client: Client, origin: str | None, status: int) -> None:
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, **headers)
    assert response.status_code == status


@override_settings(REST_FRAMEWORK_MCP={"ALLOWED_ORIGINS": ["*"]})
def test_origin_wildcard(client: Client) -> None:
    response = rpc(
        client, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, HTTP_ORIGIN="http://evil.example"
    )
    assert response.status_code == 200


def test_host_not_allowed_is_djangos_400(client: Client) -> None:
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, HTTP_HOST="evil.example")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("requested", "negotiated"),
    [
        ("2025-11-25", "2025-11-25"),
        ("2025-06-18", "2025-06-18"),
        ("2025-03-26", "2025-03-26"),
        ("2024-11-05", "2025-11-25"),
        ("2026-07-28", "2025-11-25"),
        ("nonsense", "2025-11-25"),
    ],
)
def test_initialize_negotiates(client: Client, requested: str, negotiated: str) -> None:
    message = json.loads(json.dumps(INIT))
    message["params"]["protocolVersion"] = requested
    result = rpc(client, message).json()["result"]
    assert result["protocolVersion"] == negotiated
    assert result["capabilities"] == {
        "tools": {"listChanged": False},
        "resources": {"subscribe": False, "listChanged": False},
        "prompts": {"listChanged": False},
        "completions": {},
        "logging": {},
    }
    assert result["serverInfo"]["name"] == "drf-mcp-bridge"
    assert result["serverInfo"]["version"]
    assert result["instructions"] == "Test server for drf-mcp-bridge."


@override_settings(REST_FRAMEWORK_MCP={"SERVER_NAME": "shop", "SERVER_VERSION": "9.9"})
def test_initialize_server_info_from_settings_without_instructions(client: Client) -> None:
    result = rpc(client, INIT).json()["result"]
    assert result["serverInfo"] == {"name": "shop", "version": "9.9"}
    assert "instructions" not in result


def test_stateless_no_session_header_needed(client: Client) -> None:
    # No initialize first, no Mcp-Session-Id: every request stands alone.
    response = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert response.status_code == 200
    assert "Mcp-Session-Id" not in response


FUZZ = [
    b"",
    b"[",
    b"[[]]",
    b"[1,2]",
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"customers_retrieve",'
    b'"arguments":{"pk":[1]}}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"customers_retrieve",'
    b'"arguments":{"pk":"../../etc/passwd"}}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"customers_list",'
    b'"arguments":{"page":{"a":1}}}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"customers_create",'
    b'"arguments":{"name":{"x":[1,2,{"y":null}]}, "tier": 5, "credit_limit": "abc"}}}',
    b'{"jsonrpc":"2.0","id":1,"method":"tools/call","params":null}',
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":7}}',
    "\u2028".encode(),
    b"9" * 5000,
    b'{"a":' * 3000 + b"1" + b"}" * 3000,
]


@pytest.mark.parametrize("body", FUZZ)
def test_no_input_gives_500_or_traceback(client: Client, body: bytes) -> None:
    response = rpc(client, body, HTTP_MCP_PROTOCOL_VERSION="2025-11-25")
    assert response.status_code in {200, 202, 400, 415}
    text = response.content.decode(errors="replace")
    assert "Traceback" not in text
    assert 'File "' not in text
