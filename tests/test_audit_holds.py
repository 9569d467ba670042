"""What the security audit tried and found holding, kept holding: CSRF on session-
authenticated writes, the Origin rules on every HTTP method, Client ID Metadata Document
fetches refusing internal addresses, hostile JSON shapes, the explorer page carrying no
data of its own — and the claims of docs/security.md that no other test pinned (session
lifetimes, what the cache holds and for how long, budgets, limits, subscription delivery,
elicitation state, function tools, mcp_export --user).

The other halves of those checks live where they were first written: tests/test_tools_call.py
(CSRF through tools/call), tests/test_transport.py (Origin on POST), tests/test_fuzz.py and
tests/test_security.py (hostile bodies and arguments), tests/test_shared_state.py (sessions,
budgets, cancellations), tests/test_access_matrix.py (the access gate), and the explorer's
vitest tests (explorer/src/render.test.ts).
"""

from __future__ import annotations

import inspect
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.test import Client, override_settings
from rest_framework.test import APIClient

from drf_mcp_bridge import CallContext, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.core import state
from drf_mcp_bridge.test import MCPClient
from drf_mcp_bridge.transport.streaming import event_data
from tests.conftest import rpc, tool_call
from tests.testapp.models import Category, Customer

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
EVIL = "http://evil.example"
PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
INIT = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "audit", "version": "1"},
    },
}


def mcp_settings(settings: Any, **values: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **values}


def mcp_keys() -> list[str]:
    """The endpoint's entries in the (LocMem) test cache; every thread's LocMemCache of one
    location shares this dictionary."""
    return [k for k in caches["default"]._cache if ":mcp:" in k]  # type: ignore[attr-defined]


