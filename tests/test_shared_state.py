"""What the endpoint keeps in the shared cache, against hostile clients: sessions bound to
their owner, no cache entry for a client's say-so (cancellations of calls not in flight,
initialize floods), stale cancellations, subscriptions that cost a writer O(1), no lost
subscribers under concurrency, no update lost after a listen acknowledgment, cancellation
over stdio, and elicitation state bound to its call. Each test failed on the code before
the security issue's changes."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import transaction
from django.test import Client

from drf_mcp_bridge import CallContext, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from tests.conftest import rpc, tool_call
from tests.test_streaming import _initialize, events
from tests.testapp.models import Category

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def sessions_on(settings: Any) -> Iterator[None]:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "SESSIONS": True,
        "SUBSCRIPTIONS": True,
        "STREAMS_ON_SYNC_WORKERS": True,
    }
    caches["default"].clear()
    yield
    caches["default"].clear()


def mcp_keys() -> list[str]:
    """The endpoint's entries in the (LocMem) test cache."""
    cache = caches["default"]
    return [k for k in cache._cache if ":mcp:" in k]  # type: ignore[attr-defined]


def token_of(user: User) -> dict[str, str]:
    from rest_framework.authtoken.models import Token

    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def start_session(client: Client, **auth: Any) -> str:
    response = rpc(client, _initialize({}), **auth)
    assert response.status_code == 200
    session: str = response["Mcp-Session-Id"]
    return session


PING = {"jsonrpc": "2.0", "id": 2, "method": "ping"}


# 5: sessions are bound to the caller -------------------------------------------------


def test_a_session_is_usable_only_by_its_owner(client: Client, alice: User, bob: User) -> None:
    alice_auth, bob_auth = token_of(alice), token_of(bob)
    session = start_session(client, **alice_auth)
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **alice_auth).status_code == 200
    # Another user, or no credentials: as if the session did not exist.
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **bob_auth).status_code == 404
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session).status_code == 404
    stream = {"HTTP_ACCEPT": "text/event-stream", "HTTP_MCP_SESSION_ID": session}
    assert client.get("/mcp/", **stream, **bob_auth).status_code == 404
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **bob_auth).status_code == 404
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session).status_code == 404
    # The owner's session survived those attempts.
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **alice_auth).status_code == 200
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **alice_auth).status_code == 204
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **alice_auth).status_code == 404


def test_a_forged_session_id_is_unknown(client: Client, alice: User) -> None:
    auth = token_of(alice)
    session = start_session(client, **auth)
    forged = session[:-3] + ("aaa" if not session.endswith("aaa") else "bbb")
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=forged, **auth).status_code == 404


def test_get_and_delete_need_credentials_when_the_endpoint_does(
    client: Client, settings: Any, alice: User
) -> None:
    auth = token_of(alice)
    session = start_session(client, **auth)
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "AUTHENTICATION_REQUIRED": True}
    stream = {"HTTP_ACCEPT": "text/event-stream", "HTTP_MCP_SESSION_ID": session}
    missing = client.get("/mcp/", **stream)
    assert missing.status_code == 401 and missing["WWW-Authenticate"] == "Token"
    gone = client.delete("/mcp/", HTTP_MCP_SESSION_ID=session)
    assert gone.status_code == 401
    assert client.delete("/mcp/", HTTP_MCP_SESSION_ID=session, **auth).status_code == 204


# 6 and 9: nothing for a client's say-so ------------------------------------------------


def test_initialize_floods_write_nothing(client: Client, alice: User) -> None:
    auth = token_of(alice)
    session = start_session(client, **auth)
    level = {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}}
    assert rpc(client, level, HTTP_MCP_SESSION_ID=session, **auth).status_code == 200
    before = mcp_keys()
    for _ in range(300):
        assert "Mcp-Session-Id" in rpc(client, _initialize({"sampling": {}}))
    assert mcp_keys() == before
    assert rpc(client, PING, HTTP_MCP_SESSION_ID=session, **auth).status_code == 200


def test_cancellations_of_calls_not_in_flight_store_nothing(client: Client, alice: User) -> None:
    auth = token_of(alice)
    for number in range(500):
        request_id: Any = f"id {number} " + "x" * number if number % 2 else number
        cancel = {
            "jsonrpc": "2.0",
            "method": "notifications/cancelled",
            "params": {"requestId": request_id},
        }
        assert rpc(client, cancel, **auth).status_code == 202
    assert mcp_keys() == []


