"""Function tools (``@mcp_tool``) get the transactions views get: under ``ATOMIC_REQUESTS``
(unless the function is ``non_atomic_requests``) and in a savepoint of any open
transaction, a failed call leaves no writes and a successful one keeps them.

``ATOMIC_REQUESTS`` is switched on in the connection settings the handler and the calls
read (``override_settings(DATABASES=...)`` does not reach open connections), and the
tests use committed data, since a transaction around the test would hide what is kept.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections, transaction
from django.test import Client
from rest_framework.test import APIClient

from drf_mcp_bridge import CallContext, ToolError, mcp_tool
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from drf_mcp_bridge.transport.streaming import event_data
from tests.conftest import rpc, tool_call
from tests.testapp.models import Category

NAMES = (
    "txn_raises",
    "txn_tool_error",
    "txn_error_result",
    "txn_writes",
    "txn_asks",
    "txn_streamed_tool_error",
    "txn_streamed_non_atomic",
)


@pytest.fixture
def atomic_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", True)
    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", True)


@pytest.fixture
def tools() -> Iterator[None]:
    @mcp_tool(name="txn_raises")
    def raises(name: str) -> str:
        Category.objects.create(name=name)
        raise RuntimeError("a bug after the write")

    @mcp_tool(name="txn_tool_error")
    def tool_error(name: str) -> str:
        Category.objects.create(name=name)
        raise ToolError("Refused after writing.")

    @mcp_tool(name="txn_error_result")
    def error_result(name: str) -> dict[str, Any]:
        Category.objects.create(name=name)
        return {"content": [{"type": "text", "text": "Not done."}], "isError": True}

    @mcp_tool(name="txn_writes")
    def writes(name: str) -> str:
        Category.objects.create(name=name)
        return f"Created {name}."

    @mcp_tool(name="txn_asks")
    def asks(name: str, mcp: CallContext) -> str:
        Category.objects.create(name=name)
        schema = {"type": "object", "properties": {"ok": {"type": "boolean"}}}
        answer = mcp.elicit("Really?", schema)
        return f"Answered {answer.get('action')}."

    @mcp_tool(name="txn_streamed_tool_error")
    def streamed_tool_error(name: str, mcp: CallContext) -> str:
        Category.objects.create(name=name)
        raise ToolError("Refused after writing.")

    @mcp_tool(name="txn_streamed_non_atomic")
    @transaction.non_atomic_requests
    def streamed_non_atomic(name: str, mcp: CallContext) -> str:
        Category.objects.create(name=name)
        raise ToolError("Refused after writing, but not atomic.")

    yield
    for name in NAMES:
        registry.unregister(name)


def names() -> set[str]:
    return set(Category.objects.values_list("name", flat=True))


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("tool", ["txn_raises", "txn_tool_error", "txn_error_result"])
def test_a_failed_function_tool_leaves_no_writes(
    atomic_requests: None, tools: None, tool: str
) -> None:
    result = MCPClient().call_tool(tool, {"name": "half-done"})
    assert result.is_error
    assert names() == set()


@pytest.mark.django_db(transaction=True)
def test_a_successful_function_tool_commits(atomic_requests: None, tools: None) -> None:
    result = MCPClient().call_tool("txn_writes", {"name": "kept"})
    assert result.text == "Created kept."
    assert names() == {"kept"}


@pytest.mark.django_db(transaction=True)
def test_without_atomic_requests_writes_stay_as_in_a_view(tools: None) -> None:
    """No ATOMIC_REQUESTS and no open transaction: nothing wraps the call, as for views."""
    assert MCPClient().call_tool("txn_tool_error", {"name": "autocommitted"}).is_error
    assert names() == {"autocommitted"}


@pytest.mark.django_db
def test_a_failed_function_tool_rolls_back_its_savepoint(tools: None) -> None:
    """Inside an open transaction the call is a savepoint: its writes go, the rest stays."""
    with transaction.atomic():
        Category.objects.create(name="before")
        assert MCPClient().call_tool("txn_raises", {"name": "half-done"}).is_error
        Category.objects.create(name="after")
        assert names() == {"before", "after"}
        assert MCPClient().call_tool("txn_writes", {"name": "kept"}).text == "Created kept."
    assert names() == {"before", "after", "kept"}


@pytest.mark.django_db(transaction=True)
def test_asking_for_input_in_2026_rolls_back_the_write(
    atomic_requests: None, tools: None, client: Client
) -> None:
    from tests.test_protocol_2026 import META, modern

    meta = {**META, "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}}}
    params = {"_meta": meta, "name": "txn_asks", "arguments": {"name": "asked"}}
    response = modern(client, "tools/call", params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    result = response.json()["result"]
    assert result["resultType"] == "input_required"
    # The tool runs again with the answer; only that run's write is kept.
    assert names() == set()


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_call_rolls_back_the_write(atomic_requests: None) -> None:
    from drf_mcp_bridge.invocation.calls import CallCancelled

    @mcp_tool(name="txn_cancelled")
    def cancelled(name: str) -> str:
        Category.objects.create(name=name)
        raise CallCancelled()  # what mcp.progress() raises once the client cancelled

    try:
        response = MCPClient().mcp_post(tool_call("txn_cancelled", {"name": "cancelled"}))
        assert response.json()["error"]["code"] == -32800
        assert names() == set()
    finally:
        registry.unregister("txn_cancelled")


def streamed(client: Client, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
    response = rpc(client, tool_call(name, arguments))
    assert response["Content-Type"] == "text/event-stream"
    final: dict[str, Any] = json.loads(list(event_data(response.streaming_content))[-1])
    return final


@pytest.mark.django_db(transaction=True)
def test_streamed_calls_are_atomic_unless_the_function_opts_out(
    atomic_requests: None, tools: None, client: Client
) -> None:
    """A streamed call runs in its own thread, outside the request's transaction: there
    ATOMIC_REQUESTS wraps it, and ``non_atomic_requests`` opts out as a view's does."""
    refused = streamed(client, "txn_streamed_tool_error", {"name": "streamed"})
    assert refused["result"]["isError"] is True
    assert names() == set()
    kept = streamed(client, "txn_streamed_non_atomic", {"name": "not-atomic"})
    assert kept["result"]["isError"] is True
    assert names() == {"not-atomic"}


