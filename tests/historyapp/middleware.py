"""A change-log middleware written like the ones large applications carry: it keeps the
current request's user and a request id in a thread-local for model signal handlers, and
reads the user lazily (DRF authenticates after the middleware ran)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponseBase


class _Current(threading.local):
    request: HttpRequest | None = None
    request_id: str | None = None

    @property
    def user(self) -> Any:
        return getattr(self.request, "user", None)


current = _Current()


class ChangeLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        saved = current.request, current.request_id
        current.request, current.request_id = request, uuid.uuid4().hex
        try:
            return self.get_response(request)
        finally:
            current.request, current.request_id = saved
