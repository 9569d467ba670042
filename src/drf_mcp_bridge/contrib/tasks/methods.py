"""The extension's methods (``tasks/get``, ``tasks/update``, ``tasks/cancel``) and its
``tools/call`` hook, registered into the protocol layer (2026-07-28 only)."""

from __future__ import annotations

from typing import Any

from ...conf.settings import mcp_settings
from ...core.context import Caller, RequestContext
from ...core.jsonrpc import JSONRPCError, notification
from ...core.types import (
    INVALID_PARAMS,
    META_CLIENT_CAPABILITIES,
    MISSING_REQUIRED_CLIENT_CAPABILITY,
)
from ...invocation import calls
from ...invocation.results import error_result
from ...protocol.extensions import Extension, ListenSource, register_extension
from ...protocol.subscriptions import listen_items
from ...protocol.tools import argument_problem
from . import jobs, store

EXTENSION_ID = "io.modelcontextprotocol/tasks"
#: What a request must declare (and -32021 names when it does not).
REQUIRED: dict[str, Any] = {"extensions": {EXTENSION_ID: {}}}


def declares_tasks(params: dict[str, Any]) -> bool:
    """Whether this request's ``_meta`` client capabilities declare the extension (there
    is no session-wide negotiation in 2026-07-28: each request says it)."""
    meta = params.get("_meta")
    capabilities = meta.get(META_CLIENT_CAPABILITIES) if isinstance(meta, dict) else None
    extensions = capabilities.get("extensions") if isinstance(capabilities, dict) else None
    return isinstance(extensions, dict) and isinstance(extensions.get(EXTENSION_ID), dict)


def missing_capability(what: str) -> JSONRPCError:
    return JSONRPCError(
        MISSING_REQUIRED_CLIENT_CAPABILITY,
        f"{what} needs the Tasks extension: declare "
        f'"extensions": {{"{EXTENSION_ID}": {{}}}} in this request\'s _meta client '
        "capabilities.",
        {"requiredCapabilities": REQUIRED},
    )


def _task(params: dict[str, Any], context: RequestContext, method: str) -> Any:
    if not declares_tasks(params):
        raise missing_capability(method)
    return jobs.recover_if_lost(store.find(params.get("taskId"), store.owner_for(context.caller)))


def tasks_get(server: Any, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
    return store.detailed(_task(params, context, "tasks/get"))


def tasks_update(server: Any, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
    row = _task(params, context, "tasks/update")
    responses = params.get("inputResponses")
    if not isinstance(responses, dict):
        raise JSONRPCError(INVALID_PARAMS, '"inputResponses" must be an object (key: result).')
    # The latest credentials of the same caller are the ones the next run uses.
    attempt = store.give_input(row, responses, store.snapshot(context.http_request))
    if attempt is not None:
        jobs.enqueue_on_commit(row.id, attempt)
    return {}


def tasks_cancel(server: Any, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
    store.cancel(_task(params, context, "tasks/cancel"))
    return {}


def tools_call_hook(
    server: Any,
    tool: Any,
    arguments: dict[str, Any],
    params: dict[str, Any],
    context: RequestContext,
) -> dict[str, Any] | None:
    """A task instead of the result, when the tool may run as one and this request can
    receive one; None: the call runs synchronously as usual."""
    support = tool.task_support
    if not declares_tasks(params):
        if support == "required":
            raise missing_capability(f"The tool {tool.name}")
        return None  # optional: synchronously, as for any client
    owner = store.owner_for(context.caller)
    if owner is None:
        if support == "required":
            return dict(
                error_result(
                    f"The tool {tool.name} runs only as a task, and tasks need credentials: "
                    "sign in (or the server allows anonymous tasks: TASKS_ANONYMOUS)."
                )
            )
        return None
    kept = store.snapshot(context.http_request)
    if store.owner_for(Caller(jobs.rebuild_request(kept))) != owner:
        # An identity that exists only in this process (DRF's force_authenticate, the
        # stdio server's --user): a run elsewhere could not be this caller.
        if support == "required":
            return dict(
                error_result(
                    f"The tool {tool.name} runs only as a task, and this caller's identity "
                    "cannot be carried to a task worker (it was given in process, not by "
                    "credentials); call it over HTTP with credentials."
                )
            )
        return None
    answers: dict[str, Any] = {}
    message = None
    if tool.task_prelude:
        # The tool runs here until it calls mcp.defer() (input rounds are answered
        # synchronously first); a tool that never defers answers at once.
        context.may_defer = True
        try:
            return dict(server.run_tool(tool, arguments, params, context))
        except calls.Deferred as deferred:
            answers, message = deferred.answers, deferred.message
        finally:
            context.may_defer = False
    else:
        problem = argument_problem(arguments)
        if problem is not None:
            return dict(error_result(f"Invalid arguments: {problem}"))
    limit = int(mcp_settings.TASKS_MAX_PER_CALLER)
    if store.unfinished_count(owner) >= limit:
        return dict(
            error_result(
                f"You have {limit} unfinished tasks, the most allowed; wait for some to end "
                "or cancel them (tasks/cancel), then call again."
            )
        )
    meta = params.get("_meta")
    row = store.create(
        owner=owner,
        tool=tool.name,
        arguments=arguments,
        meta=dict(meta) if isinstance(meta, dict) else {},
        request=kept,
        answers=answers,
        message=message,
    )
    jobs.enqueue_on_commit(row.id, 1)
    row.refresh_from_db()  # an ImmediateBackend ran it meanwhile
    return store.created(row)


class TaskStatus(ListenSource):
    """``subscriptions/listen`` with ``notifications.taskIds``: a ``notifications/tasks``
    (the whole task, as tasks/get would answer it then) after each change of a followed
    task. Only the caller's own tasks are followed (others are left out of the
    acknowledgment, as unknown ones are)."""

    field = "taskIds"

    def accept(self, items: Any, params: dict[str, Any], context: RequestContext) -> list[str]:
        if not declares_tasks(params):
            raise missing_capability("Following tasks (taskIds)")
        items = listen_items(items, self.field, "tasks")
        owner = store.owner_for(context.caller)
        if owner is None:
            return []
        wanted = list(dict.fromkeys(items))
        mine = set(store.owned(wanted, owner))
        return [i for i in wanted if i in mine]

    def counter(self, item: str) -> str:
        return store.counter(item)

    def render(self, item: str, context: RequestContext) -> dict[str, Any] | None:
        owner = store.owner_for(context.caller)
        row = store.owned_task(item, owner)
        if row is None:
            return None
        return notification("notifications/tasks", store.detailed(row))


def register() -> None:
    register_extension(
        Extension(
            id=EXTENSION_ID,
            capability={},
            methods={
                "tasks/get": tasks_get,
                "tasks/update": tasks_update,
                "tasks/cancel": tasks_cancel,
            },
            call_hook=tools_call_hook,
            listen=TaskStatus(),
            stateless_only=True,
        )
    )
