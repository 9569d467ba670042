"""Optional MCP sessions (``SESSIONS = True``), kept in Django's cache so that any worker
can serve any request of a session.

A session remembers what the 2025 handshake told the server and later requests do not
repeat: the negotiated version, the client's capabilities, the log level set with
``logging/setLevel`` and resource subscriptions. Without sessions the server is
stateless and answers every request on its own.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.cache import caches

from .settings import mcp_settings

_PREFIX = "mcp:session:"


class Session(dict[str, Any]):
    """One session's data (a dict), saved back with :meth:`save`."""

    def __init__(self, session_id: str, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.id = session_id

    def save(self) -> None:
        shared_cache().set(_PREFIX + self.id, dict(self), timeout=session_timeout())


def shared_cache() -> Any:
    """The cache (``CACHE_ALIAS``) for what every worker must see: sessions,
    subscriptions, cancellations and replies to server requests."""
    return caches[mcp_settings.CACHE_ALIAS]


def session_timeout() -> int:
    return int(mcp_settings.SESSION_TIMEOUT)


def create(protocol_version: str, capabilities: Any) -> Session:
    session = Session(
        secrets.token_urlsafe(24),
        {
            "protocol_version": protocol_version,
            "capabilities": capabilities if isinstance(capabilities, dict) else {},
            "log_level": None,
            "subscriptions": [],
        },
    )
    session.save()
    return session


def load(session_id: str) -> Session | None:
    """The live session ``session_id`` (its lifetime renewed), or None."""
    if not session_id or len(session_id) > 200 or not session_id.isascii():
        return None
    data = shared_cache().get(_PREFIX + session_id)
    if not isinstance(data, dict):
        return None
    session = Session(session_id, data)
    shared_cache().touch(_PREFIX + session_id, timeout=session_timeout())
    return session


def delete(session_id: str) -> bool:
    """End a session; False when there was none."""
    return bool(shared_cache().delete(_PREFIX + session_id))
