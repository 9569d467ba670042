"""Tasks (SEP-2663) across processes: two server processes and separate django-tasks-db
``db_worker`` processes on one database. A task created through one server is read,
answered and cancelled through the other; the creator is the only one who reaches it on
either; a task worker killed mid-run loses nothing: a read-only tool runs again on another
worker, any other tool fails with a clear error (its effects are unknown).

Every request goes to 127.0.0.1 with a timeout.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.interop.conftest import Cluster, cluster
from tests.interop.seed import ALICE_TOKEN

pytestmark = pytest.mark.interop

V = "2026-07-28"
TASKS = "io.modelcontextprotocol/tasks"


def rpc(url: str, method: str, params: dict[str, Any], token: str | None = None) -> Any:
    """One 2026-07-28 request declaring the Tasks extension; the JSON-RPC answer."""
    meta = {
        "io.modelcontextprotocol/protocolVersion": V,
        "io.modelcontextprotocol/clientCapabilities": {
            "elicitation": {},
            "extensions": {TASKS: {}},
        },
        "io.modelcontextprotocol/clientInfo": {"name": "tasks-cluster", "version": "1"},
    }
    headers = {
        "Accept": "application/json, text/event-stream",
        "MCP-Protocol-Version": V,
        "Mcp-Method": method,
    }
    name = params.get("name") or params.get("taskId")
    if name:
        headers["Mcp-Name"] = name
    if token:
        headers["Authorization"] = f"Token {token}"
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": {**params, "_meta": meta}}
    response = httpx.post(url, json=body, headers=headers, timeout=20)
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        for line in response.text.splitlines():
            if line.startswith("data:") and '"id"' in line:
                found = json.loads(line[5:])
                if "result" in found or "error" in found:
                    return found
        raise AssertionError(response.text)
    return response.json()


def result(answer: Any) -> dict[str, Any]:
    assert "result" in answer, answer
    found: dict[str, Any] = answer["result"]
    return found


def poll(url: str, task_id: str, until: set[str], token: str | None = None) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        task = result(rpc(url, "tasks/get", {"taskId": task_id}, token))
        if task["status"] in until:
            return task
        assert time.monotonic() < deadline, task
        time.sleep(0.1)


def start(url: str, tool: str, arguments: dict[str, Any], token: str | None = None) -> str:
    created = result(rpc(url, "tools/call", {"name": tool, "arguments": arguments}, token))
    assert created["resultType"] == "task", created
    task_id: str = created["taskId"]
    return task_id


@pytest.fixture(scope="module")
def two_servers() -> Iterator[Cluster]:
    with cluster(
        servers=2,
        task_workers=2,
        INTEROP_SESSIONS="0",
        INTEROP_TASKS_HEARTBEAT_SECONDS="1",
        INTEROP_TASKS_LOST_AFTER_SECONDS="3",
    ) as found:
        yield found


def test_created_on_one_server_finished_on_the_other(two_servers: Cluster) -> None:
    a, b = two_servers.urls
    task_id = start(a, "slow_compute", {"seconds": 1, "label": "pi"})
    # Durable creation: the other server finds it at once.
    assert result(rpc(b, "tasks/get", {"taskId": task_id}))["taskId"] == task_id
    done = poll(b, task_id, {"completed", "failed", "cancelled"})
    assert done["status"] == "completed"
    assert done["result"]["content"][0]["text"] == "Computed pi in 1 s."


def test_input_through_the_other_server(two_servers: Cluster) -> None:
    a, b = two_servers.urls
    task_id = start(a, "confirm_delete", {"filename": "x.txt"})
    waiting = poll(b, task_id, {"input_required"})
    (key,) = waiting["inputRequests"]
    answer = {key: {"action": "accept", "content": {"confirm": True}}}
    assert result(rpc(b, "tasks/update", {"taskId": task_id, "inputResponses": answer}))
    done = poll(a, task_id, {"completed", "failed", "cancelled"})
    assert done["result"]["content"][0]["text"] == "Deleted x.txt."


def test_cancelled_through_the_other_server(two_servers: Cluster) -> None:
    a, b = two_servers.urls
    task_id = start(a, "slow_compute", {"seconds": 30})
    poll(a, task_id, {"working"})
    time.sleep(0.5)  # let a worker take it
    began = time.monotonic()
    result(rpc(b, "tasks/cancel", {"taskId": task_id}))
    assert poll(a, task_id, {"cancelled", "completed", "failed"})["status"] == "cancelled"
    assert time.monotonic() - began < 10


def test_only_the_creator_reaches_it_on_either_server(two_servers: Cluster) -> None:
    a, b = two_servers.urls
    task_id = start(a, "slow_compute", {"seconds": 1}, token=ALICE_TOKEN)
    for url in (a, b):
        refused = rpc(url, "tasks/get", {"taskId": task_id})  # anonymous, not Alice
        assert refused["error"]["code"] == -32602
        assert refused["error"]["message"] == "Failed to retrieve task: Task not found"
        assert rpc(url, "tasks/cancel", {"taskId": task_id})["error"]["code"] == -32602
    assert poll(b, task_id, {"completed"}, token=ALICE_TOKEN)["status"] == "completed"


def _kill_workers(found: Cluster) -> None:
    for worker in found.workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)


def test_a_killed_worker_loses_nothing(two_servers: Cluster) -> None:
    a, b = two_servers.urls
    safe = start(a, "slow_lookup", {"seconds": 4})
    unsafe = start(a, "slow_compute", {"seconds": 30})
    deadline = time.monotonic() + 15
    while not all(
        result(rpc(a, "tasks/get", {"taskId": t})).get("statusMessage") == "The task is running."
        for t in (safe, unsafe)
    ):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    _kill_workers(two_servers)  # both runs die with their workers
    two_servers.start_worker()
    two_servers.start_worker()
    # After TASKS_LOST_AFTER_SECONDS without a heartbeat, a read notices: the read-only
    # tool runs again on a live worker, the other fails saying why.
    redone = poll(b, safe, {"completed", "failed", "cancelled"})
    assert redone["status"] == "completed", redone
    assert redone["result"]["content"][0]["text"] == "Looked up in 4 s."
    failed = poll(b, unsafe, {"completed", "failed", "cancelled"})
    assert failed["status"] == "failed"
    assert failed["error"] == {"code": -32603, "message": "The worker running this task stopped."}
