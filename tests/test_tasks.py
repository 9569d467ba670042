"""The Tasks extension (SEP-2663, ``contrib.tasks``) in process: a task-capable call
answered with a task, run by Django's task framework (ImmediateBackend: inside the
enqueue; DummyBackend: only recorded, run here by hand to see the in-between states),
tasks/get|update|cancel, the -32021 / -32602 errors, owner isolation, a real DRF action
as a task with the same rows and checks as REST, and the 2025 revisions unchanged."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from django.test import Client
from rest_framework.authtoken.models import Token

from drf_mcp_bridge import MCPToolConfig, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.core.jsonrpc import JSONRPCError
from drf_mcp_bridge.invocation.calls import CallContext
from tests.settings import TASKS_FRAMEWORK
from tests.testapp.models import Customer, Invoice
from tests.testapp.views import InvoiceViewSet

pytestmark = [
    pytest.mark.skipif(not TASKS_FRAMEWORK, reason="needs django.tasks or django-tasks"),
    pytest.mark.django_db(transaction=True),  # on_commit runs: the enqueue happens
]

V2026 = "2026-07-28"
TASKS = "io.modelcontextprotocol/tasks"
DECLARING = {"elicitation": {}, "extensions": {TASKS: {}}}


def meta(capabilities: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "io.modelcontextprotocol/protocolVersion": V2026,
        "io.modelcontextprotocol/clientCapabilities": (
            DECLARING if capabilities is None else capabilities
        ),
    }


def post(
    client: Client,
    method: str,
    params: dict[str, Any],
    capabilities: dict[str, Any] | None = None,
    **headers: str,
) -> Any:
    params = {**params, "_meta": meta(capabilities)}
    name = params.get("name") or params.get("taskId")
    routing = {"HTTP_MCP_NAME": name} if isinstance(name, str) else {}
    response = client.post(
        "/mcp/",
        data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        HTTP_MCP_PROTOCOL_VERSION=V2026,
        HTTP_MCP_METHOD=method,
        **routing,
        **headers,
    )
    if response.get("Content-Type", "").startswith("text/event-stream"):
        events = b"".join(response.streaming_content).decode()
        data = [line[5:].strip() for line in events.splitlines() if line.startswith("data:")]
        answers = [json.loads(d) for d in data if d]
        return [a for a in answers if "id" in a and ("result" in a or "error" in a)][-1]
    return response.json()


def call(client: Client, tool: str, arguments: dict[str, Any], **kw: Any) -> Any:
    return post(client, "tools/call", {"name": tool, "arguments": arguments}, **kw)


def get(client: Client, task_id: str, **kw: Any) -> Any:
    return post(client, "tasks/get", {"taskId": task_id}, **kw)


def result(answer: Any) -> dict[str, Any]:
    assert "result" in answer, answer
    found: dict[str, Any] = answer["result"]
    return found


RAN: list[str] = []
#: Set when t_slow starts its work (the concurrent test waits for it rather than polling
#: the database while the worker thread writes: in-memory SQLite locks whole tables).
STARTED = threading.Event()


@pytest.fixture
def task_tools(settings: Any) -> Iterator[None]:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TASKS_ANONYMOUS": True}

    @mcp_tool(name="t_slow", task="optional", task_prelude=True)
    def slow(mcp: CallContext, seconds: float = 0) -> str:
        """Works a while; a task when the client takes one."""
        if seconds:
            mcp.defer("Working.")
        deadline = time.monotonic() + seconds
        STARTED.set()
        while time.monotonic() < deadline:
            mcp.raise_if_cancelled()
            time.sleep(0.01)
        RAN.append("t_slow")
        return f"slept {seconds:g}"

    @mcp_tool(name="t_ask", task="optional")
    def ask(mcp: CallContext) -> str:
        """Asks inside its task."""
        answer = mcp.elicit("Sure?", {"type": "object", "properties": {"ok": {"type": "boolean"}}})
        return f"answered {answer.get('action')}"

    @mcp_tool(name="t_required", task="required")
    def required() -> str:
        """Only as a task."""
        return "done"

    @mcp_tool(name="t_protocol", task="optional")
    def protocol() -> str:
        """Fails with a JSON-RPC error."""
        raise JSONRPCError(-32603, "broken on purpose")

    @mcp_tool(name="t_sync")
    def sync() -> str:
        """Never a task."""
        return "sync"

    yield
    for name in ("t_slow", "t_ask", "t_required", "t_protocol", "t_sync"):
        registry.unregister(name)
    RAN.clear()


@pytest.fixture
def dummy(settings: Any, task_tools: None) -> Iterator[Any]:
    """Tasks only recorded by the backend (DummyBackend); run with ``run(task_id)``."""
    from drf_mcp_bridge.contrib.tasks import jobs
    from tests import task_backends

    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TASKS_BACKEND": "dummy"}
    task_backends.take()

    def run_queued() -> int:
        results = task_backends.take()
        for each in results:
            jobs.execute(*each.args)
        return len(results)

    yield run_queued
    task_backends.take()


def test_a_declaring_client_gets_a_task_and_its_result(client: Client, task_tools: None) -> None:
    created = result(call(client, "t_slow", {"seconds": 0.05}))
    assert created["resultType"] == "task"
    assert set(created) >= {"taskId", "status", "createdAt", "lastUpdatedAt", "ttlMs"}
    assert not {"result", "error", "inputRequests", "requestState", "task"} & set(created)
    done = result(get(client, created["taskId"]))
    assert done["resultType"] == "complete"
    assert done["status"] == "completed"
    assert done["result"]["content"][0]["text"] == "slept 0.05"
    assert done["result"]["resultType"] == "complete"
    assert isinstance(done["ttlMs"], int) and done["ttlMs"] > 0
    assert RAN == ["t_slow"]  # ran once: the prelude's run was rolled into the task's


def test_without_the_capability_calls_run_synchronously_or_are_refused(
    client: Client, task_tools: None
) -> None:
    plain = result(call(client, "t_slow", {"seconds": 0.01}, capabilities={}))
    assert plain["content"][0]["text"] == "slept 0.01" and "taskId" not in plain
    refused = call(client, "t_required", {}, capabilities={})
    assert refused["error"]["code"] == -32021
    assert refused["error"]["data"]["requiredCapabilities"] == {"extensions": {TASKS: {}}}
    for method in ("tasks/get", "tasks/update", "tasks/cancel"):
        answer = post(client, method, {"taskId": "x", "inputResponses": {}}, capabilities={})
        assert answer["error"]["code"] == -32021, method


def test_sync_only_tools_and_the_legacy_task_param(client: Client, task_tools: None) -> None:
    answer = result(
        post(client, "tools/call", {"name": "t_sync", "arguments": {}, "task": {"ttl": 60000}})
    )
    assert answer["content"][0]["text"] == "sync" and "taskId" not in answer


def test_an_immediate_answer_needs_no_task(client: Client, task_tools: None) -> None:
    answer = result(call(client, "t_slow", {"seconds": 0}))
    assert answer["resultType"] == "complete" and answer["content"][0]["text"] == "slept 0"


def test_unknown_and_removed(client: Client, task_tools: None) -> None:
    missing = get(client, "no-such-task")
    assert missing["error"]["code"] == -32602
    assert "not found" in missing["error"]["message"]
    for method in ("tasks/result", "tasks/list"):
        assert post(client, method, {"taskId": "x"})["error"]["code"] == -32601


def test_a_protocol_error_fails_the_task(client: Client, task_tools: None) -> None:
    created = result(call(client, "t_protocol", {}))
    done = result(get(client, created["taskId"]))
    assert done["status"] == "failed"
    assert done["error"] == {"code": -32603, "message": "broken on purpose"}
    assert "result" not in done


def test_input_rounds_inside_a_task(client: Client, dummy: Any) -> None:
    created = result(call(client, "t_ask", {}))
    task_id = created["taskId"]
    assert result(get(client, task_id))["status"] == "working"
    assert dummy() == 1
    waiting = result(get(client, task_id))
    assert waiting["status"] == "input_required"
    (key,) = waiting["inputRequests"]
    assert waiting["inputRequests"][key]["method"] == "elicitation/create"
    # Unknown keys and non-objects are ignored: nothing changes.
    ack = result(post(client, "tasks/update", {"taskId": task_id, "inputResponses": {"x": {}}}))
    assert ack == {"resultType": "complete", "_meta": ack["_meta"]}
    assert result(get(client, task_id))["status"] == "input_required"
    answer = {key: {"action": "accept", "content": {"ok": True}}}
    result(post(client, "tasks/update", {"taskId": task_id, "inputResponses": answer}))
    assert result(get(client, task_id))["status"] == "working"
    assert dummy() == 1
    done = result(get(client, task_id))
    assert done["status"] == "completed"
    assert done["result"]["content"][0]["text"] == "answered accept"


def test_cancel_before_it_runs_and_while_it_runs(client: Client, dummy: Any) -> None:
    first = result(call(client, "t_slow", {"seconds": 30}))["taskId"]
    ack = result(post(client, "tasks/cancel", {"taskId": first}))
    assert set(ack) == {"resultType", "_meta"}
    assert result(get(client, first))["status"] == "cancelled"
    assert dummy() == 1  # the queued run sees the task ended and does nothing
    assert result(get(client, first))["status"] == "cancelled"

    second = result(call(client, "t_slow", {"seconds": 30}))["taskId"]
    STARTED.clear()
    worker = threading.Thread(target=dummy)
    worker.start()
    assert STARTED.wait(10)
    assert result(get(client, second))["statusMessage"] == "The task is running."
    result(post(client, "tasks/cancel", {"taskId": second}))
    worker.join(timeout=10)
    assert result(get(client, second))["status"] == "cancelled"
    # Cancelling an ended task is an empty acknowledgment again.
    assert set(result(post(client, "tasks/cancel", {"taskId": second}))) == {"resultType", "_meta"}


def test_only_the_creator_reads_or_cancels_a_task(
    client: Client, task_tools: None, alice: User, bob: User
) -> None:
    alice_key = Token.objects.create(user=alice).key
    bob_key = Token.objects.create(user=bob).key
    as_alice = {"HTTP_AUTHORIZATION": f"Token {alice_key}"}
    created = result(call(client, "t_slow", {"seconds": 0.01}, **as_alice))
    task_id = created["taskId"]
    # Another user, an anonymous caller: the same answer as for an unknown id.
    for headers in ({"HTTP_AUTHORIZATION": f"Token {bob_key}"}, {}):
        for method in ("tasks/get", "tasks/cancel"):
            refused = post(client, method, {"taskId": task_id}, **headers)
            assert refused["error"] == {
                "code": -32602,
                "message": "Failed to retrieve task: Task not found",
            }
    # Another token of the same user reaches it (the owner is the user).
    other = Token.objects.filter(user=alice).delete() and Token.objects.create(user=alice)
    assert result(get(client, task_id, HTTP_AUTHORIZATION=f"Token {other.key}"))["status"] == (
        "completed"
    )


def test_anonymous_callers_get_no_tasks_unless_allowed(
    client: Client, task_tools: None, settings: Any
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TASKS_ANONYMOUS": False}
    optional = result(call(client, "t_slow", {"seconds": 0.01}))
    assert optional["content"][0]["text"] == "slept 0.01" and "taskId" not in optional
    required = result(call(client, "t_required", {}))
    assert required["isError"] is True
    assert "tasks need credentials" in required["content"][0]["text"]


def test_a_revoked_token_stops_the_task_as_rest_would(
    client: Client, dummy: Any, alice: User
) -> None:
    token = Token.objects.create(user=alice)
    created = result(call(client, "t_slow", {"seconds": 1}, HTTP_AUTHORIZATION=f"Token {token}"))
    token.delete()
    dummy()
    fresh = Token.objects.create(user=alice)
    done = result(get(client, created["taskId"], HTTP_AUTHORIZATION=f"Token {fresh}"))
    assert done["status"] == "completed" and done["result"]["isError"] is True
    assert "no longer accepted" in done["result"]["content"][0]["text"]
    assert RAN == []


@pytest.fixture
def invoice_tasks() -> Iterator[None]:
    """The invoices ViewSet, its create and list calls task-capable."""
    before = [r for r in registry._viewsets if r.viewset is InvoiceViewSet]
    config = MCPToolConfig(exclude=["destroy"], tasks={"create": "optional", "list": "required"})
    registry.register_viewset(config.registration(InvoiceViewSet))
    yield
    for registration in before:
        registry.register_viewset(registration)


def test_a_drf_action_as_a_task_is_the_rest_request(
    client: Client, invoice_tasks: None, alice: User, bob: User
) -> None:
    customer = Customer.objects.create(owner=alice, name="Ann")
    token = Token.objects.create(user=alice).key
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    body = {"customer": customer.pk, "number": "T-1", "amount": "5.00", "due": "2026-12-31"}
    created = result(call(client, "invoices_create", body, **auth))
    done = result(get(client, created["taskId"], **auth))
    assert done["status"] == "completed", done
    assert done["result"]["structuredContent"]["number"] == "T-1"
    assert Invoice.objects.filter(number="T-1").count() == 1
    # The same checks as REST: without a token the view answers 401 (inside the task,
    # as the tool error a synchronous call gives), and no row is written.
    refused = call(client, "invoices_create", {**body, "number": "T-2"}, capabilities={})
    assert result(refused)["isError"] is True
    assert Invoice.objects.filter(number="T-2").count() == 0
    rest = client.post("/api/invoices/", data={**body, "number": "T-3"})
    assert rest.status_code == 401
    # list is task-only: a task for a declaring client, -32021 for others.
    listed = result(
        get(client, result(call(client, "invoices_list", {}, **auth))["taskId"], **auth)
    )
    assert [i["number"] for i in listed["result"]["structuredContent"]["results"]] == ["T-1"]
    assert call(client, "invoices_list", {}, capabilities={}, **auth)["error"]["code"] == -32021


def test_2025_revisions_are_unchanged(task_tools: None) -> None:
    from drf_mcp_bridge.test import MCPClient

    client = MCPClient(protocol_version="2025-11-25")
    client.initialize()
    assert client.call_tool("t_required", {}).text == "done"  # synchronously
    listed = {t["name"]: t for t in client.tools_list()}
    assert "execution" not in listed["t_required"]
    with pytest.raises(AssertionError):
        client.request_mcp("tasks/get", {"taskId": "x"})


def test_the_capability_is_advertised_only_in_2026(client: Client, task_tools: None) -> None:
    discovered = result(post(client, "server/discover", {}))
    assert discovered["capabilities"]["extensions"][TASKS] == {}
    assert "tasks" not in discovered["capabilities"]


def test_declarations_are_checked() -> None:
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="task="):

        @mcp_tool(name="t_wrong", task="sometimes")
        def wrong() -> str:
            return ""

    with pytest.raises(ImproperlyConfigured, match="mcp"):

        @mcp_tool(name="t_wrong", task="optional", task_prelude=True)
        def no_mcp() -> str:
            return ""

    with pytest.raises(TypeError, match="tasks"):
        MCPToolConfig(tasks={"list": "maybe"})
    assert not [m for m in checks.run_checks() if m.id.startswith("drf_mcp_bridge.E")]


def test_status_notifications_through_subscriptions_listen(
    client: Client, dummy: Any, settings: Any
) -> None:
    from tests.test_streaming import events

    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "SUBSCRIPTIONS": True,
        "LISTEN_STREAM_SECONDS": 2,
    }
    task_id = result(call(client, "t_ask", {}))["taskId"]
    listen = {"notifications": {"taskIds": [task_id, "someone-elses-or-unknown"]}}
    undeclared = post(client, "subscriptions/listen", listen, capabilities={})
    assert undeclared["error"]["code"] == -32021
    response = client.post(
        "/mcp/",
        data=json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 9,
                "method": "subscriptions/listen",
                "params": {**listen, "_meta": meta()},
            }
        ),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        HTTP_MCP_PROTOCOL_VERSION=V2026,
        HTTP_MCP_METHOD="subscriptions/listen",
    )
    stream = events(response)
    ack = next(stream)
    assert ack["method"] == "notifications/subscriptions/acknowledged"
    assert ack["params"]["notifications"] == {"taskIds": [task_id]}  # only the caller's
    dummy()  # the run asks for input: the task waits
    update = next(stream)
    assert update["method"] == "notifications/tasks"
    params = update["params"]
    assert params["taskId"] == task_id and params["status"] == "input_required"
    assert params["_meta"] == {"io.modelcontextprotocol/subscriptionId": 9}
    # The whole task, as tasks/get answers it at that moment.
    snapshot = result(get(client, task_id))
    assert params["inputRequests"] == snapshot["inputRequests"]
    assert "resultType" not in params
    assert list(stream)[-1]["result"]["resultType"] == "complete"


def test_system_checks(settings: Any, task_tools: None, monkeypatch: Any) -> None:
    from django.apps import apps

    from drf_mcp_bridge.catalogue.checks import check_schemas
    from drf_mcp_bridge.contrib.tasks.checks import check_task_backend

    assert check_task_backend() == []
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TASKS_BACKEND": "nope"}
    (wrong,) = check_task_backend()
    assert wrong.id == "drf_mcp_bridge.E019" and "'nope'" in wrong.msg
    assert "W060" not in {m.id[-4:] for m in check_schemas()}
    installed = apps.is_installed
    monkeypatch.setattr(
        apps,
        "is_installed",
        lambda name: name != "drf_mcp_bridge.contrib.tasks" and installed(name),
    )
    (warned,) = [m for m in check_schemas() if m.id == "drf_mcp_bridge.W060"]
    assert "t_required" in warned.msg and "synchronously" in warned.msg


def test_the_docs_example(client: Client, settings: Any) -> None:
    from tests.test_docs_examples import python_blocks, run_block

    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TASKS_ANONYMOUS": True}
    (code,) = [b for b in python_blocks("transport.md") if "task_prelude" in b]
    namespace = run_block(code)  # as written
    try:
        assert namespace["EXPORTS"].tasks == {"list": "required"}
        once = result(call(client, "build_report", {"months": 1}))
        assert once["content"][0]["text"] == "Report of 1 month(s)." and "taskId" not in once
        created = result(call(client, "build_report", {"months": 3}))
        assert created["resultType"] == "task"
        done = result(get(client, created["taskId"]))
        assert done["status"] == "completed"
        assert done["result"]["content"][0]["text"] == "Report of 3 month(s)."
        plain = result(call(client, "build_report", {"months": 2}, capabilities={}))
        assert plain["content"][0]["text"] == "Report of 2 month(s)."
    finally:
        registry.unregister("build_report")


def test_an_in_process_identity_gets_no_task(task_tools: None, alice: User) -> None:
    """force_authenticate (and stdio's --user) name a user no task worker could rebuild:
    optional calls run synchronously, required ones say why they cannot run."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(alice)
    plain = result(call(client, "t_slow", {"seconds": 0.01}))
    assert plain["content"][0]["text"] == "slept 0.01" and "taskId" not in plain
    refused = result(call(client, "t_required", {}))
    assert refused["isError"] is True and "cannot be carried" in refused["content"][0]["text"]


def test_expiry_and_pruning(client: Client, dummy: Any, settings: Any) -> None:
    from django.core.management import call_command

    from drf_mcp_bridge.contrib.tasks.models import MCPTask

    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "TASKS_TTL_MS": 50,
        "TASKS_RESULT_TTL_MS": 50,
    }
    task_id = result(call(client, "t_ask", {}))["taskId"]
    time.sleep(0.1)
    expired = get(client, task_id)
    assert expired["error"] == {
        "code": -32602,
        "message": "Failed to retrieve task: Task has expired",
    }
    row = MCPTask.objects.get(pk=task_id)
    assert row.status == "failed" and row.request is None  # ended, credentials wiped
    assert dummy() == 1  # its queued run finds it ended and does nothing
    assert MCPTask.objects.get(pk=task_id).status == "failed"
    time.sleep(0.1)
    call_command("mcp_tasks", "--prune", stdout=io.StringIO())
    assert not MCPTask.objects.filter(pk=task_id).exists()


