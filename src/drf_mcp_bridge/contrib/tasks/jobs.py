"""The task function Django's task framework runs: ``run_mcp_task(task_id, attempt)``.

Its arguments are all a backend (a database table, a broker) ever sees: no credentials,
no tool arguments. The run reads the task's row, rebuilds the caller's request from it
(headers, cookies, address: the endpoint's authentication runs again, so a token revoked
meanwhile is refused as REST would refuse it), and runs the tool through the same path as
a synchronous ``tools/call`` (the inner DRF request, the middleware, the transactions, the
result checks and the call record).
"""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import connections, transaction
from django.utils.module_loading import import_string

from ...conf.settings import mcp_settings
from ...core.context import Caller, RequestContext
from ...core.jsonrpc import JSONRPCError
from ...core.types import (
    INTERNAL_ERROR,
    INVALID_PARAMS,
    LATEST_PROTOCOL_VERSION,
    META_PROTOCOL_VERSION,
    REQUEST_CANCELLED,
)
from ...invocation import calls
from ...invocation.results import error_result
from ...protocol.server import server
from . import store
from .compat import task
from .models import CANCELLED, COMPLETED, FAILED, WORKING, MCPTask

logger = logging.getLogger("drf_mcp_bridge")

#: The request-phase middleware a run repeats, when the project uses it, so that the
#: rebuilt request has the session and user the original had (the inner request of a
#: tool call leaves these out: it inherits them).
_IDENTITY_MIDDLEWARE = (
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
)


@task()
def run_mcp_task(task_id: str, attempt: int) -> None:
    """Run the task ``task_id`` for its run ``attempt`` (see the module doc)."""
    execute(task_id, attempt)


def enqueue(task_id: str, attempt: int) -> None:
    """Hand run ``attempt`` of the task to the configured backend. A backend that refuses
    it (misconfigured, broker down) fails the task instead of leaving it waiting."""
    try:
        run_mcp_task.using(
            backend=str(mcp_settings.TASKS_BACKEND), queue_name=str(mcp_settings.TASKS_QUEUE)
        ).enqueue(task_id, attempt)
    except Exception:
        logger.exception("Could not enqueue MCP task %s", task_id)
        row = MCPTask.objects.filter(pk=task_id, attempt=attempt).first()
        if row is not None:
            store.finish(
                row,
                FAILED,
                error={"code": INTERNAL_ERROR, "message": "The task could not be queued."},
            )


def enqueue_on_commit(task_id: str, attempt: int) -> None:
    """:func:`enqueue` once the current transaction commits (at once outside one): a
    worker never looks for a row that is not committed yet."""
    transaction.on_commit(lambda: enqueue(task_id, attempt), using=store.database())


def recover(row: MCPTask) -> None:
    """A run whose worker stopped beating: run it again when the tool is safe to repeat
    (read-only or idempotent), else fail the task (what it did is unknown)."""
    if row.cancel_requested:
        store.finish(row, CANCELLED)
    elif safe_to_repeat(row.tool):
        attempt = store.rerun(row)
        if attempt is not None:
            enqueue_on_commit(row.id, attempt)
    else:
        store.finish(
            row,
            FAILED,
            error={"code": INTERNAL_ERROR, "message": "The worker running this task stopped."},
            message="The worker running this task stopped; what it did is unknown.",
        )


def recover_if_lost(row: MCPTask) -> MCPTask:
    """``row``, recovered first when its run was lost (tasks/get, ``mcp_tasks --reap``)."""
    if row.status == WORKING and store.lost(row, store.now()):
        recover(row)
        row.refresh_from_db()
    return row


def safe_to_repeat(tool_name: str) -> bool:
    """Whether a run lost with its worker may run again: the tool says it is read-only
    or idempotent (its annotations, derived from the HTTP method for DRF actions)."""
    tool = server.registry.get_tool(tool_name)
    annotations = (tool.annotations() if tool is not None else None) or {}
    return bool(annotations.get("readOnlyHint") or annotations.get("idempotentHint"))