@pytest.mark.django_db(transaction=True)
def test_mixed_batch_keeps_only_the_successful_call(
    atomic_requests: None, tools: None, alice: User
) -> None:
    client = MCPClient(protocol_version="2025-03-26")
    client.force_authenticate(alice)
    batch = [
        tool_call("txn_raises", {"name": "function-failed"}, id=1),
        tool_call("refusing_create", {"name": "x"}, id=2),  # writes, then DRF's 400
        tool_call("txn_writes", {"name": "kept"}, id=3),
        tool_call("txn_tool_error", {"name": "function-refused"}, id=4),
    ]
    body = client.mcp_post(batch).json()
    assert [r["id"] for r in body] == [1, 2, 3, 4]
    assert [r["result"].get("isError", False) for r in body] == [True, True, False, True]
    assert names() == {"kept"}


@pytest.mark.django_db(transaction=True)
def test_tools_page_example(atomic_requests: None, alice: User, bob: User) -> None:
    from django.contrib.auth.models import Group

    from tests.test_docs_examples import python_blocks, run_block

    (code,) = [block for block in python_blocks("tools.md") if "def create_team" in block]
    run_block(code)
    try:
        client = MCPClient()
        refused = client.call_tool("create_team", {"name": "ops", "members": ["alice", "zed"]})
        assert refused.is_error and refused.text == "There is no user 'zed'."
        assert not Group.objects.exists()  # created, then rolled back with the call
        made = client.call_tool("create_team", {"name": "ops", "members": ["alice", "bob"]})
        assert made.text == "Team ops has 2 members."
        assert set(Group.objects.get(name="ops").user_set.all()) == {alice, bob}
    finally:
        registry.unregister("create_team")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic", [True, False])
def test_rest_is_unchanged(monkeypatch: pytest.MonkeyPatch, atomic: bool) -> None:
    monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", atomic)
    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", atomic)
    assert APIClient().post("/api/refusing/", {}, format="json").status_code == 400
    assert names() == (set() if atomic else {"written-before-400"})
