"""Every change of a task's state, in one place: creation, the worker's claim, its
outcome, input rounds, cancellation, expiry; and the task as the wire shows it.

Each change is one conditional UPDATE (on the task's status and run), so two workers, or
a worker and a ``tasks/cancel`` on another host, never overwrite each other: the first
wins, the other's update matches no row. Committed changes bump the task's counter for
listeners (``subscriptions/listen`` with ``taskIds``).
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any

from django.db import router, transaction
from django.db.models import F
from django.utils import timezone as django_timezone

from ...conf.settings import mcp_settings
from ...core import state
from ...core.context import Caller
from ...core.jsonrpc import JSONRPCError
from ...core.sessions import owner_of as user_owner
from ...core.state import shared_cache
from ...core.types import INVALID_PARAMS
from ...protocol import subscriptions
from .models import (
    CANCELLED,
    COMPLETED,
    FAILED,
    INPUT_REQUIRED,
    TERMINAL,
    WORKING,
    MCPTask,
)

logger = logging.getLogger("drf_mcp_bridge")

#: Request META that describes the MCP exchange, not the caller: not kept for the runs.
_NOT_KEPT_PREFIXES = ("HTTP_MCP_", "wsgi.", "CONTENT_")
_NOT_KEPT = {"HTTP_ACCEPT", "QUERY_STRING", "HTTP_LAST_EVENT_ID", "REQUEST_METHOD"}


def now() -> datetime:
    return django_timezone.now()


def iso(moment: datetime) -> str:
    """ISO 8601 in UTC with a Z, to the millisecond."""
    text = moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def counter(task_id: str) -> str:
    """The listeners' counter of a task (see protocol/subscriptions.py)."""
    return "task:" + task_id


def cancel_flag(task_id: str) -> str:
    return state.key("task-cancel", task_id)


# who --------------------------------------------------------------------------------------
def owner_for(caller: Caller) -> str | None:
    """Who a task belongs to: the authenticated user (any of their credentials reach it),
    else the credentials sent (Authorization header, session cookie), else the anonymous
    caller when ``TASKS_ANONYMOUS`` allows it; None: this caller gets no tasks."""
    user = caller.user
    if user is not None and getattr(user, "is_authenticated", False):
        return "user:" + user_owner(user)
    credentials = caller.credentials
    if credentials:
        return "credentials:" + credentials
    return "anonymous" if mcp_settings.TASKS_ANONYMOUS else None


def snapshot(request: Any) -> dict[str, str]:
    """What a task's runs rebuild the caller's request from: the headers, cookies, client
    address, host, scheme and path of the request that created it (strings only)."""
    kept = {
        key: value
        for key, value in request.META.items()
        if isinstance(value, str)
        and key not in _NOT_KEPT
        and not key.startswith(_NOT_KEPT_PREFIXES)
    }
    kept["wsgi.url_scheme"] = request.scheme or "http"
    return kept


# creation -------------------------------------------------------------------------------
def unfinished_count(owner: str) -> int:
    return MCPTask.objects.filter(
        owner=owner, status__in=(WORKING, INPUT_REQUIRED), expires_at__gt=now()
    ).count()


def create(
    *,
    owner: str,
    tool: str,
    arguments: dict[str, Any],
    meta: dict[str, Any],
    request: dict[str, str],
    answers: dict[str, Any],
    message: str | None = None,
) -> MCPTask:
    """A new task, committed before this returns (a ``tasks/get`` on any host finds it);
    the caller enqueues its first run (``jobs.enqueue``)."""
    moment = now()
    row = MCPTask(
        id=secrets.token_urlsafe(32),
        owner=owner,
        tool=tool,
        arguments=arguments,
        meta=meta,
        status=WORKING,
        status_message=message or "The task is queued.",
        created_at=moment,
        updated_at=moment,
        expires_at=moment + timedelta(milliseconds=int(mcp_settings.TASKS_TTL_MS)),
        answers=answers,
        issued_keys=sorted(answers),
        request=request,
    )
    with transaction.atomic(using=database()):
        row.save(force_insert=True)
    return row


def database() -> str:
    """The database alias the tasks table is written to."""
    return router.db_for_write(MCPTask) or "default"


# reading ----------------------------------------------------------------------------------
def not_found() -> JSONRPCError:
    return JSONRPCError(INVALID_PARAMS, "Failed to retrieve task: Task not found")


