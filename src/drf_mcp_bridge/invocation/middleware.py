"""The project's middleware around a tool call's inner request.

Over REST a view runs inside the project's ``MIDDLEWARE``; code that keeps request-scoped
state there (the current user or request for change logs and history — django-crum,
django-simple-history's ``HistoryRequestMiddleware`` —, tenants, scopes, request ids)
expects the request it sees to be the one the view serves. So the inner request of every
tool call (and the view the access gate sets up to check a read or a completion) goes
through a middleware chain built like Django's handler builds it: request and response
hooks, ``process_view``, ``process_template_response``, ``process_exception``.

Middleware that only concerns the outer HTTP exchange, which the ``/mcp`` request already
went through, is left out: ``INNER_MIDDLEWARE_EXCLUDE`` (defaults below: security
redirects, sessions and authentication — the inner request carries the outer one's session
and user —, CSRF — DRF's views are CSRF-exempt and check it in SessionAuthentication —,
messages, compression, conditional GET, framing headers, CORS, static files, the debug
toolbar). ``INNER_MIDDLEWARE`` replaces the whole list (``[]``: none).

An exception the view raises is answered as Django's handler would shape it for the
middleware (``process_exception`` first, else a response flagged with the exception), so
that outer middleware sees a response as over REST; the tool result is then made from the
flag (:func:`failure_of`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils.module_loading import import_string

from ..conf.settings import INNER_MIDDLEWARE_EXCLUDED, mcp_settings

logger = logging.getLogger("drf_mcp_bridge")

View = Callable[[HttpRequest], HttpResponseBase]


class Failure(HttpResponse):
    """The response the middleware sees for an exception the view raised (a 500, or a 400
    for a ``SuspiciousOperation``, as Django answers them); the exception rides along."""

    def __init__(self, exception: BaseException) -> None:
        from django.core.exceptions import SuspiciousOperation

        status = 400 if isinstance(exception, SuspiciousOperation) else 500
        super().__init__(status=status)
        self.exception = exception


def failure_of(response: HttpResponseBase) -> BaseException | None:
    """The exception behind a :class:`Failure` response, else None."""
    return response.exception if isinstance(response, Failure) else None


def inner_middleware() -> list[str]:
    """The dotted paths the inner request goes through, outermost first."""
    chosen = mcp_settings.INNER_MIDDLEWARE
    if chosen is not None:
        return [str(p) for p in chosen]
    chosen_excluded = mcp_settings.INNER_MIDDLEWARE_EXCLUDE
    excluded = set(INNER_MIDDLEWARE_EXCLUDED if chosen_excluded is None else chosen_excluded)
    return [str(p) for p in getattr(settings, "MIDDLEWARE", []) if p not in excluded]


class Chain:
    """The built middleware around one innermost function: Django's handler's construction
    (each middleware made once with the next layer as its ``get_response``), sync only."""

    def __init__(self, paths: list[str]) -> None:
        self.paths = paths
        self.view_hooks: list[Any] = []
        self.template_hooks: list[Any] = []
        self.exception_hooks: list[Any] = []
        self._local = threading.local()
        handler: Any = self._innermost
        for path in reversed(paths):
            factory = import_string(path)
            try:
                instance = factory(handler)
            except MiddlewareNotUsed:
                continue
            if instance is None:
                continue  # a factory that returned nothing: nothing to wrap
            if hasattr(instance, "process_view"):
                self.view_hooks.insert(0, instance.process_view)
            if hasattr(instance, "process_template_response"):
                self.template_hooks.append(instance.process_template_response)
            if hasattr(instance, "process_exception"):
                self.exception_hooks.append(instance.process_exception)
            handler = instance
        self.handler = handler

    def run(self, request: HttpRequest, view: View) -> HttpResponseBase:
        """``view(request)`` inside the chain; an exception of ``view`` comes back as a
        :class:`Failure` (after ``process_exception``), one of a middleware is raised."""
        if not self.paths:
            return self._call(request, view)
        previous = getattr(self._local, "view", None)
        self._local.view = view
        try:
            response: HttpResponseBase = self.handler(request)
        finally:
            self._local.view = previous
        return response

    def _innermost(self, request: HttpRequest) -> HttpResponseBase:
        view: View = self._local.view
        return self._call(request, view)

    def _call(self, request: HttpRequest, view: View) -> HttpResponseBase:
        match = getattr(request, "resolver_match", None)
        callback = getattr(match, "func", view)
        args = tuple(getattr(match, "args", ()) or ())
        kwargs = dict(getattr(match, "kwargs", {}) or {})
        for hook in self.view_hooks:
            early: HttpResponseBase | None = hook(request, callback, args, kwargs)
            if early is not None:
                return early
        try:
            return view(request)
        except Exception as exc:
            for hook in self.exception_hooks:
                handled: HttpResponseBase | None = hook(request, exc)
                if handled is not None:
                    return handled
            return Failure(exc)

    def template_response(self, request: HttpRequest, response: Any) -> Any:
        """``process_template_response`` of each middleware, before the response renders."""
        for hook in self.template_hooks:
            response = hook(request, response)
        return response


_chain: Chain | None = None
_lock = threading.Lock()


def chain() -> Chain:
    """The chain for the current settings (built once; rebuilt when they change)."""
    global _chain
    found = _chain
    if found is None:
        with _lock:
            if _chain is None:
                _chain = Chain(inner_middleware())
            found = _chain
    return found


def reset() -> None:
    global _chain
    _chain = None


mcp_settings.on_reload(reset)
