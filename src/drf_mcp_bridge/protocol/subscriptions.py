"""Resource subscriptions: ``resources/subscribe`` (2025, with sessions) and
``subscriptions/listen`` (2026-07-28, ``SUBSCRIPTIONS``).

Each watched URI has a **version counter** in Django's cache. A change bumps it: saving or
deleting a model instance that a registered ViewSet serves (``drf://<resource>`` and
``drf://<resource>/<lookup>``), after the transaction commits, or a call of
:func:`notify_resource_updated`. A bump is one atomic ``incr`` whatever the number of
subscribers, and nothing at all for a URI nobody watches (the counter exists only while
someone does). Listeners (a session's GET stream, a listen stream) keep the version they
last delivered and poll the counters of their URIs; a higher one is sent as
``notifications/resources/updated`` — if the listener may still read the resource.

No list of subscribers exists, so there is no read-modify-write of shared lists: two
subscribers of one URI never race. A session's own subscriptions are changed under a
cache lock. Every key is hashed (see :mod:`drf_mcp_bridge.state`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from ..catalogue.registrations import _model_of
from ..catalogue.registry import registry
from ..catalogue.resources import SCHEME, resource_key, viewset_resources
from ..conf.settings import mcp_settings
from ..core import state
from ..core.jsonrpc import JSONRPCError, notification
from ..core.sessions import Session
from ..core.state import shared_cache
from ..core.types import INVALID_PARAMS


def deadline(setting: str) -> float:
    """When a long-lived stream whose lifetime is the setting ``setting`` (seconds:
    ``GET_STREAM_SECONDS``, ``LISTEN_STREAM_SECONDS``) ends, as a time.monotonic() value."""
    return time.monotonic() + float(getattr(mcp_settings, setting))


class TooManySubscriptions(Exception):
    """A session or listen stream would follow more than ``MAX_SUBSCRIPTIONS`` URIs."""


def enabled() -> bool:
    """Whether anything can subscribe (2025 sessions or 2026 listen streams)."""
    return bool(mcp_settings.SESSIONS or mcp_settings.SUBSCRIPTIONS)


def listen_items(value: Any, field: str, what: str) -> list[str]:
    """``notifications[field]`` of a subscriptions/listen request: a list of strings,
    at most ``MAX_SUBSCRIPTIONS`` of them (``what`` names them in the error), else -32602."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise JSONRPCError(INVALID_PARAMS, f'"{field}" must be a list of {what}.')
    limit = int(mcp_settings.MAX_SUBSCRIPTIONS)
    if len(value) > limit:
        raise JSONRPCError(
            INVALID_PARAMS,
            f"A listen stream follows at most {limit} {what} "
            "(REST_FRAMEWORK_MCP['MAX_SUBSCRIPTIONS']); split them over streams.",
        )
    return value


def version_key(uri: str) -> str:
    return state.key("uri", uri)


def watch(uris: list[str], owner: str) -> dict[str, int]:
    """Make sure each URI has a counter (new counters are charged to ``owner``), and
    return the current version of each: the baseline a listener starts from."""
    cache = shared_cache()
    lifetime = int(mcp_settings.SESSION_TIMEOUT)
    found = cache.get_many([version_key(u) for u in uris])
    missing = [u for u in uris if version_key(u) not in found]
    if missing:
        state.charge(owner, len(missing))  # before anything is stored: refused, nothing is
    for uri in missing:
        cache.add(version_key(uri), 0, timeout=lifetime)
    found = cache.get_many([version_key(u) for u in uris])
    return {u: int(found.get(version_key(u)) or 0) for u in uris}


def set_subscribed(session: Session, uri: str, subscribed: bool) -> None:
    """Subscribe ``session`` to ``uri`` (or end it). Raises
    :class:`TooManySubscriptions` past ``MAX_SUBSCRIPTIONS``."""
    with state.locked(session.key):
        session.reload()
        current = session.subscriptions
        if subscribed == (uri in current):
            return
        if subscribed:
            if len(current) >= int(mcp_settings.MAX_SUBSCRIPTIONS):
                raise TooManySubscriptions(
                    f"This session follows {len(current)} resources, the most allowed "
                    "(REST_FRAMEWORK_MCP['MAX_SUBSCRIPTIONS']); unsubscribe from some first."
                )
            current[uri] = watch([uri], session.owner)[uri]
        else:
            del current[uri]
        session.data["subscriptions"] = current
        session.save()