def token_of(user: User) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def budget_key(user: User | None) -> str:
    from drf_mcp_bridge.core.sessions import owner_of

    return state.key("budget", owner_of(user), int(time.time()) // state.WINDOW)


def start_session(client: Client, **auth: Any) -> str:
    response = rpc(client, INIT, **auth)
    assert response.status_code == 200, response.content
    session: str = response["Mcp-Session-Id"]
    return session


def text_of(result: dict[str, Any]) -> str:
    return "\n".join(b.get("text", "") for b in result.get("content", []))


def messages(response: Any) -> list[dict[str, Any]]:
    assert response["Content-Type"] == "text/event-stream"
    return [json.loads(data) for data in event_data(response.streaming_content)]


@pytest.fixture
def clean_cache() -> Iterator[None]:
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def sessions_on(settings: Any, clean_cache: None) -> None:
    mcp_settings(settings, SESSIONS=True, SUBSCRIPTIONS=True, STREAMS_ON_SYNC_WORKERS=True)


class SetRecorder:
    """Every ``set``/``add`` of an endpoint key on any thread's LocMemCache, with its
    timeout."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str, Any]] = []
        for name in ("set", "add"):
            original = getattr(LocMemCache, name)

            def recorded(
                cache: Any, key: str, value: Any, *args: Any,
                _name: str = name, _original: Any = original, **kwargs: Any,
            ) -> Any:  # fmt: skip
                if key.startswith(state.PREFIX):
                    timeout = kwargs.get("timeout", args[0] if args else "default")
                    self.calls.append((_name, key, timeout))
                return _original(cache, key, value, *args, **kwargs)

            monkeypatch.setattr(LocMemCache, name, recorded)

    def timeouts(self, kind: str) -> list[Any]:
        return [t for _, key, t in self.calls if key.startswith(f"{state.PREFIX}{kind}:")]


class Clock:
    """``time.time`` under the test's control (LocMemCache expiry and signing read it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += seconds


# (a) CSRF on session-authenticated writes ------------------------------------------------


def _csrf_client(alice: User, **kwargs: Any) -> MCPClient:
    client = MCPClient(enforce_csrf_checks=True, **kwargs)
    client.force_login(alice)
    return client


@pytest.mark.parametrize("route", ["call_tool", "batch"])
def test_csrf_is_enforced_on_session_writes_through_discovery_and_batches(
    route: str, alice: User, settings: Any
) -> None:
    """tests/test_tools_call.py::test_session_auth_carries_over_with_csrf covers tools/call;
    the other ways to reach a view's write get the same CSRF refusal from the view's own
    SessionAuthentication."""
    if route == "call_tool":
        mcp_settings(settings, TOOL_DISCOVERY=True)
        client = _csrf_client(alice)
        payload: Any = tool_call(
            "call_tool", {"name": "customers_create", "arguments": {"name": "Forged"}}
        )
    else:
        client = _csrf_client(alice, protocol_version="2025-03-26")
        payload = [PING, tool_call("customers_create", {"name": "Forged"}, id=3)]
    body = client.mcp_post(payload).json()
    answer = next(m for m in body if m.get("id") == 3) if isinstance(body, list) else body
    result = answer["result"]
    assert result["isError"] is True and "CSRF Failed" in text_of(result), result
    assert not Customer.objects.filter(name="Forged").exists()


def test_listing_with_a_session_needs_no_csrf_token(alice: User, settings: Any) -> None:
    """The endpoint's own SessionAuthentication skips the CSRF check: lists change nothing."""
    mcp_settings(settings, PER_USER_TOOLS=True)
    client = _csrf_client(alice)
    assert "customers_create" in client.tool_names()  # the session user, identified
    assert "customers_create" not in MCPClient().tool_names()


@pytest.mark.django_db(transaction=True)
def test_csrf_is_enforced_on_a_streamed_tool_call(alice: User) -> None:
    """A call answered as SSE runs in its own thread; its inner request still carries the
    session and CSRF is still checked."""
    client = _csrf_client(alice)
    message = tool_call("customers_create", {"name": "Forged"})
    message["params"]["_meta"] = {"progressToken": "p"}
    final = messages(client.mcp_post(message))[-1]
    assert final["result"]["isError"] is True and "CSRF Failed" in text_of(final["result"])
    assert not Customer.objects.filter(name="Forged").exists()


@pytest.fixture
def writing_function_tool() -> Iterator[None]:
    @mcp_tool(name="audit_make_category")
    def make_category(name: str) -> str:
        Category.objects.create(name=name)
        return "made"

    yield
    registry.unregister("audit_make_category")


def test_function_tools_rely_on_the_origin_and_content_type_rules(
    writing_function_tool: None, alice: User
) -> None:
    """A function tool has no inner view, so no CSRF check of its own: what keeps a
    cross-site page from running it with a visitor's session is the endpoint's Origin rule
    and its JSON-only Content-Type (a cross-site form cannot send JSON)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    body = json.dumps(tool_call("audit_make_category", {"name": "cross-site"}))
    cross_site = client.post(
        "/mcp/", body, content_type="application/json", HTTP_ORIGIN=EVIL,
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    assert cross_site.status_code == 403
    as_a_form = client.post("/mcp/", body, content_type="text/plain", HTTP_ACCEPT="*/*")
    assert as_a_form.status_code == 415
    assert not Category.objects.filter(name="cross-site").exists()
    # Without Origin (not a browser) or from the page's own origin it runs: no CSRF token.
    same_origin = client.post(
        "/mcp/", body, content_type="application/json", HTTP_ORIGIN="http://testserver",
        HTTP_ACCEPT="application/json",
    )  # fmt: skip
    assert same_origin.json()["result"]["content"][0]["text"] == "made"


# (b) Origin rules on every HTTP method ---------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [(None, True), ("http://testserver", True), ("http://allowed.example", True), (EVIL, False)],
)
def test_origin_rules_hold_for_every_http_method(
    client: Client, alice: User, sessions_on: None, origin: str | None, allowed: bool
) -> None:
    """tests/test_transport.py::test_origin_rules covers POST; GET (the explorer page and
    the session stream), DELETE and OPTIONS are checked by the same dispatch."""
    auth = token_of(alice)
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    session = start_session(client, **auth)
    page = client.get("/mcp/", HTTP_ACCEPT="text/html", **headers)
    options = client.options("/mcp/", **headers)
    stream = {"HTTP_ACCEPT": "text/event-stream", "HTTP_MCP_SESSION_ID": session}
    refused_stream = client.get("/mcp/", **stream, **auth, **headers) if not allowed else None
    delete = client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **auth, **headers)
    if allowed:
        assert (page.status_code, options.status_code, delete.status_code) == (200, 204, 204)
        return
    assert refused_stream is not None
    statuses = [r.status_code for r in (page, options, refused_stream, delete)]
    assert statuses == [403, 403, 403, 403]
    # The session survived the refused DELETE.
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **auth).status_code == 200


def test_the_endpoint_sends_no_cors_headers(client: Client) -> None:
    """Being on ALLOWED_ORIGINS lets a page's request through; reading the answer from
    another origin takes CORS headers, which the endpoint never adds."""
    response = rpc(client, PING, HTTP_ORIGIN="http://allowed.example")
    assert response.status_code == 200
    assert not [h for h in response.headers if h.lower().startswith("access-control-")]


# (c) Client ID Metadata Documents: no fetch of internal addresses ------------------------

INTERNAL = [
    "127.0.0.1",
    "10.0.0.7",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "::1",
    "fd00::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
]


@pytest.mark.parametrize("address", INTERNAL)
def test_cimd_fetcher_refuses_internal_addresses_before_connecting(
    address: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """django-oauth-toolkit's own fetcher (the default CIMD_METADATA_FETCHER) resolves the
    client_id's host and refuses any non-public address; no connection is opened."""
    pytest.importorskip("oauth2_provider")
    from oauth2_provider import cimd

    family = socket.AF_INET6 if ":" in address else socket.AF_INET

    def resolve(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        assert host == "client.example"
        return [(family, socket.SOCK_STREAM, 6, "", (address, 443))]

    connections: list[Any] = []
    monkeypatch.setattr(cimd.socket, "getaddrinfo", resolve)
    monkeypatch.setattr(
        cimd.urllib3, "HTTPSConnectionPool", lambda *a, **k: connections.append(a) or 1 / 0
    )
    with pytest.raises(cimd.CIMDError, match="non-public address"):
        cimd.SafeMetadataFetcher().fetch("https://client.example/metadata.json")
    assert connections == []


@pytest.fixture
def loopback_listener() -> Iterator[tuple[int, list[Any]]]:
    """A TCP port on 127.0.0.1 that records every connection made to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    accepted: list[Any] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except OSError:
                continue
            accepted.append(peer)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join(2)
    server.close()


def test_authorize_with_a_loopback_client_id_contacts_nothing(
    client: Client, alice: User, loopback_listener: tuple[int, list[Any]],
    clean_cache: None, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Through the real authorization endpoint, with the test settings' CIMD_ENABLED and the
    default fetcher: a client_id URL on loopback is an unknown client, and nothing connects
    to the port (tests/interop/oauth_settings.py swaps in a loopback fetcher for its own
    HTTPS document host; production settings do not)."""
    pytest.importorskip("oauth2_provider")
    from oauth2_provider.cimd import CIMDError, SafeMetadataFetcher
    from oauth2_provider.models import Application
    from oauth2_provider.settings import oauth2_settings

    assert oauth2_settings.CIMD_ENABLED is True
    assert oauth2_settings.CIMD_METADATA_FETCHER is SafeMetadataFetcher
    refusals: list[str] = []
    fetch = SafeMetadataFetcher.fetch

    def watched(self: Any, client_id: str) -> Any:
        try:
            return fetch(self, client_id)
        except CIMDError as refused:
            refusals.append(str(refused))
            raise

    monkeypatch.setattr(SafeMetadataFetcher, "fetch", watched)
    port, accepted = loopback_listener
    client_id = f"https://127.0.0.1:{port}/client.json"
    client.force_login(alice)
    response = client.get(
        "/o/authorize/",
        {
            "client_id": client_id,
            "response_type": "code",
            "redirect_uri": "http://127.0.0.1:9/callback",
            "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            "code_challenge_method": "S256",
            "scope": "mcp",
        },
    )
    assert response.status_code == 400, response.status_code
    assert b"invalid_client" in response.content or b"Invalid client" in response.content
    time.sleep(0.2)
    assert accepted == []
    # Refused by django-oauth-toolkit's address check, not for some other reason.
    assert refusals == ["client_id host resolves to a non-public address (127.0.0.1)"]
    assert not Application.objects.filter(client_id=client_id).exists()


# (d) hostile JSON shapes ----------------------------------------------------------------


def deep(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = [value]
    return value


def test_messages_nested_past_twice_the_argument_depth_are_refused_unread(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """protocol.nesting_problem: a whole message nested deeper than 2 x MAX_ARGUMENT_DEPTH
    + 16 levels (80 by default) is refused before any handler reads it; the argument
    limit itself (32) is tests/test_security.py's."""
    limit = 2 * 32 + 16
    fine = rpc(client, {**PING, "params": {"_meta": {"x": deep(limit - 2)}}})
    assert fine.json() == {"jsonrpc": "2.0", "id": 2, "result": {}}
    refused = rpc(client, {**PING, "params": {"_meta": {"x": deep(limit)}}}).json()
    assert refused["error"]["code"] == -32602
    assert f"nested more than {limit} levels" in refused["error"]["message"]
    # A notification or a reply nested that deep is dropped unread.
    seen: list[Any] = []
    monkeypatch.setattr("drf_mcp_bridge.invocation.calls.cancel", lambda *a: seen.append(a))
    monkeypatch.setattr("drf_mcp_bridge.invocation.calls.deliver_reply", lambda *a: seen.append(a))
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled"}
    reply = {"jsonrpc": "2.0", "id": "drf-mcp-" + "a" * 24}
    for message in (
        {**cancel, "params": {"requestId": 1, "x": deep(limit)}},
        {**reply, "result": {"x": deep(limit + 1)}},
    ):
        assert rpc(client, message).status_code == 202
    assert seen == []
    for message in ({**cancel, "params": {"requestId": 1}}, {**reply, "result": {}}):
        assert rpc(client, message).status_code == 202
    assert len(seen) == 2
    # Deeper than the JSON parser goes: a parse error, not a crash.
    parsed = rpc(client, b"[" * 5000 + b"]" * 5000)
    assert parsed.status_code == 400
    assert parsed.json()["error"] == {
        "code": -32700,
        "message": "Parse error: JSON nested too deeply.",
    }


# (e) the explorer ------------------------------------------------------------------------


def test_the_explorer_page_carries_nothing_the_access_gate_would_not_list(
    client: Client, data: dict[str, Any]
) -> None:
    """The page's config names the endpoint, a CSRF token, the user, a login link and the
    resource of each tool the page's user may see (computed by the access gate, as
    tools/list lists them: docs/decisions.md, "The explorer's tool groups"); everything else
    it shows it fetches with MCP requests, which go through the gate like any client's."""
    html = client.get("/mcp/", HTTP_ACCEPT="text/html").content.decode()
    found = re.search(
        r'<script id="mcp-explorer-config" type="application/json">(.*?)</script>', html
    )
    assert found
    config = json.loads(found.group(1))
    assert set(config) == {
        "endpoint", "csrfToken", "user", "loginUrl", "serverName", "toolGroups",
    }  # fmt: skip
    listed = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).json()
    names = {tool["name"] for tool in listed["result"]["tools"]}
    assert set(config["toolGroups"]) <= names
    assert "Ann" not in html  # no row of any resource
    with override_settings(REST_FRAMEWORK_MCP={"PER_USER_TOOLS": True}):
        html = client.get("/mcp/", HTTP_ACCEPT="text/html").content.decode()
        listed = rpc(client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).json()
    found = re.search(
        r'<script id="mcp-explorer-config" type="application/json">(.*?)</script>', html
    )
    assert found
    anonymous_names = {tool["name"] for tool in listed["result"]["tools"]}
    assert set(json.loads(found.group(1))["toolGroups"]) <= anonymous_names < names


def test_the_built_explorer_writes_no_markup() -> None:
    """The shipped script builds its DOM with createElement and text nodes only (the source
    rule is checked by explorer/src/render.test.ts)."""
    script = (
        (ROOT / "src" / "drf_mcp_bridge" / "static" / "drf_mcp_bridge" / "explorer")
        .joinpath("explorer.js")
        .read_text()
    )
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink


# sessions ----------------------------------------------------------------------------------


def test_a_session_lives_session_timeout_from_initialize_however_used(
    client: Client, alice: User, settings: Any, sessions_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mcp_settings(settings, SESSION_TIMEOUT=100)
    clock = Clock(monkeypatch)
    auth = token_of(alice)
    session = start_session(client, **auth)
    assert mcp_keys() == []  # nothing stored at initialize
    level = {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}}
    clock.advance(60)
    assert "result" in rpc(client, level, HTTP_MCP_SESSION_ID=session, **auth).json()
    # The state entry expires with the session: 40 s left, not 100 from its last use.
    key = caches["default"].make_key(state.key("session", session))
    assert sorted(mcp_keys()) == sorted([key, caches["default"].make_key(budget_key(alice))])
    expires = caches["default"]._expire_info[key]  # type: ignore[attr-defined]
    assert abs(expires - (clock.now + 40)) <= 1
    clock.advance(39)
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **auth).status_code == 200
    clock.advance(2)
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **auth).status_code == 404


def test_get_and_delete_need_the_endpoint_scopes(
    client: Client, alice: User, settings: Any, sessions_on: None
) -> None:
    """With OAuth, a session's GET stream and DELETE are checked like a POST: a token of the
    session's owner without OAUTH["SCOPES"] gets 403 insufficient_scope."""
    pytest.importorskip("oauth2_provider")
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import AccessToken, Application

    mcp_settings(
        settings,
        AUTHENTICATION_CLASSES=["drf_mcp_bridge.contrib.oauth.OAuth2Authentication"],
        AUTHENTICATION_REQUIRED=True,
        OAUTH={"SCOPES": ["mcp"], "WRITE_SCOPES": ["mcp:write"]},
    )
    application = Application.objects.create(
        name="audit",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris="http://127.0.0.1:9/callback",
    )

    def bearer(scope: str) -> dict[str, str]:
        value = f"audit-{AccessToken.objects.count()}"
        AccessToken.objects.create(
            user=alice, application=application, token=value, scope=scope,
            expires=timezone.now() + timedelta(hours=1), resource=["http://testserver/mcp/"],
        )  # fmt: skip
        return {"HTTP_AUTHORIZATION": f"Bearer {value}"}

    good, scopeless = bearer("mcp"), bearer("reports")
    session = start_session(client, **good)
    stream = {"HTTP_ACCEPT": "text/event-stream", "HTTP_MCP_SESSION_ID": session}
    for response in (
        client.get("/mcp/", **stream, **scopeless),
        client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **scopeless),
    ):
        assert response.status_code == 403
        assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    # The session belongs to the user, not to one credential: another token of hers ends it.
    another = bearer("mcp mcp:write")
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **another).status_code == 204


