"""Resource subscriptions: ``resources/subscribe`` (2025, with sessions) remembers a URI in
the session, and a change to it queues ``notifications/resources/updated`` for the
session's GET stream; ``subscriptions/listen`` (2026-07-28, ``SUBSCRIPTIONS``) registers
its own stream as a listener of the URIs it names.

Changes are found two ways: saving or deleting a model instance that a registered
ViewSet serves (``drf://<resource>`` and ``drf://<resource>/<lookup>``), and calls of
:func:`notify_resource_updated` for anything else (``@mcp_resource`` data).
Everything lives in Django's cache, so the worker that holds a session's stream sees
changes made by any other worker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from .sessions import Session, session_timeout, shared_cache
from .settings import mcp_settings

_SUBSCRIBERS = "mcp:subscribers:"
_EVENTS = "mcp:events:"


def set_subscribed(session: Session, uri: str, subscribed: bool) -> None:
    """Subscribe ``session`` to ``uri`` (or end it): in the session, and in the URI's list
    of subscribers that :func:`notify_resource_updated` reads."""
    listed = uri in session["subscriptions"]
    if listed != subscribed:
        (session["subscriptions"].append if subscribed else session["subscriptions"].remove)(uri)
        session.save()
    _set_listener(session.id, uri, subscribed)


def _set_listener(listener: str, uri: str, subscribed: bool) -> None:
    store = shared_cache()
    subscribers = set(store.get(_SUBSCRIBERS + uri) or ())
    (subscribers.add if subscribed else subscribers.discard)(listener)
    store.set(_SUBSCRIBERS + uri, sorted(subscribers), timeout=session_timeout())


def listen(listener: str, uris: list[str]) -> None:
    """Register a ``subscriptions/listen`` stream for ``uris``."""
    for uri in uris:
        _set_listener(listener, uri, True)


def stop_listening(listener: str, uris: list[str]) -> None:
    for uri in uris:
        _set_listener(listener, uri, False)
    shared_cache().delete(_EVENTS + listener)


def enabled() -> bool:
    """Whether anything can subscribe (2025 sessions or 2026 listen streams)."""
    return bool(mcp_settings.SESSIONS or mcp_settings.SUBSCRIPTIONS)


def notify_resource_updated(uri: str) -> int:
    """Queue ``notifications/resources/updated`` for every session subscribed to ``uri``;
    how many were notified."""
    if not enabled():
        return 0
    cache = shared_cache()
    subscribers = cache.get(_SUBSCRIBERS + uri) or ()
    for session_id in subscribers:
        events = list(cache.get(_EVENTS + session_id) or [])
        events.append(
            {"jsonrpc": "2.0", "method": "notifications/resources/updated", "params": {"uri": uri}}
        )
        cache.set(_EVENTS + session_id, events[-100:], timeout=session_timeout())
    return len(subscribers)


def take_events(session_id: str) -> list[dict[str, Any]]:
    """The notifications queued for a session, removed from the queue."""
    cache = shared_cache()
    events: list[dict[str, Any]] = cache.get(_EVENTS + session_id) or []
    if events:
        cache.delete(_EVENTS + session_id)
    return events


def relay(
    listener: str,
    emit: Callable[[dict[str, Any]], None],
    closed: threading.Event,
    until: float,
    meta: dict[str, Any] | None = None,
) -> None:
    """Hand ``listener``'s queued notifications to ``emit`` as they come (each stamped
    with ``meta`` when given), until ``until`` (a time.monotonic() value) or ``closed``."""
    while time.monotonic() < until and not closed.is_set():
        for event in take_events(listener):
            if meta is not None:
                event["params"]["_meta"] = meta
            emit(event)
        time.sleep(0.1)


def model_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save/post_delete receiver: notify the URIs of ViewSets serving ``sender``."""
    if not enabled():
        return
    from .registry import registry

    lists, details = registry.derived("subscriptions:models", _resources_by_model).get(
        sender, ((), ())
    )
    for uri in lists:
        notify_resource_updated(uri)
    for uri, field in details:
        value = getattr(instance, field, None)
        if value is not None:
            notify_resource_updated(f"{uri}/{value}")


def _resources_by_model() -> dict[Any, tuple[list[str], list[tuple[str, str]]]]:
    """model → (its list resource URIs, (item URI prefix, lookup field) of its templates),
    for the ViewSets that serve it (built once per tool set)."""
    from .registry import _model_of, registry
    from .resources import SCHEME, resource_key, viewset_resources

    found: dict[Any, tuple[list[str], list[tuple[str, str]]]] = {}
    lists, details = viewset_resources(registry.tools())
    for tool in lists:
        entry = found.setdefault(_model_of(tool.viewset), ([], []))
        entry[0].append(f"{SCHEME}://{resource_key(tool)}")
    for tool in details:
        field = getattr(tool.viewset, "lookup_field", "pk") or "pk"
        entry = found.setdefault(_model_of(tool.viewset), ([], []))
        entry[1].append((f"{SCHEME}://{resource_key(tool)}", field))
    found.pop(None, None)
    return found
