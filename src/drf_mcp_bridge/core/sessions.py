"""Optional MCP sessions (``SESSIONS = True``), safe across workers and against clients
that create them by the thousand.

The session id is **signed** (``django.core.signing``) and carries what the 2025
handshake fixed: the negotiated version, the names of the client's capabilities, the
user the session belongs to and when it began. Creating a session therefore writes
nothing anywhere, a flood of ``initialize`` requests cannot evict anyone's session, and
any worker can check an id without a cache read.

What a session changes later lives in Django's cache (``CACHE_ALIAS``) under a hashed
key, charged to the session's owner (:func:`drf_mcp_bridge.state.charge`): the level
set with ``logging/setLevel``, resource subscriptions, and the mark of a session ended
with DELETE. A session is bound to its owner: a request from another user (or an
anonymous one) naming it is answered as if it did not exist.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import Any

from django.core import signing

from ..conf.settings import mcp_settings
from . import state
from .state import shared_cache

__all__ = ["Session", "create", "delete", "load", "owner_of", "shared_cache"]

_SALT = "drf_mcp_bridge.session"
#: What a signed id can look like (base64url parts separated by colons), bounded: the
#: longest id create() can make is well under it (tests/test_shared_state.py checks).
_ID = re.compile(r"^[A-Za-z0-9_\-:.]{20,1024}$")
#: Capability names kept from initialize (anything else in the object is not needed):
#: at most this many, each of at most _NAME characters of _NAME_CHARS.
_MAX_CAPABILITIES = 16
_NAME = 32
_NAME_CHARS = re.compile(r"^[A-Za-z0-9_.\-/]+$")


def owner_of(user: Any) -> str:
    """Who a session belongs to: ``"<app_label.model>:<pk>"``, or "" for anonymous."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return f"{user._meta.label_lower}:{user.pk}"


class Session:
    """One live session: the signed facts, and its state in the cache."""

    def __init__(self, session_id: str, facts: dict[str, Any], data: dict[str, Any]) -> None:
        self.id = session_id
        self.protocol_version: str = str(facts["v"])
        #: ``{name: {}}`` for each capability the client declared in initialize.
        self.capabilities: dict[str, Any] = {str(n): {} for n in facts.get("c", ())}
        self.owner: str = str(facts.get("o", ""))
        self.started: int = int(facts.get("t", 0))
        self.data = data
        self._stored = bool(data)

    @property
    def key(self) -> str:
        return state.key("session", self.id)

    @property
    def log_level(self) -> str | None:
        level = self.data.get("log_level")
        return str(level) if level else None

    @property
    def subscriptions(self) -> dict[str, int]:
        """Subscribed URIs and the version of each that was last delivered."""
        found = self.data.get("subscriptions")
        return dict(found) if isinstance(found, dict) else {}

    def remaining(self) -> int:
        """Seconds until the session ends."""
        return max(1, self.started + int(mcp_settings.SESSION_TIMEOUT) - int(time.time()))

    def reload(self) -> None:
        found = shared_cache().get(self.key)
        self.data = dict(found) if isinstance(found, dict) else {}
        self._stored = bool(found)

    def save(self) -> None:
        """Write the state back (the first write is charged to the owner's budget)."""
        if not self._stored:
            state.charge(self.owner)
        shared_cache().set(self.key, self.data, timeout=self.remaining())
        self._stored = True


def create(protocol_version: str, capabilities: Any, owner: str) -> Session:
    """A new session for ``owner`` (no cache write: the facts are in the signed id)."""
    declared = capabilities if isinstance(capabilities, dict) else {}
    names = sorted(name for name in declared if len(name) <= _NAME and _NAME_CHARS.match(name))[
        :_MAX_CAPABILITIES
    ]
    facts = {
        "v": protocol_version,
        "c": names,
        "o": owner,
        "t": int(time.time()),
        "n": secrets.token_urlsafe(9),
    }
    session_id = signing.dumps(facts, salt=_SALT, compress=True)
    return Session(session_id, facts, {})


def _facts(session_id: str) -> dict[str, Any] | None:
    if not isinstance(session_id, str) or not _ID.match(session_id):
        return None
    try:
        facts = signing.loads(session_id, salt=_SALT, max_age=int(mcp_settings.SESSION_TIMEOUT))
    except (signing.BadSignature, ValueError):
        return None
    return facts if isinstance(facts, dict) and "v" in facts else None


def load(session_id: str, owner: str) -> Session | None:
    """The live session ``session_id`` if it belongs to ``owner``, else None (unknown,
    forged, expired, ended, or someone else's: all look the same to the client)."""
    facts = _facts(session_id)
    if facts is None or str(facts.get("o", "")) != owner:
        return None
    session = Session(session_id, facts, {})
    session.reload()
    if session.data.get("ended"):
        return None
    return session


def delete(session_id: str, owner: str) -> bool:
    """End a session; False when there was none for ``owner``. May raise
    :class:`~drf_mcp_bridge.state.StateRefused` (the mark is a cache entry)."""
    session = load(session_id, owner)
    if session is None:
        return False
    with state.locked(session.key):
        session.reload()
        session.data = {"ended": True}
        session.save()
    return True
