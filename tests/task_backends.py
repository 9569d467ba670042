"""A task backend for the tests: it records what is enqueued, from any thread (Django's
DummyBackend keeps one list per thread, and a streamed call enqueues from the thread
that runs it), and runs nothing; the test runs the recorded tasks itself."""

from __future__ import annotations

import importlib.util
import threading
from typing import Any

if importlib.util.find_spec("django.tasks") is not None:
    from django.tasks.backends.dummy import DummyBackend
else:
    from django_tasks.backends.dummy import DummyBackend  # type: ignore[no-redef]

_lock = threading.Lock()
_recorded: list[Any] = []


class RecordingBackend(DummyBackend):  # type: ignore[misc]
    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        found = super().enqueue(task, args, kwargs)
        with _lock:
            _recorded.append(found)
        return found


def take() -> list[Any]:
    """What was enqueued since the last call, oldest first."""
    with _lock:
        found = list(_recorded)
        _recorded.clear()
    return found
