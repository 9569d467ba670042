"""Where a task's state lives: one row per task, read and written by every web worker
and task worker (the task backend only runs ``jobs.run_mcp_task(id, attempt)``)."""

from __future__ import annotations

from typing import Any

from django.db import models

WORKING = "working"
INPUT_REQUIRED = "input_required"
COMPLETED = "completed"
FAILED = "failed"
CANCELLED = "cancelled"
TERMINAL = (COMPLETED, FAILED, CANCELLED)
STATUSES = (WORKING, INPUT_REQUIRED, *TERMINAL)


def _empty() -> dict[str, Any]:
    return {}


def _none() -> list[Any]:
    return []


class MCPTask(models.Model):
    """One task of the Tasks extension (``tasks/get`` renders it)."""

    #: The task id: random, unguessable (it is what a client names the task by).
    id = models.CharField(primary_key=True, max_length=64, editable=False)
    #: Who created it (``store.owner_of``): only the same caller reads or cancels it.
    owner = models.CharField(max_length=200, db_index=True)
    tool = models.CharField(max_length=200)
    arguments = models.JSONField(default=_empty)
    #: The creating ``tools/call``'s ``_meta`` (protocol version, client capabilities).
    meta = models.JSONField(default=_empty)
    status = models.CharField(
        max_length=20, choices=[(s, s) for s in STATUSES], default=WORKING, db_index=True
    )
    status_message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    #: After this the task is gone (answered as expired, then pruned).
    expires_at = models.DateTimeField(db_index=True)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    #: The input the task waits for (key -> {"method", "params"}), in input_required.
    input_requests = models.JSONField(default=_empty)
    #: The client's answers so far (key -> result), given again to each run.
    answers = models.JSONField(default=_empty)
    #: Every input key ever issued: a key is never used for two questions.
    issued_keys = models.JSONField(default=_none)
    cancel_requested = models.BooleanField(default=False)
    #: The run the task is at (each tasks/update that completes the input starts one)...
    attempt = models.PositiveIntegerField(default=1)
    #: ...and the run a worker has taken (0: none yet).
    running_attempt = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    #: What the task's runs rebuild the caller's request from (headers, cookies, address):
    #: wiped when the task ends.
    request = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = "MCP task"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "status"], name="mcp_task_owner_status")]

    def __str__(self) -> str:
        return f"{self.tool} {self.status} ({self.id[:8]}…)"

    @property
    def terminal(self) -> bool:
        return self.status in TERMINAL
