"""Opaque cursors and pages of the list methods (tools, resources, templates, prompts)."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from ..core.jsonrpc import JSONRPCError
from ..core.types import INVALID_PARAMS


def read_cursor(params: dict[str, Any], kind: str) -> int:
    """The offset an opaque cursor of ``kind`` stands for (0 without one)."""
    cursor = params.get("cursor")
    if cursor is None:
        return 0
    if not isinstance(cursor, str):
        raise JSONRPCError(INVALID_PARAMS, '"cursor" must be a string.')
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        if decoded["k"] != kind or not isinstance(decoded["o"], int) or decoded["o"] < 0:
            raise ValueError
        offset: int = decoded["o"]
    except (ValueError, KeyError, TypeError, UnicodeEncodeError, binascii.Error):
        raise JSONRPCError(
            INVALID_PARAMS, f"Invalid cursor: {cursor!r}. Use the nextCursor of a {kind} list."
        ) from None
    return offset


def make_cursor(kind: str, offset: int) -> str:
    raw = json.dumps({"k": kind, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def page_of(kind: str, items: list[Any], offset: int, size: Any) -> dict[str, Any]:
    """``{kind: items[offset:offset+size]}`` plus ``nextCursor`` when more remain."""
    if offset > len(items):
        raise JSONRPCError(INVALID_PARAMS, f"Invalid cursor: past the end of the {kind} list.")
    end = len(items) if not size else offset + int(size)
    page: dict[str, Any] = {kind: items[offset:end]}
    if end < len(items):
        page["nextCursor"] = make_cursor(kind, end)
    return page
