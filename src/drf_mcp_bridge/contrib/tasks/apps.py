from __future__ import annotations

from django.apps import AppConfig


class TasksConfig(AppConfig):
    """Registers the Tasks extension into the protocol layer when Django starts."""

    name = "drf_mcp_bridge.contrib.tasks"
    label = "drf_mcp_bridge_tasks"
    verbose_name = "MCP tasks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from . import methods  # the extension's methods and its tools/call hook
        from .checks import check_task_backend  # its system checks

        methods.register()
        checks.register(check_task_backend)
