"""Protocol versions and eras: which methods each revision has, and the envelope a
2026-07-28 request must carry. Kept apart from dispatch, so that a new revision is a table
row and its rules here."""

from __future__ import annotations

from typing import Any

from ..conf.settings import mcp_settings
from ..core.jsonrpc import JSONRPCError, Message, error_response
from ..core.types import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    META_CLIENT_CAPABILITIES,
    META_PROTOCOL_VERSION,
    STATELESS_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
)

#: Methods of the handshake era (2025 revisions) and of 2026-07-28, which drops the
#: handshake, ping, logging/setLevel and the subscribe pair, and adds server/discover.
_COMMON_METHODS = frozenset(
    {
        "tools/list",
        "tools/call",
        "resources/list",
        "resources/templates/list",
        "resources/read",
        "prompts/list",
        "prompts/get",
        "completion/complete",
    }
)
_HANDSHAKE_ONLY = frozenset(
    {"initialize", "ping", "logging/setLevel", "resources/subscribe", "resources/unsubscribe"}
)
_STATELESS_ONLY = frozenset({"server/discover", "subscriptions/listen"})
#: The methods each protocol version has. A method added to ``MCPServer.methods`` that is
#: in none of them (an extension) is served in every version.
METHODS_BY_VERSION: dict[str, frozenset[str]] = {
    version: _COMMON_METHODS
    | (_STATELESS_ONLY if version in STATELESS_PROTOCOL_VERSIONS else _HANDSHAKE_ONLY)
    for version in SUPPORTED_PROTOCOL_VERSIONS
}
KNOWN_METHODS = _COMMON_METHODS | _HANDSHAKE_ONLY | _STATELESS_ONLY
#: 2026-07-28 results that carry cache hints (ttlMs, cacheScope).
CACHEABLE = frozenset(
    {
        "server/discover",
        "tools/list",
        "resources/list",
        "resources/templates/list",
        "prompts/list",
        "resources/read",
        # The Skills extension (served in every version; hints only in 2026-07-28).
        "skills/list",
        "skills/get",
    }
)


def check_envelope(params: dict[str, Any], version: str) -> None:
    """2026-07-28: every request names its version and the client's capabilities in
    ``params._meta`` (the transport checked that the version is ours)."""
    meta = params.get("_meta")
    if not isinstance(meta, dict):
        raise JSONRPCError(
            INVALID_PARAMS,
            f'params._meta must be an object with "{META_PROTOCOL_VERSION}" and '
            f'"{META_CLIENT_CAPABILITIES}" (protocol version {version}).',
        )
    missing = [k for k in (META_PROTOCOL_VERSION, META_CLIENT_CAPABILITIES) if k not in meta]
    if missing:
        raise JSONRPCError(INVALID_PARAMS, f"params._meta lacks {', '.join(missing)}.")
    if not isinstance(meta[META_CLIENT_CAPABILITIES], dict):
        raise JSONRPCError(INVALID_PARAMS, f"{META_CLIENT_CAPABILITIES} must be an object.")


def nesting_problem(value: Any) -> str | None:
    """Why a whole message is refused before anything reads it: nested deeper than
    twice ``MAX_ARGUMENT_DEPTH`` plus the envelope's levels (code that walks it, the cache's
    pickling among them, would run out of stack). None when fine."""
    limit = 2 * int(mcp_settings.MAX_ARGUMENT_DEPTH) + 16
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= limit:
                return f"The message is nested more than {limit} levels deep."
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return None


def batch_refusal(message: Message) -> dict[str, Any] | None:
    """The error answering a batch item that may not be batched, or None (2025-03-26:
    "The initialize request MUST NOT be part of a JSON-RPC batch")."""
    if message.method != "initialize":
        return None
    return error_response(
        message.id,
        JSONRPCError(INVALID_REQUEST, "initialize must not be part of a JSON-RPC batch."),
    )