def test_anonymous_state_has_a_budget(client: Client, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "STATE_WRITE_LIMIT": 5}
    level = {"jsonrpc": "2.0", "id": 3, "method": "logging/setLevel", "params": {"level": "debug"}}
    answers = []
    for _ in range(8):
        session = start_session(client)
        answers.append(rpc(client, level, HTTP_MCP_SESSION_ID=session).json())
    assert [("result" in a) for a in answers] == [True] * 5 + [False] * 3
    assert "STATE_WRITE_LIMIT" in answers[-1]["error"]["message"]
    # Entries: the 5 sessions' states and the budget counter, nothing more.
    assert len(mcp_keys()) == 6


# 7: a stale cancellation does not cancel a later call ---------------------------------


@pytest.fixture
def waiter() -> Iterator[dict[str, Any]]:
    seen: dict[str, Any] = {"started": threading.Event(), "cancelled": False}

    @mcp_tool(name="wait_a_little")
    def wait_a_little(mcp: CallContext) -> str:
        seen["started"].set()
        deadline = time.monotonic() + 1.5
        while time.monotonic() < deadline:
            if mcp.cancelled:
                seen["cancelled"] = True
            mcp.progress(0)
            time.sleep(0.02)
        return "waited"

    yield seen
    registry.unregister("wait_a_little")


def test_a_stale_cancellation_does_not_cancel_a_later_call(
    client: Client, alice: User, waiter: dict[str, Any]
) -> None:
    auth = token_of(alice)
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 5}}
    assert rpc(client, cancel, **auth).status_code == 202  # nothing in flight with id 5
    message = tool_call("wait_a_little", {}, id=5)
    message["params"]["_meta"] = {"progressToken": "p"}
    answered = list(events(rpc(client, message, **auth)))
    assert answered[-1]["result"]["content"][0]["text"] == "waited"
    assert waiter["cancelled"] is False


def test_a_cancellation_reaches_the_call_in_flight(
    client: Client, alice: User, waiter: dict[str, Any]
) -> None:
    auth = token_of(alice)
    message = tool_call("wait_a_little", {}, id=9)
    message["params"]["_meta"] = {"progressToken": "p"}
    stream = events(rpc(client, message, **auth))
    assert next(stream)["method"] == "notifications/progress"
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9}}
    assert rpc(client, cancel, **auth).status_code == 202
    assert all("id" not in m for m in stream)  # ended without a response
    assert mcp_keys() == []  # the in-flight mark and the cancellation are gone with it


# 15: stdio --user ----------------------------------------------------------------------


class SlowStdin:
    """stdin that sends a call, then a cancellation once the call is running."""

    def __init__(self, lines: list[dict[str, Any]], started: threading.Event) -> None:
        self.lines, self.started = lines, started

    def __iter__(self) -> Iterator[str]:
        yield json.dumps(self.lines[0]) + "\n"
        assert self.started.wait(5)
        time.sleep(0.1)
        for line in self.lines[1:]:
            yield json.dumps(line) + "\n"


def test_stdio_as_a_user_accepts_cancellations(alice: User, waiter: dict[str, Any]) -> None:
    from drf_mcp_bridge.management.commands.mcp_stdio import serve

    message = tool_call("wait_a_little", {}, id=1)
    message["params"]["_meta"] = {"progressToken": "p"}
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}
    stdout = io.StringIO()
    serve(SlowStdin([message, cancel], waiter["started"]), stdout, alice, {})  # type: ignore[arg-type]
    answers = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert waiter["cancelled"] is True
    assert not [a for a in answers if a.get("id") == 1]  # cancelled: no response


# 11, 12, 13: subscriptions -------------------------------------------------------------


def subscribe(client: Client, session: str, uri: str, **auth: Any) -> dict[str, Any]:
    message = {
        "jsonrpc": "2.0",
        "id": 4,
        "method": "resources/subscribe",
        "params": {"uri": uri},
    }
    answer: dict[str, Any] = rpc(client, message, HTTP_MCP_SESSION_ID=session, **auth).json()
    return answer