def test_required_authentication_is_decided_before_the_body_is_read(
    client: Client, settings: Any
) -> None:
    mcp_settings(settings, AUTHENTICATION_REQUIRED=True)
    response = client.post("/mcp/", b"{not json", content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


# what the cache holds ---------------------------------------------------------------------


def test_a_plain_json_call_stores_nothing(alice: User, sessions_on: None) -> None:
    client = MCPClient()
    client.force_authenticate(alice)
    assert not client.call_tool("customers_list").is_error
    # A write to a model nobody watches: no counter is created or bumped.
    assert not client.call_tool("customers_create", {"name": "Plain"}).is_error
    Category.objects.create(name="unwatched")
    # A reply no call waits for.
    reply = {"jsonrpc": "2.0", "id": "drf-mcp-" + "b" * 24, "result": {"action": "accept"}}
    assert client.mcp_post(reply).status_code == 202
    assert mcp_keys() == []


@pytest.fixture
def waiting_tool() -> Iterator[dict[str, Any]]:
    seen: dict[str, Any] = {"started": threading.Event()}

    @mcp_tool(name="audit_wait")
    def wait(mcp: CallContext) -> str:
        seen["started"].set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            mcp.progress(0)  # raises once cancelled
            time.sleep(0.02)
        return "not cancelled"

    @mcp_tool(name="audit_ask")
    def ask(topic: str, mcp: CallContext) -> str:
        answer = mcp.elicit(f"About {topic}?", {"type": "object", "properties": {}})
        return f"{topic}: {answer.get('action')}"

    yield seen
    registry.unregister("audit_wait")
    registry.unregister("audit_ask")


@pytest.mark.django_db(transaction=True)
def test_in_flight_and_cancellation_marks_live_max_call_seconds_and_go_with_the_call(
    client: Client, alice: User, settings: Any, clean_cache: None,
    waiting_tool: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    mcp_settings(settings, MAX_CALL_SECONDS=77)
    recorder = SetRecorder(monkeypatch)
    auth = token_of(alice)
    marker = "MARKER with spaces " + "x" * 300  # a client's request id
    message = tool_call("audit_wait", {})
    message["id"] = marker
    message["params"]["_meta"] = {"progressToken": "p"}
    stream = (json.loads(d) for d in event_data(rpc(client, message, **auth).streaming_content))
    assert next(stream)["method"] == "notifications/progress"
    keys = mcp_keys()
    assert len(keys) == 1 and all(marker not in k for k in keys)
    cancel = {
        "jsonrpc": "2.0",
        "method": "notifications/cancelled",
        "params": {"requestId": marker},
    }
    assert rpc(client, cancel, **auth).status_code == 202
    assert all("id" not in m for m in stream)  # cancelled: no response
    assert recorder.timeouts("flight") == [77]
    assert recorder.timeouts("cancel") == [77]
    assert mcp_keys() == []  # both deleted when the call ended


def test_a_tool_taking_the_call_context_is_marked_in_flight_as_plain_json_too(
    alice: User, clean_cache: None
) -> None:
    @mcp_tool(name="audit_peek")
    def peek(mcp: CallContext) -> str:
        return ",".join(k.split(":")[3] for k in mcp_keys())

    try:
        client = MCPClient()
        client.credentials(**token_of(alice))
        plain = client.call_tool("audit_peek", {}, HTTP_ACCEPT="application/json")
        assert plain.text == "flight"
        assert mcp_keys() == []
    finally:
        registry.unregister("audit_peek")


@pytest.mark.django_db(transaction=True)
def test_an_anonymous_call_without_a_session_is_not_marked_in_flight(
    client: Client, clean_cache: None
) -> None:
    """Nothing tells its cancellation apart from another anonymous caller's: no mark."""
    release = threading.Event()

    @mcp_tool(name="audit_hold")
    def hold(mcp: CallContext) -> str:
        mcp.progress(0)
        release.wait(5)
        return "held"

    try:
        message = tool_call("audit_hold", {})
        message["params"]["_meta"] = {"progressToken": "p"}
        stream = (json.loads(d) for d in event_data(rpc(client, message).streaming_content))
        assert next(stream)["method"] == "notifications/progress"
        assert mcp_keys() == []
        release.set()
        assert list(stream)[-1]["result"]["content"][0]["text"] == "held"
    finally:
        release.set()
        registry.unregister("audit_hold")


@pytest.mark.django_db(transaction=True)
def test_an_unanswered_input_request_waits_input_timeout(
    client: Client, settings: Any, clean_cache: None,
    waiting_tool: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    mcp_settings(settings, INPUT_TIMEOUT=1)
    recorder = SetRecorder(monkeypatch)
    started = time.monotonic()
    answered = messages(rpc(client, tool_call("audit_ask", {"topic": "cats"})))
    assert answered[0]["method"] == "elicitation/create"  # never answered
    result = answered[-1]["result"]
    assert result["isError"] is True
    assert "did not answer elicitation/create within 1 s" in result["content"][0]["text"]
    assert 1 <= time.monotonic() - started < 5
    assert recorder.timeouts("pending") == [61]  # INPUT_TIMEOUT + 60
    assert mcp_keys() == []


@pytest.mark.django_db(transaction=True)
def test_no_client_string_reaches_a_cache_key(
    client: Client, alice: User, sessions_on: None, waiting_tool: dict[str, Any]
) -> None:
    auth = token_of(alice)
    session = start_session(client, **auth)
    marker = "MARKER ✓ \r\n" + "y" * 400
    uri = "drf://categories?search=" + marker.replace(" ", "+").replace("\r\n", "")
    subscribe = {"jsonrpc": "2.0", "id": marker, "method": "resources/subscribe",
                 "params": {"uri": uri}}  # fmt: skip
    assert rpc(client, subscribe, HTTP_MCP_SESSION_ID=session, **auth).json()["result"] == {}
    message = tool_call("audit_wait", {})
    message["id"] = marker
    message["params"]["_meta"] = {"progressToken": "p"}
    stream = (json.loads(d) for d in event_data(rpc(client, message, **auth).streaming_content))
    assert next(stream)["method"] == "notifications/progress"
    keys = mcp_keys()
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled",
              "params": {"requestId": marker}}  # fmt: skip
    rpc(client, cancel, **auth)
    list(stream)
    shape = re.compile(r"^:1:mcp:[a-z]+:[0-9a-f]{40}(:lock)?$")
    # session state, the URI's version counter, the owner's budget, the in-flight mark
    assert len(keys) == 4, keys
    assert all(shape.match(k) for k in keys), keys
    assert all("MARKER" not in k and "search" not in k for k in keys)
    assert len(state.key("uri", "z" * 100_000)) == len(state.key("uri", "z"))


def test_charged_entries_live_at_most_session_timeout(
    client: Client, alice: User, settings: Any, sessions_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What state.charge's bound rests on: each entry charged to an owner (a session's
    state, a URI's version counter) expires within SESSION_TIMEOUT; the budget counter
    itself lives two windows."""
    mcp_settings(settings, SESSION_TIMEOUT=300)
    recorder = SetRecorder(monkeypatch)
    auth = token_of(alice)
    session = start_session(client, **auth)
    subscribe = {"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe",
                 "params": {"uri": "drf://categories"}}  # fmt: skip
    assert rpc(client, subscribe, HTTP_MCP_SESSION_ID=session, **auth).json()["result"] == {}
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **auth).status_code == 204
    charged = recorder.timeouts("session") + recorder.timeouts("uri")
    assert len(charged) >= 3 and all(0 < t <= 300 for t in charged), charged
    assert set(recorder.timeouts("budget")) == {2 * state.WINDOW}


def test_the_budget_is_per_owner_and_per_hour(
    client: Client, alice: User, settings: Any, sessions_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mcp_settings(settings, STATE_WRITE_LIMIT=2)
    clock = Clock(monkeypatch)
    level = {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}}

    def set_level(**auth: Any) -> bool:
        session = start_session(client, **auth)
        return "result" in rpc(client, level, HTTP_MCP_SESSION_ID=session, **auth).json()

    assert [set_level() for _ in range(3)] == [True, True, False]  # anonymous callers share
    refused = rpc(client, level, HTTP_MCP_SESSION_ID=start_session(client)).json()["error"]
    assert refused["code"] == -32600 and "STATE_WRITE_LIMIT" in refused["message"]
    # Ending a session stores a mark: refused too, as HTTP 429 for an hour at most.
    ended = client.delete("/mcp/", HTTP_MCP_SESSION_ID=start_session(client))
    assert (ended.status_code, ended["Retry-After"]) == (429, "3600")
    assert set_level(**token_of(alice)) is True  # a user has a budget of their own
    clock.advance(state.WINDOW)
    assert set_level() is True  # a new hour


def test_locks_expire_and_never_block_for_long() -> None:
    name = state.key("session", "audit-lock")
    cache = caches["default"]
    with state.locked(name):
        assert cache.get(name + ":lock") == 1
        assert cache.add(name + ":lock", 1) is False  # held
        expires = cache._expire_info[cache.make_key(name + ":lock")]  # type: ignore[attr-defined]
        assert 4 <= expires - time.time() <= 5
    assert inspect.signature(state.locked).parameters["wait"].default == 2.0
    assert cache.get(name + ":lock") is None
    cache.add(name + ":lock", "someone else", timeout=5)
    started = time.monotonic()
    with state.locked(name, wait=0.1):
        pass  # runs anyway once the wait is over
    assert 0.1 <= time.monotonic() - started < 1
    assert cache.get(name + ":lock") == "someone else"  # not released by a non-holder
    cache.delete(name + ":lock")


# limits -----------------------------------------------------------------------------------


def test_uris_longer_than_max_uri_length_are_refused(
    client: Client, alice: User, settings: Any, sessions_on: None
) -> None:
    mcp_settings(settings, MAX_URI_LENGTH=50)
    auth = token_of(alice)
    session = start_session(client, **auth)
    uri = "drf://categories?search=" + "x" * 30
    requests = [
        ("resources/read", {"uri": uri}),
        ("resources/subscribe", {"uri": uri}),
        ("completion/complete", {"ref": {"type": "ref/resource", "uri": uri},
                                 "argument": {"name": "pk", "value": ""}}),
    ]  # fmt: skip
    for method, params in requests:
        body = rpc(
            client, {"jsonrpc": "2.0", "id": 4, "method": method, "params": params},
            HTTP_MCP_SESSION_ID=session, **auth,
        ).json()  # fmt: skip
        assert body["error"]["code"] == -32602, (method, body)
        assert "MAX_URI_LENGTH" in body["error"]["message"]


@pytest.mark.parametrize("on", [True, False])
def test_completion_querysets_can_be_turned_off(
    on: bool, settings: Any, data: dict[str, Any]
) -> None:
    mcp_settings(settings, COMPLETION_QUERYSETS=on)
    completion = MCPClient().request_mcp(
        "completion/complete",
        {"ref": {"type": "ref/resource", "uri": "drf://categories/{pk}"},
         "argument": {"name": "pk", "value": ""}},
    )["completion"]  # fmt: skip
    assert completion["values"] == ([str(data["books"].pk)] if on else [])


def listen(client: Client, uris: list[str], **headers: Any) -> Any:
    from tests.test_protocol_2026 import modern

    return modern(
        client, "subscriptions/listen", {"notifications": {"resourceSubscriptions": uris}},
        **headers,
    )  # fmt: skip


def test_a_session_past_max_subscriptions_gets_invalid_params(
    client: Client, alice: User, settings: Any, sessions_on: None
) -> None:
    mcp_settings(settings, MAX_SUBSCRIPTIONS=1)
    auth = token_of(alice)
    session = start_session(client, **auth)
    answers = [
        rpc(
            client,
            {"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe", "params": {"uri": uri}},
            HTTP_MCP_SESSION_ID=session, **auth,
        ).json()
        for uri in ("drf://categories", "drf://customers")
    ]  # fmt: skip
    assert answers[0]["result"] == {}
    assert answers[1]["error"]["code"] == -32602


@pytest.mark.django_db(transaction=True)
def test_listen_streams_refuse_anonymous_callers_and_too_many_uris(
    client: Client, alice: User, settings: Any, sessions_on: None
) -> None:
    mcp_settings(settings, MAX_SUBSCRIPTIONS=2, LISTEN_STREAM_SECONDS=0.5)
    (anonymous,) = messages(listen(client, ["drf://categories"]))
    assert anonymous["error"]["code"] == -32600
    assert "ANONYMOUS_SUBSCRIPTIONS" in anonymous["error"]["message"]
    uris = [f"drf://categories/{n}" for n in range(3)]
    (many,) = messages(listen(client, uris, **token_of(alice)))
    assert many["error"]["code"] == -32602 and "MAX_SUBSCRIPTIONS" in many["error"]["message"]
    mcp_settings(settings, ANONYMOUS_SUBSCRIPTIONS=True)
    first = messages(listen(client, ["drf://categories"]))[0]
    assert first["method"] == "notifications/subscriptions/acknowledged"


# subscriptions ------------------------------------------------------------------------------


def test_a_refused_subscription_carries_the_rest_status(
    client: Client, data: dict[str, Any], sessions_on: None
) -> None:
    alice = data["a1"].owner
    auth = token_of(alice)
    session = start_session(client, **auth)

    def subscribe(uri: str) -> dict[str, Any]:
        message = {
            "jsonrpc": "2.0",
            "id": 3,
            "method": "resources/subscribe",
            "params": {"uri": uri},
        }
        body: dict[str, Any] = rpc(client, message, HTTP_MCP_SESSION_ID=session, **auth).json()
        return body

    bobs = f"drf://customers/{data['b1'].pk}"
    assert APIClient().get(f"/api/customers/{data['b1'].pk}/", **auth).status_code == 403
    refused = subscribe(bobs)["error"]
    assert (refused["code"], refused["data"]) == (-32001, {"uri": bobs, "status": 403})
    assert subscribe("drf://customers/999999")["error"]["code"] == -32002
    assert subscribe(f"drf://customers/{data['a1'].pk}")["result"] == {}


@pytest.mark.django_db(transaction=True)
def test_several_changes_between_two_polls_give_one_notification(
    client: Client, alice: User, sessions_on: None
) -> None:
    from drf_mcp_bridge.core import sessions
    from drf_mcp_bridge.protocol.subscriptions import SessionListener, relay

    auth = token_of(alice)
    session_id = start_session(client, **auth)
    subscribe = {"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe",
                 "params": {"uri": "drf://categories"}}  # fmt: skip
    assert rpc(client, subscribe, HTTP_MCP_SESSION_ID=session_id, **auth).json()["result"] == {}
    for number in range(5):
        Category.objects.create(name=f"change {number}")
    session = sessions.load(session_id, sessions.owner_of(alice))
    assert session is not None
    sent: list[dict[str, Any]] = []
    relay(SessionListener(session), sent.append, threading.Event(), time.monotonic() + 0.3,
          lambda uri: True)  # fmt: skip
    assert [m["params"]["uri"] for m in sent] == ["drf://categories"]


def test_own_resources_announce_changes_with_notify_resource_updated(
    client: Client, alice: User, sessions_on: None
) -> None:
    from drf_mcp_bridge import mcp_resource, notify_resource_updated
    from drf_mcp_bridge.catalogue.resources import unregister_resource
    from drf_mcp_bridge.core import sessions
    from drf_mcp_bridge.protocol.subscriptions import SessionListener, relay

    @mcp_resource("audit://news")
    def news() -> str:
        return "news"

    try:
        assert notify_resource_updated("audit://news") == 0  # nobody watches: nothing stored
        assert mcp_keys() == []
        auth = token_of(alice)
        session_id = start_session(client, **auth)
        subscribe = {"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe",
                     "params": {"uri": "audit://news"}}  # fmt: skip
        assert rpc(client, subscribe, HTTP_MCP_SESSION_ID=session_id, **auth).json()["result"] == {}
        assert notify_resource_updated("audit://news") == 1
        session = sessions.load(session_id, sessions.owner_of(alice))
        assert session is not None
        sent: list[dict[str, Any]] = []
        relay(SessionListener(session), sent.append, threading.Event(), time.monotonic() + 0.3,
              lambda uri: True)  # fmt: skip
        assert [m["params"]["uri"] for m in sent] == ["audit://news"]
    finally:
        unregister_resource("audit://news")


@pytest.mark.django_db(transaction=True)
def test_an_evicted_counter_is_recreated_while_watched(
    client: Client, alice: User, sessions_on: None
) -> None:
    from drf_mcp_bridge.core import sessions
    from drf_mcp_bridge.protocol.subscriptions import SessionListener, relay, version_key

    auth = token_of(alice)
    session_id = start_session(client, **auth)
    subscribe = {"jsonrpc": "2.0", "id": 3, "method": "resources/subscribe",
                 "params": {"uri": "drf://categories"}}  # fmt: skip
    assert rpc(client, subscribe, HTTP_MCP_SESSION_ID=session_id, **auth).json()["result"] == {}
    caches["default"].delete(version_key("drf://categories"))  # evicted
    session = sessions.load(session_id, sessions.owner_of(alice))
    assert session is not None
    sent: list[dict[str, Any]] = []
    relay(SessionListener(session), sent.append, threading.Event(), time.monotonic() + 0.3,
          lambda uri: True)  # fmt: skip
    assert sent == [] and caches["default"].get(version_key("drf://categories")) == 0
    Category.objects.create(name="after eviction")
    relay(SessionListener(session), sent.append, threading.Event(), time.monotonic() + 0.3,
          lambda uri: True)  # fmt: skip
    assert [m["params"]["uri"] for m in sent] == ["drf://categories"]


@pytest.mark.django_db(transaction=True)
def test_an_update_is_not_delivered_once_the_caller_may_no_longer_read(
    client: Client, alice: User, bob: User, settings: Any, sessions_on: None
) -> None:
    """Access is checked when each update is sent, not only at subscription: alice follows
    her customer, it is handed to bob (IsOwnerOrStaff now refuses her), and its update
    does not reach her, while a resource she still reads does."""
    mcp_settings(settings, LISTEN_STREAM_SECONDS=1.5)
    customer = Customer.objects.create(owner=alice, name="Handed over")
    followed = f"drf://customers/{customer.pk}"
    stream = (
        json.loads(d)
        for d in event_data(
            listen(client, [followed, "drf://categories"], **token_of(alice)).streaming_content
        )
    )
    ack = next(stream)
    assert ack["params"]["notifications"]["resourceSubscriptions"] == [followed, "drf://categories"]
    customer.owner = bob
    customer.save()
    Category.objects.create(name="still readable")
    updates = [m["params"]["uri"] for m in stream if m.get("method", "").endswith("/updated")]
    assert updates == ["drf://categories"]


def test_reads_and_completion_charge_the_views_throttles_and_subscribing_does_not(
    client: Client, data: dict[str, Any], sessions_on: None, settings: Any
) -> None:
    """NoteViewSet throttles anonymous callers to 3 requests a minute (AnonRateThrottle)."""
    mcp_settings(settings, ANONYMOUS_SUBSCRIPTIONS=True)
    session = start_session(client)

    def ask(method: str, params: dict[str, Any]) -> dict[str, Any]:
        message = {"jsonrpc": "2.0", "id": 5, "method": method, "params": params}
        body: dict[str, Any] = rpc(client, message, HTTP_MCP_SESSION_ID=session).json()
        return body

    complete = {"ref": {"type": "ref/resource", "uri": "drf://kb_notes/{slug}"},
                "argument": {"name": "slug", "value": ""}}  # fmt: skip
    assert ask("completion/complete", complete)["result"]["completion"]["values"] == ["hello"]
    assert "result" in ask("resources/read", {"uri": "drf://kb_notes"})
    assert "result" in ask("resources/read", {"uri": "drf://kb_notes"})
    throttled = ask("resources/read", {"uri": "drf://kb_notes"})["error"]
    assert (throttled["code"], throttled["data"]["status"]) == (-32001, 429)
    assert ask("completion/complete", complete)["result"]["completion"]["values"] == []
    # Subscribing checks what a GET checks, without charging (or being refused by) throttles.
    assert ask("resources/subscribe", {"uri": "drf://kb_notes"})["result"] == {}


# elicitation state -----------------------------------------------------------------------


def test_a_tampered_request_state_is_refused_an_expired_one_ignored(
    client: Client, alice: User, waiting_tool: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch, clean_cache: None,
) -> None:  # fmt: skip
    from tests.test_protocol_2026 import META, modern

    meta = {**META, "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}}}
    auth = token_of(alice)

    def answer_to(extra: dict[str, Any]) -> Any:
        params = {"_meta": meta, "name": "audit_ask", "arguments": {"topic": "cats"}, **extra}
        return modern(client, "tools/call", params, HTTP_ACCEPT="application/json", **auth)

    def ask(extra: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = answer_to(extra).json()["result"]
        return result

    first = ask({})
    ((key, _),) = first["inputRequests"].items()
    answer = {"inputResponses": {key: {"action": "accept"}}}
    signed = first["requestState"]
    middle = len(signed) // 2
    tampered = signed[:middle] + ("A" if signed[middle] != "A" else "B") + signed[middle + 1 :]
    # A state that fails its integrity check is refused (SEP-2322: servers MUST reject it).
    refused = answer_to({**answer, "requestState": tampered})
    assert (refused.status_code, refused.json()["error"]["code"]) == (400, -32602)
    clock = Clock(monkeypatch)
    clock.advance(24 * 3600 + 5)
    assert ask({**answer, "requestState": signed})["resultType"] == "input_required"
    clock.advance(-(24 * 3600 + 5))
    done = ask({**answer, "requestState": signed})
    assert done["resultType"] == "complete" and done["content"][0]["text"] == "cats: accept"
    assert mcp_keys() == []  # the state travelled in requestState, not in the cache


def test_request_state_is_bound_to_the_uri_too(rf: Any) -> None:
    from drf_mcp_bridge.invocation import calls
    from drf_mcp_bridge.protocol.server import RequestContext

    context = RequestContext(http_request=rf.post("/mcp/"), protocol_version="2026-07-28")
    one = calls.CallContext(context, 1, {"uri": "drf://customers/1"})
    other = calls.CallContext(context, 1, {"uri": "drf://customers/2"})
    assert one._binding != other._binding
    signed = calls._write_state({"for": one._binding, "answers": {}, "asked": ["k"]})
    assert calls._read_state(signed, one._binding)["asked"] == ["k"]
    assert calls._read_state(signed, other._binding) == {}


# function tools, async views, mcp_export --user -------------------------------------------


def test_function_tools_are_listed_to_everyone_and_see_only_djangos_user(
    alice: User, settings: Any
) -> None:
    """No view, no DRF authentication or permissions: a function tool is visible to every
    caller (PER_USER_TOOLS has nothing to check), and its ``request`` is the outer Django
    request, whose ``user`` is what Django's middleware set — a session user, not a DRF
    token's. Such a tool decides for itself who may run it."""
    mcp_settings(settings, PER_USER_TOOLS=True)

    @mcp_tool(name="audit_whoami")
    def whoami(request: Any) -> str:
        return str(request.user)

    try:
        assert "audit_whoami" in MCPClient().tool_names()
        by_token = MCPClient()
        by_token.credentials(**token_of(alice))
        assert by_token.call_tool("audit_whoami").text == "AnonymousUser"
        by_session = MCPClient()
        by_session.force_login(alice)
        assert by_session.call_tool("audit_whoami").text == "alice"
    finally:
        registry.unregister("audit_whoami")


def test_own_resources_and_prompts_are_listed_to_everyone(alice: User, settings: Any) -> None:
    """@mcp_resource and @mcp_prompt functions are listed to every caller, also with
    PER_USER_TOOLS; a resource function gets the caller's DRF request (authenticated with
    the endpoint's classes) to decide for itself."""
    from drf_mcp_bridge import mcp_prompt, mcp_resource
    from drf_mcp_bridge.catalogue.prompts import unregister_prompt
    from drf_mcp_bridge.catalogue.resources import unregister_resource

    mcp_settings(settings, PER_USER_TOOLS=True)

    @mcp_resource("audit://whoami")
    def whoami(request: Any) -> str:
        return str(request.user)

    @mcp_prompt()
    def audit_prompt() -> str:
        """A prompt of the project's own."""
        return "Hello."

    try:
        anonymous = MCPClient()
        listed = anonymous.request_mcp("resources/list")["resources"]
        assert "audit://whoami" in [r["uri"] for r in listed]
        prompts = [p["name"] for p in anonymous.request_mcp("prompts/list")["prompts"]]
        assert "audit_prompt" in prompts and "invoices_guide" not in prompts
        by_token = MCPClient()
        by_token.credentials(**token_of(alice))
        read = by_token.request_mcp("resources/read", {"uri": "audit://whoami"})["contents"]
        assert read[0]["text"] == "alice"
        # Without PER_USER_TOOLS every caller reads every tool and every guide.
        mcp_settings(settings, PER_USER_TOOLS=False)
        prompts = [p["name"] for p in anonymous.request_mcp("prompts/list")["prompts"]]
        assert "invoices_guide" in prompts
        assert "invoices_create" in anonymous.tool_names()
    finally:
        unregister_resource("audit://whoami")
        unregister_prompt("audit_prompt")


def test_async_views_run_outside_the_call_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Django refuses ATOMIC_REQUESTS for async views; an adrf ViewSet's tool call is not
    wrapped either (sync views and function tools are: tests/test_function_tool_transactions.py)."""
    pytest.importorskip("adrf")
    from contextlib import contextmanager

    from drf_mcp_bridge import mcp_viewset
    from drf_mcp_bridge.invocation import run as invocation
    from tests.testapp.async_views import AsyncCategories

    wrapped: list[Any] = []
    original = invocation.call_transaction

    @contextmanager
    def recording(function: Any) -> Iterator[list[str]]:
        wrapped.append(function)
        with original(function) as aliases:
            yield aliases

    monkeypatch.setattr(invocation, "call_transaction", recording)
    mcp_viewset(name="audit_async")(AsyncCategories)
    try:
        client = MCPClient()
        assert not client.call_tool("audit_async_list").is_error
        assert wrapped == []
        assert not client.call_tool("categories_list").is_error
        assert len(wrapped) == 1
    finally:
        registry.unregister(AsyncCategories)


def test_mcp_export_as_a_user_is_what_their_client_is_shown(alice: User, settings: Any) -> None:
    mcp_settings(settings, PER_USER_TOOLS=True)

    def exported(*args: str) -> dict[str, Any]:
        out = StringIO()
        call_command("mcp_export", *args, stdout=out)
        found: dict[str, Any] = json.loads(out.getvalue())
        return found

    client = MCPClient()
    client.credentials(**token_of(alice))
    as_alice = exported("--user", "alice")
    assert [t["name"] for t in as_alice["tools"]] == client.tool_names()
    assert as_alice["prompts"] == client.request_mcp("prompts/list")["prompts"]
    # Without --user: the whole catalogue, beyond what an anonymous client is shown.
    everything = [t["name"] for t in exported()["tools"]]
    shown_to_anonymous = MCPClient().tool_names()
    assert set(shown_to_anonymous) < set(everything)
    assert "invoices_list" in everything and "invoices_list" not in shown_to_anonymous


# reverse proxies ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_sse_answers_ask_proxies_not_to_buffer(client: Client) -> None:
    message = tool_call("customers_list", {})
    message["params"]["_meta"] = {"progressToken": "p"}
    response = rpc(client, message)
    assert response["Content-Type"] == "text/event-stream"
    assert response["X-Accel-Buffering"] == "no"
    assert response["Cache-Control"] == "no-cache"
    list(response.streaming_content)
