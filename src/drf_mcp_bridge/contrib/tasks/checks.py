"""System checks of the Tasks extension (registered by its AppConfig)."""

from __future__ import annotations

from typing import Any

from django.core import checks

from ...conf.settings import mcp_settings
from .compat import InvalidTaskBackend, backend


def check_task_backend(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """TASKS_BACKEND names a backend of settings.TASKS that can run the task function."""
    alias = str(mcp_settings.TASKS_BACKEND)
    try:
        found = backend(alias)
    except InvalidTaskBackend as refused:
        return [
            checks.Error(
                f"REST_FRAMEWORK_MCP['TASKS_BACKEND'] is {alias!r}, which settings.TASKS "
                f"cannot give: {refused}.",
                hint="Name a backend of settings.TASKS (docs/transport.md, Tasks).",
                id="drf_mcp_bridge.E019",
            )
        ]
    from .jobs import run_mcp_task  # the task function, validated by the backend

    try:
        found.validate_task(
            run_mcp_task.using(backend=alias, queue_name=str(mcp_settings.TASKS_QUEUE))
        )
    except Exception as refused:
        return [
            checks.Error(
                f"The task backend {alias!r} cannot run MCP tasks: {refused}",
                hint="Check TASKS_QUEUE against the backend's QUEUES (docs/transport.md, Tasks).",
                id="drf_mcp_bridge.E019",
            )
        ]
    return []
