"""Client-chosen strings that reach the shared cache (CACHE_ALIAS): request ids of
cancellations, ids of client replies, Mcp-Session-Id and subscribed URIs. Memcached
refuses keys with spaces or control characters and keys over 250 bytes, so every case
runs on LocMemCache, a real memcached and a real Redis (tests/cache_servers.py), and
must get the protocol's answer, never HTTP 500."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client

from drf_mcp_bridge.conf.settings import mcp_settings
from tests.cache_servers import SharedCache
from tests.conftest import rpc

pytestmark = pytest.mark.django_db

V2025 = "2025-11-25"
V2026 = "2026-07-28"

#: Request ids a client may choose (JSON-RPC allows any string or integer).
REQUEST_IDS = {
    "spaces": "a request id with spaces",
    "300-chars": "r" * 300,
    "10000-chars": "r" * 10_000,
    "unicode": "キャンセル-✓-é",
    # Under 250 characters, over 250 bytes in UTF-8 (memcached counts bytes).
    "unicode-over-250-bytes": "✓" * 90,
    # memcached's text protocol ends a command at CRLF.
    "crlf": "1\r\nflush_all",
    "huge-integer": 10**300,
}
REPLY_IDS = {k: REQUEST_IDS[k] for k in ("spaces", "300-chars", "10000-chars", "crlf")}
#: Mcp-Session-Id values; the non-ASCII one as WSGI gives UTF-8 header bytes to Django
#: (decoded as ISO-8859-1).
SESSION_IDS = {
    "spaces": "a session id with spaces",
    "300-chars": "s" * 300,
    "10000-chars": "s" * 10_000,
    "non-ascii": "séssion-✓".encode().decode("latin-1"),
}


@pytest.fixture
def backend(shared_cache_backend: SharedCache, settings: Any) -> SharedCache:
    """The shared cache backend, with sessions and 2026-07-28 subscriptions on."""
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "SESSIONS": True,
        "SUBSCRIPTIONS": True,
    }
    # What drf_mcp_bridge stores (sessions, cancellations, replies) goes to it.
    assert caches[mcp_settings.CACHE_ALIAS] is shared_cache_backend.cache
    return shared_cache_backend


@pytest.fixture
def client() -> Client:
    # A view's exception becomes the HTTP 500 a server would send (with exc_info kept).
    return Client(raise_request_exception=False)


def assert_status(response: Any, status: int | tuple[int, ...]) -> None:
    """``response`` has ``status`` (one of them); on a 500, the exception behind it."""
    wanted = status if isinstance(status, tuple) else (status,)
    if response.status_code in wanted:
        return
    exc_info = getattr(response, "exc_info", None)
    if exc_info:
        detail = f"{exc_info[0].__name__}: {str(exc_info[1])[:300]}"
    elif getattr(response, "streaming", False):
        detail = "an SSE stream"
    else:
        detail = f"body {response.content[:300]!r}"
    pytest.fail(f"HTTP {response.status_code}, expected {wanted}: {detail}")


def initialize(client: Client, **headers: Any) -> str:
    message = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": V2025,
            "capabilities": {},
            "clientInfo": {"name": "cache-tests", "version": "1"},
        },
    }
    response = rpc(client, message, **headers)
    assert_status(response, 200)
    assert "result" in response.json()
    session_id: str = response["Mcp-Session-Id"]
    initialized = {"jsonrpc": "2.0", "method": "notifications/initialized"}
    session = {"HTTP_MCP_SESSION_ID": session_id, "HTTP_MCP_PROTOCOL_VERSION": V2025}
    assert_status(rpc(client, initialized, **session, **headers), 202)
    return session_id


def caller_headers(client: Client, caller: str, token: str) -> dict[str, str]:
    """The headers of a 2025 request from ``caller``: anonymous, a DRF token, a session."""
    if caller == "anonymous":
        return {}
    if caller == "token":
        return {"HTTP_AUTHORIZATION": f"Token {token}"}
    return {"HTTP_MCP_SESSION_ID": initialize(client), "HTTP_MCP_PROTOCOL_VERSION": V2025}


def assert_accepted(response: Any) -> None:
    assert_status(response, 202)
    assert response.content == b""


CALLERS = ["anonymous", "token", "session"]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("request_id", REQUEST_IDS.values(), ids=REQUEST_IDS.keys())
def test_cancellation_with_any_request_id_is_accepted(
    client: Client, backend: SharedCache, alice_token: str, caller: str, request_id: Any
) -> None:
    cancel = {
        "jsonrpc": "2.0",
        "method": "notifications/cancelled",
        "params": {"requestId": request_id, "reason": "test"},
    }
    assert_accepted(rpc(client, cancel, **caller_headers(client, caller, alice_token)))


@pytest.mark.parametrize("request_id", REQUEST_IDS.values(), ids=REQUEST_IDS.keys())
def test_2026_cancellation_with_any_request_id_is_accepted(
    client: Client, backend: SharedCache, alice_token: str, request_id: Any
) -> None:
    cancel = {
        "jsonrpc": "2.0",
        "method": "notifications/cancelled",
        "params": {"requestId": request_id},
    }
    headers = {
        "HTTP_AUTHORIZATION": f"Token {alice_token}",
        "HTTP_MCP_PROTOCOL_VERSION": V2026,
        "HTTP_MCP_METHOD": "notifications/cancelled",
    }
    assert_accepted(rpc(client, cancel, **headers))


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("reply_id", REPLY_IDS.values(), ids=REPLY_IDS.keys())
def test_client_reply_with_any_id_is_accepted(
    client: Client, backend: SharedCache, alice_token: str, caller: str, reply_id: Any
) -> None:
    # No call waits for these ids: the replies are dropped.
    reply = {"jsonrpc": "2.0", "id": reply_id, "result": {"action": "decline"}}
    assert_accepted(rpc(client, reply, **caller_headers(client, caller, alice_token)))


def assert_session_not_found(response: Any) -> None:
    assert_status(response, 404)
    body = response.json()
    assert body["jsonrpc"] == "2.0"
    assert body["error"]["code"] == -32600
    assert body["error"]["message"].startswith("Session not found")


@pytest.mark.parametrize("session_id", SESSION_IDS.values(), ids=SESSION_IDS.keys())
def test_unknown_session_id_on_post_is_404(
    client: Client, backend: SharedCache, session_id: str
) -> None:
    tools_list = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    assert_session_not_found(rpc(client, tools_list, HTTP_MCP_SESSION_ID=session_id))


@pytest.mark.parametrize("session_id", SESSION_IDS.values(), ids=SESSION_IDS.keys())
def test_unknown_session_id_on_get_is_404(
    client: Client, backend: SharedCache, session_id: str
) -> None:
    response = client.get("/mcp/", HTTP_MCP_SESSION_ID=session_id, HTTP_ACCEPT="text/event-stream")
    assert_session_not_found(response)


@pytest.mark.parametrize("session_id", SESSION_IDS.values(), ids=SESSION_IDS.keys())
def test_unknown_session_id_on_delete_is_404(
    client: Client, backend: SharedCache, session_id: str
) -> None:
    assert_session_not_found(client.delete("/mcp/", HTTP_MCP_SESSION_ID=session_id))


def test_session_round_trip(client: Client, backend: SharedCache) -> None:
    session_id = initialize(client)
    session = {"HTTP_MCP_SESSION_ID": session_id, "HTTP_MCP_PROTOCOL_VERSION": V2025}
    tools_list = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    listed = rpc(client, tools_list, **session)
    assert_status(listed, 200)
    assert "categories_list" in [tool["name"] for tool in listed.json()["result"]["tools"]]
    set_level = {
        "jsonrpc": "2.0",
        "id": 2,
        "method": "logging/setLevel",
        "params": {"level": "warning"},
    }
    level = rpc(client, set_level, **session)
    assert_status(level, 200)
    assert level.json() == {"jsonrpc": "2.0", "id": 2, "result": {}}
    assert_status(client.delete("/mcp/", HTTP_MCP_SESSION_ID=session_id), 204)
    assert_session_not_found(rpc(client, tools_list, **session))
    assert_session_not_found(client.delete("/mcp/", HTTP_MCP_SESSION_ID=session_id))


SUBSCRIBE_URIS = {
    "10000-chars": "drf://categories/" + "c" * 10_000,
    "spaces": "drf://categories/a name with spaces",
}


@pytest.mark.parametrize("uri", SUBSCRIBE_URIS.values(), ids=SUBSCRIBE_URIS.keys())
def test_subscribe_to_an_unusable_uri_is_a_jsonrpc_error(
    client: Client, backend: SharedCache, alice_token: str, uri: str
) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {alice_token}"}
    session_id = initialize(client, **auth)
    subscribe = {"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe", "params": {"uri": uri}}
    response = rpc(
        client,
        subscribe,
        HTTP_MCP_SESSION_ID=session_id,
        HTTP_MCP_PROTOCOL_VERSION=V2025,
        **auth,
    )
    assert_status(response, 200)
    body = response.json()
    assert "error" in body, f"subscribed: {str(body)[:300]}"
    assert body["error"]["code"] in (-32602, -32002)


def nested_initialize(depth: int) -> str:
    """An initialize request whose ``capabilities`` nest ``depth`` objects deep, as JSON
    text built without recursion."""
    capabilities = '{"x":' * depth + "{}" + "}" * depth
    params = {
        "protocolVersion": V2025,
        "capabilities": "@CAPABILITIES@",
        "clientInfo": {"name": "cache-tests", "version": "1"},
    }
    message = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": params})
    return message.replace('"@CAPABILITIES@"', capabilities)


def test_deeply_nested_capabilities_start_no_session(client: Client, backend: SharedCache) -> None:
    response = rpc(client, nested_initialize(600))
    assert_status(response, (200, 400))
    body = response.json()
    assert "error" in body, f"initialized: {str(body)[:300]}"
    assert isinstance(body["error"]["code"], int)
    assert "Mcp-Session-Id" not in response