def test_too_many_unfinished_tasks(client: Client, dummy: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TASKS_MAX_PER_CALLER": 2}
    for _ in range(2):
        assert result(call(client, "t_ask", {}))["resultType"] == "task"
    refused = result(call(client, "t_ask", {}))
    assert refused["isError"] is True and "2 unfinished tasks" in refused["content"][0]["text"]


def test_a_running_tool_is_told_to_stop_only_after_the_table_says_so(
    client: Client, dummy: Any, monkeypatch: Any
) -> None:
    """tasks/cancel of a running task: the row says cancel_requested before the tool can
    see the flag and end the task (its end writes the same row: the two never race)."""
    from drf_mcp_bridge.contrib.tasks import store
    from drf_mcp_bridge.contrib.tasks.models import MCPTask

    seen: list[bool] = []
    real = store.shared_cache
    watched: dict[str, str] = {}  # the flag's cache key → the task id

    class Watching:
        def __init__(self, cache: Any) -> None:
            self.cache = cache

        def set(self, key: str, *args: Any, **kwargs: Any) -> Any:
            if key in watched:
                seen.append(MCPTask.objects.get(pk=watched[key]).cancel_requested)
            return self.cache.set(key, *args, **kwargs)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.cache, name)

    monkeypatch.setattr(store, "shared_cache", lambda: Watching(real()))
    task = result(call(client, "t_slow", {"seconds": 30}))["taskId"]
    watched[store.cancel_flag(task)] = task
    STARTED.clear()
    worker = threading.Thread(target=dummy)
    worker.start()
    assert STARTED.wait(10)
    result(post(client, "tasks/cancel", {"taskId": task}))
    worker.join(timeout=10)
    assert seen == [True]
    assert result(get(client, task))["status"] == "cancelled"
