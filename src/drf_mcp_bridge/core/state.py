"""The little state the endpoint keeps in Django's cache (``CACHE_ALIAS``), kept safe to
share with clients nobody trusts.

Three rules hold for every entry:

* **Keys never contain a client's string.** Request ids, reply ids, session ids and URIs
  are hashed into fixed-length keys (:func:`key`), so no client can reach memcached's
  250-byte / no-space key rules, nor choose which entries its keys collide with.
* **Every entry has an owner and a budget.** Entries a client causes (a session's log
  level, its subscriptions, an ended-session mark) are charged to the caller who owns
  them (:func:`charge`): a user, or all anonymous callers together. Past
  ``STATE_WRITE_LIMIT`` new entries in one hour the caller is refused, and no entry lives
  longer than ``SESSION_TIMEOUT``, so the cache holds a bounded number of entries per
  owner whatever a client sends.
* **Read-modify-write happens under a lock** (:func:`locked`), built on ``cache.add``,
  which is atomic on every backend Django ships (LocMem, memcached, Redis, database).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import caches

from ..conf.settings import mcp_settings

#: Every key starts with this, so the endpoint's entries are easy to find and count.
PREFIX = "mcp:"
#: Seconds of one budget window of :func:`charge`.
WINDOW = 3600


class StateRefused(Exception):
    """The caller has used up its budget of cache entries (see :func:`charge`)."""


def shared_cache() -> Any:
    """The cache (``CACHE_ALIAS``) for what every worker must see: sessions' state,
    subscriptions, calls in flight, cancellations and replies to server requests."""
    return caches[mcp_settings.CACHE_ALIAS]


def digest(value: Any) -> str:
    """A fixed-length stand-in for a client-chosen value (any type, any length)."""
    text = f"{type(value).__name__}:{value}"
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


def key(kind: str, *parts: Any) -> str:
    """The cache key of an entry of ``kind`` for ``parts`` (hashed: see the module doc)."""
    if not parts:
        return f"{PREFIX}{kind}"
    return f"{PREFIX}{kind}:{digest('|'.join(str(p) for p in parts))}"


def timeout() -> int:
    """How long the endpoint's entries live: ``SESSION_TIMEOUT`` seconds."""
    return int(mcp_settings.SESSION_TIMEOUT)


def charge(owner: str, entries: int = 1) -> None:
    """Count ``entries`` new cache entries against ``owner`` ("" for anonymous callers,
    who share one budget); :class:`StateRefused` past ``STATE_WRITE_LIMIT`` in the
    current hour. An entry lives at most ``SESSION_TIMEOUT``, so at most
    ``STATE_WRITE_LIMIT * (SESSION_TIMEOUT / 3600 + 1)`` of an owner's entries exist."""
    limit = int(mcp_settings.STATE_WRITE_LIMIT)
    window = int(time.time()) // WINDOW
    counter = key("budget", owner, window)
    cache = shared_cache()
    cache.add(counter, 0, timeout=2 * WINDOW)
    try:
        used = int(cache.incr(counter, entries))
    except ValueError:  # evicted between add and incr: count from here
        cache.set(counter, entries, timeout=2 * WINDOW)
        used = entries
    if used > limit:
        raise StateRefused(
            "Too many sessions or subscriptions from this caller right now "
            f"(REST_FRAMEWORK_MCP['STATE_WRITE_LIMIT'] = {limit} per "
            f"hour{'; sign in for a budget of your own' if not owner else ''})."
        )


@contextmanager
def locked(name: str, wait: float = 2.0) -> Iterator[None]:
    """Hold the cache lock ``name`` (a key from :func:`key`) while the block runs. If it
    cannot be had within ``wait`` seconds (a holder died), the block runs anyway: the lock
    expires after 5 s, and losing one update is better than refusing the request."""
    cache = shared_cache()
    lock = name + ":lock"
    deadline = time.monotonic() + wait
    acquired = cache.add(lock, 1, timeout=5)
    while not acquired and time.monotonic() < deadline:
        time.sleep(0.005)
        acquired = cache.add(lock, 1, timeout=5)
    try:
        yield
    finally:
        if acquired:
            cache.delete(lock)
