"""SSE answers, progress, logs, cancellation, elicitation/sampling (SSE for 2025 clients,
input_required for 2026-07-28), sessions and resource subscriptions.

The calls run in their own thread, so these tests use committed data (transactional_db).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, override_settings

from drf_mcp_bridge import CallContext, ToolError, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from drf_mcp_bridge.transport.streaming import event_data
from tests.conftest import rpc, tool_call
from tests.testapp.models import Category

pytestmark = pytest.mark.django_db(transaction=True)

SESSIONS = {
    "SESSIONS": True,
    "PER_USER_TOOLS": False,
    "ANONYMOUS_SUBSCRIPTIONS": True,
    "STREAMS_ON_SYNC_WORKERS": True,  # Django's test client looks like a sync worker
}


def events(response: Any) -> Iterator[dict[str, Any]]:
    """The JSON-RPC messages of an SSE answer, as they arrive."""
    assert response["Content-Type"] == "text/event-stream"
    for data in event_data(response.streaming_content):
        yield json.loads(data)


@pytest.fixture
def chatty() -> Iterator[threading.Event]:
    """Function tools that use the call context; the Event lets a test hold one open."""
    release = threading.Event()

    @mcp_tool(name="chatty")
    def chatty_tool(steps: int, mcp: CallContext) -> str:
        for step in range(steps):
            mcp.progress(step + 1, steps, f"step {step + 1}")
            mcp.log("warning" if step == 0 else "debug", {"step": step})
        return f"done {steps}"

    @mcp_tool(name="ask_name")
    def ask_name(mcp: CallContext) -> str:
        first = mcp.elicit(
            "Your name?", {"type": "object", "properties": {"n": {"type": "string"}}}
        )
        if first.get("action") != "accept":
            raise ToolError("The user declined.")
        second = mcp.sample([{"role": "user", "content": {"type": "text", "text": "hi"}}], 10)
        return f"{first['content']['n']} / {second['content']['text']}"

    @mcp_tool(name="waits")
    def waits(mcp: CallContext) -> str:
        while not release.wait(0.02):
            mcp.progress(0)  # raises once the client cancels
        return "released"

    yield release
    release.set()
    for name in ("chatty", "ask_name", "waits"):
        registry.unregister(name)


def call(client: Client, name: str, arguments: dict[str, Any], **extra: Any) -> Any:
    message = tool_call(name, arguments, id=extra.pop("id", 1))
    meta = extra.pop("meta", None)
    if meta is not None:
        message["params"]["_meta"] = meta
    return rpc(client, message, **extra)


def test_progress_and_logs_stream_before_the_result(client: Client, chatty: Any) -> None:
    response = call(client, "chatty", {"steps": 3}, meta={"progressToken": "tok"})
    received = list(events(response))
    progress = [m["params"] for m in received if m.get("method") == "notifications/progress"]
    assert progress == [
        {"progressToken": "tok", "progress": i, "total": 3, "message": f"step {i}"}
        for i in (1, 2, 3)
    ]
    logs = [m["params"] for m in received if m.get("method") == "notifications/message"]
    # DEFAULT_LOG_LEVEL is "info": the debug messages are not sent.
    assert logs == [{"level": "warning", "data": {"step": 0}}]
    assert received[-1] == {
        "jsonrpc": "2.0",
        "id": 1,
        "result": {"content": [{"type": "text", "text": "done 3"}]},
    }


def test_plain_json_when_the_client_accepts_no_stream(client: Client, chatty: Any) -> None:
    response = call(
        client, "chatty", {"steps": 2}, meta={"progressToken": "t"}, HTTP_ACCEPT="application/json"
    )
    assert response["Content-Type"] == "application/json"
    assert response.json()["result"]["content"][0]["text"] == "done 2"


def test_viewset_action_reports_progress_through_current_call(client: Client, api: Any) -> None:
    for name in ("a", "b"):
        Category.objects.create(name=name)
    response = call(client, "categories_recount", {}, meta={"progressToken": 5})
    received = list(events(response))
    assert [m["params"]["progress"] for m in received[:-1]] == [1, 2]
    assert json.loads(received[-1]["result"]["content"][0]["text"]) == {"count": 2}
    # Without a progressToken the same call answers plain JSON.
    plain = call(client, "categories_recount", {})
    assert json.loads(plain.json()["result"]["content"][0]["text"]) == {"count": 2}
    # Over REST the view runs unchanged and current_call() is None.
    rest = api.post("/api/categories/recount/", format="json")
    assert rest.status_code == 200
    assert rest.json() == {"count": 2}
    assert rest["X-Via-MCP"] == "False"


@override_settings(REST_FRAMEWORK_MCP={**SESSIONS, "DEFAULT_LOG_LEVEL": None})
def test_log_level_from_the_session(client: Client, chatty: Any) -> None:
    init = rpc(client, _initialize({"elicitation": {}}))
    session = init["Mcp-Session-Id"]
    quiet = [m for m in events(call(client, "chatty", {"steps": 2}, HTTP_MCP_SESSION_ID=session))]
    assert [m for m in quiet if m.get("method") == "notifications/message"] == []
    level = rpc(
        client,
        {"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "debug"}},
        HTTP_MCP_SESSION_ID=session,
    )
    assert level.json()["result"] == {}
    loud = list(events(call(client, "chatty", {"steps": 2}, HTTP_MCP_SESSION_ID=session)))
    assert len([m for m in loud if m.get("method") == "notifications/message"]) == 2


def test_bad_log_level(client: Client) -> None:
    response = rpc(
        client,
        {"jsonrpc": "2.0", "id": 2, "method": "logging/setLevel", "params": {"level": "loud"}},
    )
    assert response.json()["error"]["code"] == -32602
    assert "debug, info" in response.json()["error"]["message"]


def _initialize(capabilities: dict[str, Any]) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": capabilities,
            "clientInfo": {"name": "t", "version": "1"},
        },
    }


@override_settings(REST_FRAMEWORK_MCP=SESSIONS)
def test_elicitation_and_sampling_over_the_stream(client: Client, chatty: Any) -> None:
    session = rpc(client, _initialize({"elicitation": {}, "sampling": {}}))["Mcp-Session-Id"]
    stream = events(call(client, "ask_name", {}, HTTP_MCP_SESSION_ID=session))
    asked = next(stream)
    assert asked["method"] == "elicitation/create"
    assert asked["params"]["message"] == "Your name?"
    # The reply is a separate POST (any worker may get it); it is acknowledged with 202.
    reply = {
        "jsonrpc": "2.0",
        "id": asked["id"],
        "result": {"action": "accept", "content": {"n": "Ann"}},
    }
    assert rpc(client, reply, HTTP_MCP_SESSION_ID=session).status_code == 202
    sampled = next(stream)
    assert sampled["method"] == "sampling/createMessage"
    assert sampled["params"]["maxTokens"] == 10
    answer = {
        "jsonrpc": "2.0",
        "id": sampled["id"],
        "result": {"role": "assistant", "content": {"type": "text", "text": "hello"}, "model": "m"},
    }
    rpc(client, answer, HTTP_MCP_SESSION_ID=session)
    final = next(stream)
    assert final["result"]["content"][0]["text"] == "Ann / hello"


@override_settings(REST_FRAMEWORK_MCP=SESSIONS)
def test_reply_from_another_caller_is_ignored(client: Client, chatty: Any) -> None:
    session = rpc(client, _initialize({"elicitation": {}}))["Mcp-Session-Id"]
    other = rpc(client, _initialize({"elicitation": {}}))["Mcp-Session-Id"]
    stream = events(call(client, "ask_name", {}, HTTP_MCP_SESSION_ID=session))
    asked = next(stream)
    decline = {"jsonrpc": "2.0", "id": asked["id"], "result": {"action": "decline"}}
    rpc(client, decline, HTTP_MCP_SESSION_ID=other)  # not this call's client: dropped
    rpc(client, decline, HTTP_MCP_SESSION_ID=session)
    final = next(stream)
    assert final["result"]["isError"] is True
    assert final["result"]["content"][0]["text"] == "The user declined."


@override_settings(REST_FRAMEWORK_MCP=SESSIONS)
def test_client_without_the_capability_gets_a_tool_error(client: Client, chatty: Any) -> None:
    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    final = list(events(call(client, "ask_name", {}, HTTP_MCP_SESSION_ID=session)))[-1]
    assert final["result"]["isError"] is True
    assert "client capability 'elicitation'" in final["result"]["content"][0]["text"]


def test_input_needs_a_stream_in_2025(client: Client, chatty: Any) -> None:
    response = call(client, "ask_name", {}, HTTP_ACCEPT="application/json")
    result = response.json()["result"]
    assert result["isError"] is True
    assert "Accept: application/json, text/event-stream" in result["content"][0]["text"]


def test_input_required_round_trips_in_2026(client: Client, chatty: Any) -> None:
    from tests.test_protocol_2026 import META, modern

    meta_caps = {
        **META,
        "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}, "sampling": {}},
    }

    def ask(extra: dict[str, Any]) -> dict[str, Any]:
        params = {"name": "ask_name", "arguments": {}, **extra}
        response = modern(client, "tools/call", params, HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        result: dict[str, Any] = response.json()["result"]
        return result

    import tests.test_protocol_2026 as module

    module_meta = dict(module.META)
    module.META.update(meta_caps)
    try:
        first = ask({})
        assert first["resultType"] == "input_required"
        ((key, request),) = first["inputRequests"].items()
        assert request["method"] == "elicitation/create"
        second = ask(
            {
                "inputResponses": {key: {"action": "accept", "content": {"n": "Bo"}}},
                "requestState": first["requestState"],
            }
        )
        assert second["resultType"] == "input_required"
        ((key2, request2),) = second["inputRequests"].items()
        assert request2["method"] == "sampling/createMessage"
        final = ask(
            {
                "inputResponses": {
                    key2: {
                        "role": "assistant",
                        "content": {"type": "text", "text": "yo"},
                        "model": "m",
                    }
                },
                "requestState": second["requestState"],
            }
        )
        assert final["resultType"] == "complete"
        assert final["content"][0]["text"] == "Bo / yo"
        # A forged requestState is refused (SEP-2322: it fails the integrity check).
        params = {"name": "ask_name", "arguments": {}, "requestState": "x" + second["requestState"]}
        forged = modern(client, "tools/call", params, HTTP_ACCEPT="application/json")
        assert (forged.status_code, forged.json()["error"]["code"]) == (400, -32602)
    finally:
        module.META.clear()
        module.META.update(module_meta)


def test_cancellation_through_the_cache(client: Client, chatty: Any, alice_token: str) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Token {alice_token}"}
    # Should cancellation fail, the tool finishes after 5 s and answers: the test fails.
    threading.Timer(5, chatty.set).start()
    stream = events(call(client, "waits", {}, id=41, meta={"progressToken": 1}, **auth))
    first = next(stream)
    assert first["method"] == "notifications/progress"
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 41}}
    assert rpc(client, cancel, **auth).status_code == 202
    # The stream ends without a response for the cancelled request.
    rest = list(stream)
    assert all("id" not in m for m in rest)


def test_cancellation_by_another_caller_is_ignored(
    client: Client, chatty: Any, alice_token: str, bob: Any
) -> None:
    from rest_framework.authtoken.models import Token

    # Another signed-in caller (a refused token would be HTTP 401 before any of this).
    bob_token = Token.objects.create(user=bob).key
    stream = events(
        call(
            client,
            "waits",
            {},
            id=42,
            meta={"progressToken": 1},
            HTTP_AUTHORIZATION=f"Token {alice_token}",
        )
    )
    next(stream)
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 42}}
    assert rpc(client, cancel, HTTP_AUTHORIZATION=f"Token {bob_token}").status_code == 202
    chatty.set()
    assert list(stream)[-1]["result"]["content"][0]["text"] == "released"


@override_settings(REST_FRAMEWORK_MCP=SESSIONS)
def test_sessions_lifecycle(client: Client) -> None:
    init = rpc(client, _initialize({}))
    session = init["Mcp-Session-Id"]
    assert init.json()["result"]["capabilities"]["resources"]["subscribe"] is True
    ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
    assert rpc(client, ping, HTTP_MCP_SESSION_ID=session).status_code == 200
    assert rpc(client, ping, HTTP_MCP_SESSION_ID="unknown").status_code == 404
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session).status_code == 204
    gone = rpc(client, ping, HTTP_MCP_SESSION_ID=session)
    assert gone.status_code == 404
    assert "initialize again" in gone.json()["error"]["message"]
    # Stateless requests (no session id) still work.
    assert rpc(client, ping).status_code == 200


def test_without_sessions_get_and_delete_are_405(client: Client) -> None:
    assert client.get("/mcp/", HTTP_MCP_SESSION_ID="x").status_code == 405
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID="x").status_code == 405
    subscribe = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "resources/subscribe",
        "params": {"uri": "drf://categories"},
    }
    error = rpc(client, subscribe).json()["error"]
    assert error["code"] == -32600
    assert "SESSIONS" in error["message"]


@override_settings(REST_FRAMEWORK_MCP={**SESSIONS, "GET_STREAM_SECONDS": 0.5})
def test_subscription_notifies_the_sessions_get_stream(client: Client) -> None:
    session = rpc(client, _initialize({}))["Mcp-Session-Id"]
    subscribe = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "resources/subscribe",
        "params": {"uri": "drf://categories"},
    }
    assert rpc(client, subscribe, HTTP_MCP_SESSION_ID=session).json()["result"] == {}
    unknown = dict(subscribe, params={"uri": "drf://nothing"})
    assert rpc(client, unknown, HTTP_MCP_SESSION_ID=session).json()["error"]["code"] == -32002
    Category.objects.create(name="new")  # a model a subscribed ViewSet serves changes
    stream = client.get("/mcp/", HTTP_MCP_SESSION_ID=session, HTTP_ACCEPT="text/event-stream")
    received = list(events(stream))  # GET_STREAM_SECONDS later, the stream ends
    assert received == [
        {
            "jsonrpc": "2.0",
            "method": "notifications/resources/updated",
            "params": {"uri": "drf://categories"},
        }
    ]
    unsubscribe = dict(subscribe, method="resources/unsubscribe")
    assert rpc(client, unsubscribe, HTTP_MCP_SESSION_ID=session).json()["result"] == {}


def test_mcp_client_reads_streamed_answers(chatty: Any) -> None:
    mcp = MCPClient()
    mcp.on_server_request = lambda request: (
        {"action": "accept", "content": {"n": "Cy"}}
        if request["method"] == "elicitation/create"
        else {"role": "assistant", "content": {"type": "text", "text": "ok"}, "model": "m"}
    )
    assert mcp.call_tool("ask_name").text == "Cy / ok"
    assert mcp.call_tool("chatty", {"steps": 1}).text == "done 1"
    assert [n["method"] for n in mcp.notifications] == ["notifications/message"]
    mcp.on_server_request = None
    refused = mcp.call_tool("ask_name")
    assert refused.is_error and "No handler in MCPClient" in refused.text


@override_settings(
    REST_FRAMEWORK_MCP={
        **SESSIONS,
        "SESSIONS": False,
        "SUBSCRIPTIONS": True,
        "LISTEN_STREAM_SECONDS": 1.5,
    }
)
def test_subscriptions_listen_streams_resource_updates(client: Client) -> None:
    from tests.test_protocol_2026 import modern

    response = modern(
        client,
        "subscriptions/listen",
        {
            "notifications": {
                "resourceSubscriptions": ["drf://categories", "drf://nothing"],
                "toolsListChanged": True,
            }
        },
    )
    stream = events(response)
    ack = next(stream)
    assert ack["method"] == "notifications/subscriptions/acknowledged"
    # Only what the server will deliver: known URIs; its lists never change.
    assert ack["params"]["notifications"] == {"resourceSubscriptions": ["drf://categories"]}
    stamp = {"io.modelcontextprotocol/subscriptionId": 7}
    assert ack["params"]["_meta"] == stamp
    Category.objects.create(name="listened")
    update = next(stream)
    assert update == {
        "jsonrpc": "2.0",
        "method": "notifications/resources/updated",
        "params": {"uri": "drf://categories", "_meta": stamp},
    }
    # The server ends the stream gracefully with the listen request's result.
    final = list(stream)[-1]
    assert final["id"] == 7
    assert final["result"]["resultType"] == "complete"
    assert final["result"]["_meta"]["io.modelcontextprotocol/subscriptionId"] == 7


def test_subscriptions_listen_is_off_by_default(client: Client) -> None:
    from tests.test_protocol_2026 import modern

    response = modern(client, "subscriptions/listen", {"notifications": {}})
    assert response.status_code == 404
    assert "SUBSCRIPTIONS" in response.json()["error"]["message"]


def test_caller_key_reads_the_projects_session_cookie(rf: Any, settings: Any) -> None:
    from drf_mcp_bridge.invocation.calls import caller_key

    settings.SESSION_COOKIE_NAME = "shop_session"
    request = rf.post("/mcp/")
    assert caller_key(request) is None
    request.COOKIES["sessionid"] = "x"  # not this project's cookie
    assert caller_key(request) is None
    request.COOKIES["shop_session"] = "abc"
    other = rf.post("/mcp/")
    other.COOKIES["shop_session"] = "def"
    assert caller_key(request) not in {None, caller_key(other)}


def test_subscriptions_find_the_model_of_viewsets_without_a_queryset() -> None:
    """A ViewSet with only get_queryset() is found through its serializer's model, as the
    rest of the package finds it."""
    from rest_framework import viewsets

    from drf_mcp_bridge import mcp_viewset
    from drf_mcp_bridge.protocol.subscriptions import _resources_by_model
    from tests.testapp.serializers import CategorySerializer

    class QueriedCategories(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        serializer_class = CategorySerializer

        def get_queryset(self) -> Any:
            return Category.objects.all()

    mcp_viewset(name="queried_categories")(QueriedCategories)
    try:
        lists, details = _resources_by_model()[Category]
    finally:
        registry.unregister(QueriedCategories)
    assert "drf://queried_categories" in lists
    assert ("drf://queried_categories", "pk") in details