class CountingCache:
    """Counts the calls a block makes to the cache."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        cache = caches["default"]
        for name in ("get", "set", "add", "incr", "get_many", "set_many", "delete", "touch"):
            original = getattr(cache, name)

            def counted(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
                self.calls += 1
                return _original(*args, **kwargs)

            monkeypatch.setattr(cache, name, counted)


def test_a_write_costs_the_same_whatever_the_number_of_subscribers(
    client: Client, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = token_of(alice)
    counts = []
    subscribed = 0
    for subscribers in (1, 200):
        while subscribed < subscribers:
            session = start_session(client, **auth)
            assert subscribe(client, session, "drf://categories", **auth)["result"] == {}
            subscribed += 1
        counter = CountingCache(monkeypatch)
        Category.objects.create(name=f"c{subscribers}")  # a model a subscribed ViewSet serves
        counts.append(counter.calls)
        monkeypatch.undo()
    # One incr per URI the write touches (the lists and items of every ViewSet serving
    # the model), however many listen.
    from drf_mcp_bridge.protocol.subscriptions import _resources_by_model

    lists, details = _resources_by_model()[Category]
    assert counts[0] == counts[1] == len(lists) + len(details), counts


def test_a_rolled_back_write_notifies_nobody(client: Client, alice: User) -> None:
    auth = token_of(alice)
    session = start_session(client, **auth)
    assert subscribe(client, session, "drf://categories", **auth)["result"] == {}
    from drf_mcp_bridge.protocol.subscriptions import version_key

    with transaction.atomic():
        Category.objects.create(name="undone")
        transaction.set_rollback(True)
    assert caches["default"].get(version_key("drf://categories")) == 0
    Category.objects.create(name="kept")
    assert caches["default"].get(version_key("drf://categories")) == 1


def test_concurrent_subscribers_are_all_kept(client: Client, alice: User) -> None:
    from drf_mcp_bridge.core import sessions
    from drf_mcp_bridge.protocol.subscriptions import SessionListener, relay

    auth = token_of(alice)
    ids = [start_session(client, **auth) for _ in range(16)]
    barrier = threading.Barrier(16)
    answers: list[Any] = []

    def run(session: str) -> None:
        barrier.wait()
        answers.append(subscribe(Client(), session, "drf://categories", **auth))

    threads = [threading.Thread(target=run, args=(s,)) for s in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert [a.get("result") for a in answers] == [{}] * 16
    Category.objects.create(name="for everyone")
    owner = sessions.owner_of(alice)
    for session_id in ids:
        session = sessions.load(session_id, owner)
        assert session is not None
        sent: list[dict[str, Any]] = []
        relay(
            SessionListener(session),
            sent.append,
            threading.Event(),
            time.monotonic() + 0.3,
            lambda uri: True,
        )
        assert [m["params"]["uri"] for m in sent] == ["drf://categories"], session_id
        # Delivered once: the next round has nothing new.
        again: list[dict[str, Any]] = []
        relay(
            SessionListener(session),
            again.append,
            threading.Event(),
            time.monotonic() + 0.3,
            lambda uri: True,
        )
        assert again == []


def test_an_update_right_after_the_listen_acknowledgment_arrives(
    client: Client, alice: User, settings: Any
) -> None:
    from tests.test_protocol_2026 import modern

    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "LISTEN_STREAM_SECONDS": 1}
    for round_ in range(3):  # it was lost about one time in three
        response = modern(
            client,
            "subscriptions/listen",
            {"notifications": {"resourceSubscriptions": ["drf://categories"]}},
            **token_of(alice),
        )
        stream = events(response)
        assert next(stream)["method"] == "notifications/subscriptions/acknowledged"
        Category.objects.create(name=f"at once {round_}")
        update = next(stream)
        assert update["method"] == "notifications/resources/updated"
        list(stream)


def test_anonymous_callers_do_not_subscribe_by_default(client: Client) -> None:
    session = start_session(client)
    refused = subscribe(client, session, "drf://categories")
    assert refused["error"]["code"] == -32600
    assert "ANONYMOUS_SUBSCRIPTIONS" in refused["error"]["message"]
    assert mcp_keys() == []


def test_a_session_follows_at_most_max_subscriptions(
    client: Client, alice: User, settings: Any
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "MAX_SUBSCRIPTIONS": 2}
    auth = token_of(alice)
    session = start_session(client, **auth)
    categories = [Category.objects.create(name=f"n{i}") for i in range(3)]
    answers = [subscribe(client, session, f"drf://categories/{c.pk}", **auth) for c in categories]
    assert [("result" in a) for a in answers] == [True, True, False]
    assert "MAX_SUBSCRIPTIONS" in answers[2]["error"]["message"]


# 17: elicitation answers only for the questions asked, state bound to the call -------


@pytest.fixture
def asker() -> Iterator[None]:
    @mcp_tool(name="ask_twice")
    def ask_twice(topic: str, mcp: CallContext) -> str:
        answer = mcp.elicit(f"About {topic}?", {"type": "object", "properties": {}})
        return f"{topic}: {answer.get('action')}"

    yield
    registry.unregister("ask_twice")


def test_input_state_is_bound_to_its_call(client: Client, asker: None, alice: User) -> None:
    import tests.test_protocol_2026 as module
    from tests.test_protocol_2026 import modern

    saved = dict(module.META)
    module.META["io.modelcontextprotocol/clientCapabilities"] = {"elicitation": {}}

    def ask(arguments: dict[str, Any], extra: dict[str, Any], **auth: Any) -> dict[str, Any]:
        params = {"name": "ask_twice", "arguments": arguments, **extra}
        response = modern(client, "tools/call", params, HTTP_ACCEPT="application/json", **auth)
        result: dict[str, Any] = response.json()["result"]
        return result

    try:
        auth = token_of(alice)
        # Answers to questions never asked are ignored: the server asks.
        unasked = ask(
            {"topic": "cats"}, {"inputResponses": {"elicitation-create-0": {"action": "accept"}}}
        )
        assert unasked["resultType"] == "input_required"
        first = ask({"topic": "cats"}, {}, **auth)
        ((key, _request),) = first["inputRequests"].items()
        answer = {"inputResponses": {key: {"action": "accept"}}}
        state = {"requestState": first["requestState"]}
        # The same state for other arguments, or from another caller: asked again.
        assert ask({"topic": "dogs"}, {**answer, **state}, **auth)["resultType"] == (
            "input_required"
        )
        assert ask({"topic": "cats"}, {**answer, **state})["resultType"] == "input_required"
        done = ask({"topic": "cats"}, {**answer, **state}, **auth)
        assert done["resultType"] == "complete"
        assert done["content"][0]["text"] == "cats: accept"
    finally:
        module.META.clear()
        module.META.update(saved)


# 4: delivery checks again ------------------------------------------------------------


@pytest.fixture
def scoped() -> Iterator[None]:
    from drf_mcp_bridge import mcp_viewset
    from tests.testapp.scoped import ScopedCustomers

    mcp_viewset(name="scoped")(ScopedCustomers)
    yield
    registry.unregister(ScopedCustomers)


def test_an_update_is_not_delivered_after_the_caller_lost_access(
    client: Client, alice: User, bob: User, scoped: None, rf: Any
) -> None:
    from drf_mcp_bridge.core import sessions
    from drf_mcp_bridge.protocol.server import RequestContext, server
    from drf_mcp_bridge.protocol.subscriptions import SessionListener, relay
    from tests.testapp.models import Customer

    auth = token_of(alice)
    mine = Customer.objects.create(owner=alice, name="Mine")
    session_id = start_session(client, **auth)
    uri = f"drf://scoped/{mine.pk}"
    assert subscribe(client, session_id, uri, **auth)["result"] == {}
    # Bob cannot subscribe to it: the filter backend hides it from him (REST: 404).
    bob_auth = token_of(bob)
    bobs = start_session(client, **bob_auth)
    assert subscribe(client, bobs, uri, **bob_auth)["error"]["code"] == -32002
    session = sessions.load(session_id, sessions.owner_of(alice))
    assert session is not None
    stream_request = rf.get("/mcp/", **auth)
    context = RequestContext(stream_request, "2025-11-25", session=session)

    def delivered() -> list[str]:
        sent: list[dict[str, Any]] = []
        relay(
            SessionListener(session),
            sent.append,
            threading.Event(),
            time.monotonic() + 0.3,
            lambda u: server.gate.may_read(u, context),
        )
        return [m["params"]["uri"] for m in sent]

    mine.name = "Still mine"
    mine.save()
    assert delivered() == [uri]
    mine.owner = bob  # alice may no longer read it
    mine.save()
    assert delivered() == []


def test_completion_querysets_can_be_turned_off(
    client: Client, settings: Any, scoped: None, alice: User
) -> None:
    from tests.testapp.models import Customer

    Customer.objects.create(owner=alice, name="Mine")
    auth = token_of(alice)
    message = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "completion/complete",
        "params": {
            "ref": {"type": "ref/resource", "uri": "drf://scoped/{pk}"},
            "argument": {"name": "pk", "value": ""},
        },
    }
    assert rpc(client, message, **auth).json()["result"]["completion"]["values"] != []
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "COMPLETION_QUERYSETS": False}
    assert rpc(client, message, **auth).json()["result"]["completion"]["values"] == []


def test_the_longest_session_id_is_usable(client: Client, staff: User) -> None:
    from drf_mcp_bridge.core import sessions

    capabilities = {f"{'x' * 30}{i:02d}": {} for i in range(40)} | {"é" * 10: {}, "a b": {}}
    created = sessions.create("2025-11-25", capabilities, sessions.owner_of(staff))
    assert len(created.capabilities) == 16  # longer or odd names are not kept
    loaded = sessions.load(created.id, sessions.owner_of(staff))
    assert loaded is not None and loaded.capabilities == created.capabilities
    assert len(created.id) < 1024


def test_a_lone_surrogate_echoed_back_is_escaped(client: Client) -> None:
    body = '{"jsonrpc":"2.0","id":"a\\ud800b","method":"ping"}'
    response = client.post(
        "/mcp/",
        body,
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
    )
    assert response.status_code == 200
    assert json.loads(response.content)["id"] == "a\ud800b"