def find(task_id: Any, owner: str | None) -> MCPTask:
    """The task ``task_id`` of ``owner``; an unknown id, another caller's task and an
    expired one are all -32602 (the first two alike, so that ids cannot be probed)."""
    if not isinstance(task_id, str) or not task_id or len(task_id) > 64:
        raise JSONRPCError(INVALID_PARAMS, 'tasks/* need "taskId" (a task id string).')
    row = MCPTask.objects.filter(pk=task_id).first()
    if row is None or owner is None or not secrets.compare_digest(row.owner, owner):
        raise not_found()
    moment = now()
    if row.expires_at <= moment:
        if not row.terminal:
            expire(row)
        raise JSONRPCError(INVALID_PARAMS, "Failed to retrieve task: Task has expired")
    return row


def owned(task_ids: list[str], owner: str) -> list[str]:
    """Those of ``task_ids`` that are ``owner``'s."""
    return list(MCPTask.objects.filter(pk__in=task_ids, owner=owner).values_list("pk", flat=True))


def owned_task(task_id: str, owner: str | None) -> MCPTask | None:
    if owner is None:
        return None
    return MCPTask.objects.filter(pk=task_id, owner=owner).first()


def detailed(row: MCPTask) -> dict[str, Any]:
    """The task as ``tasks/get`` answers it (DetailedTask, without ``resultType``)."""
    found: dict[str, Any] = {
        "taskId": row.id,
        "status": row.status,
        "createdAt": iso(row.created_at),
        "lastUpdatedAt": iso(row.updated_at),
        "ttlMs": max(1, int((row.expires_at - row.created_at).total_seconds() * 1000)),
        "pollIntervalMs": int(mcp_settings.TASKS_POLL_INTERVAL_MS),
    }
    if row.status_message:
        found["statusMessage"] = row.status_message
    if row.status == INPUT_REQUIRED:
        found["inputRequests"] = dict(row.input_requests)
    elif row.status == COMPLETED and row.result is not None:
        found["result"] = row.result
    elif row.status == FAILED and row.error is not None:
        found["error"] = row.error
    return found


def created(row: MCPTask) -> dict[str, Any]:
    """The ``CreateTaskResult`` of a new task (flat: the task's fields beside
    ``resultType``); only the basic task fields, whatever it reached meanwhile."""
    inlined = ("result", "error", "inputRequests")
    return {**{k: v for k, v in detailed(row).items() if k not in inlined}, "resultType": "task"}


# transitions ------------------------------------------------------------------------------
def _changed(task_id: str) -> None:
    """After commit: listeners of the task look again."""
    key = counter(task_id)
    transaction.on_commit(lambda: subscriptions.notify_resource_updated(key), using=database())


def _update(task_id: str, where: dict[str, Any], **values: Any) -> bool:
    values.setdefault("updated_at", now())
    with transaction.atomic(using=database()):
        done = MCPTask.objects.filter(pk=task_id, **where).update(**values) == 1
        if done:
            _changed(task_id)
    return done


def claim(task_id: str, attempt: int) -> MCPTask | None:
    """The task for run ``attempt``, taken by this worker; None when another has it, a
    later run superseded it, or the task ended (a backend that delivers twice, a run
    queued before a cancel)."""
    taken = _update(
        task_id,
        {"status": WORKING, "attempt": attempt, "running_attempt__lt": attempt},
        running_attempt=attempt,
        heartbeat_at=now(),
        status_message="The task is running.",
    )
    if not taken:
        return None
    return MCPTask.objects.filter(pk=task_id).first()


def beat(task_id: str, attempt: int) -> None:
    MCPTask.objects.filter(pk=task_id, status=WORKING, running_attempt=attempt).update(
        heartbeat_at=now()
    )


def report(task_id: str, attempt: int, message: str) -> None:
    _update(
        task_id,
        {"status": WORKING, "running_attempt": attempt},
        status_message=message[:2000],
    )


def finish(
    row: MCPTask,
    status: str,
    *,
    result: dict[str, Any] | None = None,
    error: dict[str, Any] | None = None,
    message: str = "",
) -> bool:
    """End the run ``row.attempt`` with ``status`` (a terminal one)."""
    assert status in TERMINAL
    moment = now()
    done = _update(
        row.id,
        {"status": WORKING, "attempt": row.attempt},
        status=status,
        result=result,
        error=error,
        status_message=message or _MESSAGES[status],
        input_requests={},
        request=None,
        expires_at=_ended_expiry(moment),
        updated_at=moment,
    )
    if done:
        shared_cache().delete(cancel_flag(row.id))
    return done


_MESSAGES = {
    COMPLETED: "The task completed.",
    FAILED: "The task failed.",
    CANCELLED: "The task was cancelled.",
}


def _ended_expiry(moment: datetime) -> datetime:
    return moment + timedelta(milliseconds=int(mcp_settings.TASKS_RESULT_TTL_MS))


