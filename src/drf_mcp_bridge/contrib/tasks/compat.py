"""Django's task framework: ``django.tasks`` (Django 6.0 and later) or, below it, the
``django-tasks`` backport, which has the same API under another name."""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

if find_spec("django.tasks") is not None:
    from django.tasks import task, task_backends
    from django.tasks.exceptions import InvalidTaskBackend

    FRAMEWORK = "django.tasks"
else:  # pragma: no cover - depends on the Django version installed
    try:
        from django_tasks import (  # type: ignore[assignment,no-redef,unused-ignore]
            task,
            task_backends,
        )
        from django_tasks.exceptions import (  # type: ignore[assignment,unused-ignore]
            InvalidTaskBackendError as InvalidTaskBackend,
        )
    except ImportError as missing:
        raise ImportError(
            "drf_mcp_bridge.contrib.tasks runs tasks with Django's task framework: "
            "use Django 6.0 or later, or install the backport (pip install "
            "'drf-mcp-bridge[tasks]') and add 'django_tasks' to INSTALLED_APPS."
        ) from missing

    FRAMEWORK = "django_tasks"


def backend(alias: str) -> Any:
    """The task backend ``alias`` of settings.TASKS."""
    return task_backends[alias]


__all__ = ["FRAMEWORK", "InvalidTaskBackend", "backend", "task", "task_backends"]