class Binding:
    """What the running call reads instead of its request (``calls.TaskBinding``)."""

    def __init__(self, row: MCPTask) -> None:
        self.row = row
        self.answers: dict[str, Any] = dict(row.answers or {})
        self._cancelled = False

    def cancelled(self) -> bool:
        if not self._cancelled:
            self._cancelled = store.cancel_requested(self.row.id)
        return self._cancelled

    def report(self, message: str) -> None:
        store.report(self.row.id, self.row.attempt, message)


def rebuild_request(kept: dict[str, str]) -> WSGIRequest:
    """The request that created the task, as far as identity goes (``store.snapshot``),
    with the session and user the project's middleware gives it."""
    environ: dict[str, Any] = dict(kept)
    environ.update(
        {
            "REQUEST_METHOD": "POST",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": kept.get("wsgi.url_scheme", "http"),
            "CONTENT_LENGTH": "0",
        }
    )
    environ.setdefault("SERVER_NAME", "localhost")
    environ.setdefault("SERVER_PORT", "80")
    environ.setdefault("PATH_INFO", "/")
    request = WSGIRequest(environ)
    for path in _IDENTITY_MIDDLEWARE:
        if path in settings.MIDDLEWARE:
            middleware = import_string(path)(lambda r: None)
            middleware.process_request(request)
    return request


@contextmanager
def heartbeat(task_id: str, attempt: int) -> Iterator[None]:
    """Stamp the run as alive every ``TASKS_HEARTBEAT_SECONDS`` while it lasts (a thread
    with its own database connection): a run whose stamps stop is a lost worker's."""
    stop = threading.Event()
    interval = float(mcp_settings.TASKS_HEARTBEAT_SECONDS)

    def beat() -> None:
        try:
            while not stop.wait(interval):
                store.beat(task_id, attempt)
        except Exception:  # the run goes on; a missed stamp only makes it look lost later
            logger.warning("Heartbeat of MCP task %s failed", task_id, exc_info=True)
        finally:
            connections.close_all()  # this thread's own connections

    thread = threading.Thread(target=beat, name=f"mcp-task-{task_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 5)


def execute(task_id: str, attempt: int) -> None:
    """One run of a task (the body of :func:`run_mcp_task`)."""
    row = store.claim(task_id, attempt)
    if row is None:
        return  # taken by another worker, superseded, or already ended
    if row.cancel_requested:
        store.finish(row, CANCELLED)
        return
    with heartbeat(task_id, attempt):
        try:
            _run(row)
        except Exception:
            logger.exception("MCP task %s (%s) failed", row.id, row.tool)
            store.finish(
                row,
                FAILED,
                error={
                    "code": INTERNAL_ERROR,
                    "message": "Internal error; the server log has details.",
                },
            )


def _run(row: MCPTask) -> None:
    binding = Binding(row)
    caller = Caller(rebuild_request(row.request or {}))
    if store.owner_for(caller) != row.owner:
        # The credentials that created the task are no longer accepted (revoked,
        # expired): the tool does not run, as a REST request with them would not.
        result = dict(
            error_result(
                "The credentials that created this task are no longer accepted; sign in "
                "again and call the tool again."
            )
        )
        store.finish(row, COMPLETED, result=result)
        return
    tool = server.registry.get_tool(row.tool)
    if tool is None:
        error = JSONRPCError(INVALID_PARAMS, f"Unknown tool: {row.tool!r}.")
        store.finish(row, FAILED, error=dict(error.to_object()))
        return
    meta = dict(row.meta or {})
    version = str(meta.get(META_PROTOCOL_VERSION) or LATEST_PROTOCOL_VERSION)
    context = RequestContext(caller, version, task=binding)
    params = {"name": row.tool, "arguments": row.arguments, "_meta": meta}
    try:
        result = server.run_tool(tool, dict(row.arguments or {}), params, context)
    except calls.TaskInputRequired as needed:
        if binding.cancelled():
            store.finish(row, CANCELLED)
        else:
            store.park(row, needed.requests)
        return
    except JSONRPCError as error:
        if error.code == REQUEST_CANCELLED and binding.cancelled():
            store.finish(row, CANCELLED)
        else:
            store.finish(row, FAILED, error=dict(error.to_object()))
        return
    answer = server.stateless_result("tools/call", result, context)
    store.finish(row, COMPLETED, result=answer)