def park(row: MCPTask, requests: dict[str, Any]) -> bool:
    """The run asked for input it has no answer to: the task waits in input_required.
    (A re-run asks its questions under the same keys, so an answered key is found in
    ``answers`` and never asked again.)"""
    issued = set(row.issued_keys or [])
    return _update(
        row.id,
        {"status": WORKING, "attempt": row.attempt},
        status=INPUT_REQUIRED,
        input_requests=dict(requests),
        issued_keys=sorted(issued | set(requests)),
        status_message="The task needs input: answer its inputRequests with tasks/update.",
    )


def give_input(row: MCPTask, responses: dict[str, Any], request: dict[str, str]) -> int | None:
    """tasks/update: keep the answers to questions the task waits for (others are
    ignored); once none is missing, the task is to run again with all its answers: the
    run to enqueue, else None."""
    with transaction.atomic(using=database()):
        locked = MCPTask.objects.select_for_update().filter(pk=row.id).first()
        if locked is None or locked.status != INPUT_REQUIRED:
            return None
        waiting = dict(locked.input_requests)
        taken = {k: v for k, v in responses.items() if k in waiting and isinstance(v, dict)}
        if not taken:
            return None
        answers = {**locked.answers, **taken}
        left = {k: v for k, v in waiting.items() if k not in taken}
        values: dict[str, Any] = {"answers": answers, "input_requests": left, "updated_at": now()}
        if not left:
            values.update(
                status=WORKING,
                attempt=F("attempt") + 1,
                request=request,
                status_message="The task is queued again with its input.",
            )
        MCPTask.objects.filter(pk=row.id, status=INPUT_REQUIRED).update(**values)
        _changed(row.id)
    return None if left else locked.attempt + 1


def cancel(row: MCPTask) -> None:
    """tasks/cancel: a task that is not running ends cancelled now; a running one is
    asked to stop (its tool sees ``mcp.cancelled``) and ends when its run does."""
    if row.terminal:
        return
    moment = now()
    done = _update(
        row.id,
        {"status": INPUT_REQUIRED},
        status=CANCELLED,
        input_requests={},
        request=None,
        cancel_requested=True,
        status_message=_MESSAGES[CANCELLED],
        expires_at=_ended_expiry(moment),
    ) or _update(
        row.id,
        {"status": WORKING, "running_attempt__lt": F("attempt")},
        status=CANCELLED,
        request=None,
        cancel_requested=True,
        status_message=_MESSAGES[CANCELLED],
        expires_at=_ended_expiry(moment),
    )
    if not done:
        # Recorded first, then the running tool told: the tool's own end (a write to the
        # same row) then never races this one.
        _update(row.id, {"status": WORKING}, cancel_requested=True)
        shared_cache().set(
            cancel_flag(row.id), True, timeout=int(mcp_settings.TASKS_TTL_MS) // 1000 + 60
        )


def cancel_requested(task_id: str) -> bool:
    """Whether ``tasks/cancel`` asked the running task to stop: the flag in the shared
    cache (read by a running tool, possibly inside its own transaction, so never the
    tasks table: a long read there would hold writers back on some databases)."""
    return bool(shared_cache().get(cancel_flag(task_id)))


def expire(row: MCPTask) -> None:
    """A task that outlived its TTL without ending: failed (and asked to stop)."""
    moment = now()
    _update(
        row.id,
        {"status__in": (WORKING, INPUT_REQUIRED)},
        status=FAILED,
        error={"code": -32603, "message": "The task expired before it ended."},
        input_requests={},
        request=None,
        cancel_requested=True,
        status_message="The task expired.",
        expires_at=_ended_expiry(moment),
    )
    shared_cache().set(cancel_flag(row.id), True, timeout=3600)


# lost workers -----------------------------------------------------------------------------
def lost(row: MCPTask, moment: datetime) -> bool:
    """A run taken by a worker that stopped beating."""
    if row.running_attempt != row.attempt or row.heartbeat_at is None:
        return False
    limit = timedelta(seconds=float(mcp_settings.TASKS_LOST_AFTER_SECONDS))
    return row.heartbeat_at < moment - limit


def rerun(row: MCPTask) -> int | None:
    """Give a lost run's task a new run: the run to enqueue, or None when another host
    did it first."""
    attempt = row.attempt + 1
    done = _update(
        row.id,
        {"status": WORKING, "attempt": row.attempt, "running_attempt": row.attempt},
        attempt=attempt,
        status_message="The worker running this task stopped; it runs again.",
    )
    return attempt if done else None


def prune() -> int:
    """Delete expired tasks; how many."""
    deleted, _ = MCPTask.objects.filter(expires_at__lte=now()).delete()
    return int(deleted)
