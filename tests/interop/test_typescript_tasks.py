"""The official TypeScript MCP Tasks client against live servers (the Tasks extension).

``tasks.ts`` drives two server processes on one database and cache (plus two
django-tasks-db workers) with ``@modelcontextprotocol/ext-tasks`` on
``@modelcontextprotocol/client`` v2, pinned to protocol revision 2026-07-28, through the
package's own session API (``createTaskSessionFromClient``, ``callTool``, ``settle``,
``cancel``, ``serializeReference``, ``resumeTask``). Its ``rawDispatch`` only carries the
requests the package frames over HTTP (with the ``Mcp-Method`` / ``Mcp-Name`` headers);
everything else, the polling, the input exchange, the outcomes, is the official client's.

It proves, asserted in the script and again here, that:

- a tool that is never a task (``greet``) comes back as an immediate execution, and so
  does a task-capable one that answers at once (``slow_compute`` with 0 s);
- a task-capable tool (``slow_compute``) becomes a task that the client polls
  (``tasks/get``) to its result;
- an elicitation asked inside a task (``confirm_delete``) reaches ``onInputRequest`` in the
  task scope and its answer goes back with ``tasks/update``; two questions outstanding at
  once (``multi_input``) are both answered;
- ``cancel()`` ends a 30 s task at once with the cancelled outcome (``TaskCancelledError``),
  and the server reports it cancelled;
- a tool error inside a task (``failing_job``) is a completed task whose result is a tool
  error, and a JSON-RPC error (``protocol_error_job``) the failed outcome
  (``TaskFailedError``, code -32603);
- a task created through one server process, serialized and resumed by a fresh session on
  the other process (the same logical endpoint), settles there;
- task controllers: cancelling a finished task is an idempotent ack (it stays completed),
  and an unknown task id is the JSON-RPC error -32602.
"""

from __future__ import annotations

import pytest

from tests.interop.conftest import cluster, run_ts_script

pytestmark = pytest.mark.interop


def test_typescript_tasks_client() -> None:
    with cluster(servers=2, task_workers=2, INTEROP_SESSIONS="0") as found:
        report = run_ts_script("tasks.ts", found.urls[0], found.urls[1])

    assert report["ok"] is True
    assert report["protocolVersion"] == "2026-07-28"
    assert report["greet"] == {"kind": "immediate", "text": "Hello, Ada!"}
    assert report["quick"] == {"kind": "immediate", "text": "Computed zero in 0 s."}

    assert report["slow"]["kind"] == "task"
    assert report["slow"]["text"] == "Computed pi in 1 s."
    assert report["slow"]["events"][-1] == "outcome:completed"

    assert report["confirm"] == {"kind": "task", "text": "Deleted notes.txt."}
    assert report["multi"]["kind"] == "task"
    assert report["multi"]["text"] in ("Got name1 and name2.", "Got name2 and name1.")
    asked = report["elicited"]
    assert [entry["message"] for entry in asked] == ["Delete notes.txt?", "First?", "Second?"]
    assert {(entry["scope"], entry["delivery"]) for entry in asked} == {("task", "task-update")}
    assert ["first", "second"] in report["outstanding"]  # both asked in one snapshot

    assert report["cancel"]["outcome"] == "cancelled"
    assert report["cancel"]["serverStatus"] == "cancelled"
    assert report["cancel"]["ms"] < 5000

    assert report["failing"]["outcome"] == "completed"
    assert report["failing"]["isError"] is True
    assert "The job failed" in report["failing"]["text"]
    assert report["protocolError"] == {"outcome": "failed", "code": -32603}

    resume = report["resume"]
    assert resume["generation"] == "v2"
    assert resume["originalOperation"] == "tools/call"
    assert resume["endpointScoped"] is True
    assert resume["text"] == "Computed roaming in 2 s."
    assert resume["methodsOnB"] == ["tasks/get"]
    assert report["controller"] == {"finished": "completed", "unknownCode": -32602}
    assert set(report["methodsOnA"]) == {"tools/call", "tasks/get", "tasks/update", "tasks/cancel"}
