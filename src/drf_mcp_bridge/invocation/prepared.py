"""A view set up for a caller without running its handler: what reading a resource and
completing an argument need (the caller's checks, the queryset it would see)."""

from __future__ import annotations

import inspect
from typing import Any

from rest_framework import exceptions

from . import middleware, routes
from .run import _endpoint_path, build_inner_request


class ReadRefused(Exception):
    """The caller may not read a resource: ``status`` is what REST would answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _guarded(run: Any, what: str) -> Any:
    """Run a view step; DRF's refusals and Django's 404 become :class:`ReadRefused`."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    try:
        result = run()
        if inspect.isawaitable(result):  # an async view's step (adrf): run it to the end
            from asgiref.sync import async_to_sync

            async def finish() -> Any:
                return await result

            result = async_to_sync(finish)()
        return result
    except exceptions.APIException as exc:
        raise ReadRefused(exc.status_code, str(exc.detail)) from None
    except Http404:
        raise ReadRefused(404, f"Not found: {what}.") from None
    except PermissionDenied:
        raise ReadRefused(403, f"You may not read {what}.") from None


def prepared_view(tool: Any, context: Any, lookup: Any, throttle: bool, work: Any) -> Any:
    """``work(view)`` for a view instance of a GET of ``tool``'s route (with ``lookup``
    for a detail route), set up exactly as the URLconf's view would be for the caller: the
    inner request carries the caller's credentials and goes through the project's
    middleware, and the view has run DRF's ``initial()`` (content negotiation, versioning,
    authentication, permissions and — when ``throttle`` — throttles) before ``work`` runs,
    inside the middleware. :class:`ReadRefused` when ``initial()`` refuses."""
    from django.http import HttpResponse
    from django.urls import Resolver404

    target = _endpoint_path(tool, lookup)
    if isinstance(target, str):
        raise ReadRefused(404, target)
    path, callback = target
    inner = build_inner_request(
        context.http_request, method="GET", path=path, query={}, body=None, context=context
    )
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {tool.lookup_argument: str(lookup)} if callback and tool.detail else {}
    if callback is None:
        try:
            match = routes.cached_resolve(inner.path_info, getattr(inner, "urlconf", None))
        except Resolver404:
            raise ReadRefused(404, f"No route serves {path}.") from None
        inner.resolver_match = match
        callback, args, kwargs = tool.view_callback(match.func), match.args, match.kwargs
    found: list[Any] = []

    def run(django_request: Any) -> HttpResponse:
        view = callback.cls(**callback.initkwargs)
        actions = getattr(callback, "actions", None) or {"get": "list"}
        view.action_map = actions
        for method, action in actions.items():
            setattr(view, method, getattr(view, action))
        view.args, view.kwargs = args, kwargs
        view.headers = dict(getattr(view, "default_response_headers", {}) or {})
        request = view.initialize_request(django_request, *args, **kwargs)
        view.request = request
        if not throttle:
            view.check_throttles = lambda request: None
        _guarded(lambda: view.initial(request, *args, **kwargs), tool.name)
        found.append(work(view))
        return HttpResponse(status=204)

    response = middleware.chain().run(inner, run)
    failure = middleware.failure_of(response)
    if failure is not None:
        raise failure
    if not found:  # a middleware answered on its own (a redirect, a refusal)
        raise ReadRefused(response.status_code, f"The request for {tool.name} was refused.")
    return found[0]