def notify_resource_updated(uri: str) -> int:
    """Tell the listeners of ``uri`` that it changed (one ``incr``); 1 when someone
    watches it, else 0."""
    if not enabled():
        return 0
    try:
        shared_cache().incr(version_key(uri))
    except ValueError:  # nobody watches it: no counter
        return 0
    return 1


class Listener:
    """What a stream follows: URIs and the version of each it last delivered."""

    def watched(self) -> dict[str, int]:
        raise NotImplementedError

    def delivered(self, versions: dict[str, int]) -> None:
        raise NotImplementedError


class FixedListener(Listener):
    """A ``subscriptions/listen`` stream: the URIs of its request, baselines taken before
    the acknowledgment (so an update right after it is never lost)."""

    def __init__(self, baseline: dict[str, int]) -> None:
        self.seen = dict(baseline)

    def watched(self) -> dict[str, int]:
        return dict(self.seen)

    def delivered(self, versions: dict[str, int]) -> None:
        self.seen.update(versions)


class SessionListener(Listener):
    """A session's GET stream: the session's subscriptions, read anew each round (another
    request may subscribe meanwhile), delivered versions written back to the session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def watched(self) -> dict[str, int]:
        self.session.reload()
        if self.session.data.get("ended"):
            return {}
        return self.session.subscriptions

    def delivered(self, versions: dict[str, int]) -> None:
        with state.locked(self.session.key):
            self.session.reload()
            current = self.session.subscriptions
            for uri, version in versions.items():
                if uri in current:
                    current[uri] = max(current[uri], version)
            self.session.data["subscriptions"] = current
            self.session.save()


def relay(
    listener: Listener,
    emit: Callable[[dict[str, Any]], None],
    closed: threading.Event,
    until: float,
    may_read: Callable[[str], bool],
    meta: dict[str, Any] | None = None,
    renderers: dict[str, Callable[[], dict[str, Any] | None]] | None = None,
) -> None:
    """Send ``listener`` a ``notifications/resources/updated`` for each of its URIs whose
    counter passed the version it last delivered and that ``may_read`` still allows (each
    stamped with ``meta`` when given), until ``until`` (a time.monotonic() value) or
    ``closed``. A counter in ``renderers`` sends what its function renders instead (an
    extension's notification; None: nothing)."""
    cache = shared_cache()
    while time.monotonic() < until and not closed.is_set():
        watched = listener.watched()
        if watched:
            found = cache.get_many([version_key(u) for u in watched])
            changed: dict[str, int] = {}
            for uri, seen in watched.items():
                version = found.get(version_key(uri))
                if version is None:  # evicted or expired: count again from zero
                    cache.add(version_key(uri), 0, timeout=int(mcp_settings.SESSION_TIMEOUT))
                    version = 0
                if int(version) != seen:
                    changed[uri] = int(version)
            for uri, version in changed.items():
                render = (renderers or {}).get(uri)
                if render is not None:
                    if version > watched[uri]:
                        message = render()
                        if message is not None:
                            if meta is not None:
                                message["params"] = {**message["params"], "_meta": meta}
                            emit(message)
                    continue
                if version > watched[uri] and may_read(uri):
                    params: dict[str, Any] = {"uri": uri}
                    if meta is not None:
                        params["_meta"] = meta
                    emit(notification("notifications/resources/updated", params))
            if changed:
                listener.delivered(changed)
        # Seconds between two looks at the counters of the listener's URIs.
        closed.wait(float(mcp_settings.SUBSCRIPTION_POLL_SECONDS))


def model_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_save/post_delete receiver: after the writer's transaction commits, bump the
    URIs of the ViewSets serving ``sender`` (rolled-back writes notify nobody)."""
    if not enabled():
        return

    lists, details = registry.derived("subscriptions:models", _resources_by_model).get(
        sender, ((), ())
    )
    uris = list(lists)
    for uri, field in details:
        value = getattr(instance, field, None)
        if value is not None:
            uris.append(f"{uri}/{value}")
    if not uris:
        return
    using = kwargs.get("using")

    def bump() -> None:
        for uri in uris:
            notify_resource_updated(uri)

    transaction.on_commit(bump, using=using)


def _resources_by_model() -> dict[Any, tuple[list[str], list[tuple[str, str]]]]:
    """model → (its list resource URIs, (item URI prefix, lookup field) of its templates),
    for the ViewSets that serve it (built once per tool set)."""
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
