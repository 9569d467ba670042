"""JSON-RPC 2.0 codec: classify incoming messages and build responses.

Kept apart from MCP semantics: this module knows what a request, a notification and a
response are, nothing about tools.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from ..conf.settings import mcp_settings
from .types import (
    INVALID_PARAMS,
    INVALID_REQUEST,
    JSONRPC_VERSION,
    JSONRPCErrorObject,
    RequestId,
)


class JSONRPCError(Exception):
    """An error answered as a JSON-RPC error object."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data

    def to_object(self) -> JSONRPCErrorObject:
        error: JSONRPCErrorObject = {"code": self.code, "message": self.message}
        if self.data is not None:
            error["data"] = self.data
        return error


@dataclass
class Message:
    """One validated incoming message."""

    kind: str  # "request", "notification" or "response"
    method: str | None = None
    id: RequestId | None = None
    params: dict[str, Any] = field(default_factory=dict)
    #: The whole message, for responses (the reply to a server-to-client request).
    payload: dict[str, Any] = field(default_factory=dict)


def _valid_id(value: Any) -> bool:
    # MCP narrows JSON-RPC: "the ID MUST NOT be null" and is a string or an integer.
    return isinstance(value, (str, int)) and not isinstance(value, bool)


def parse_message(obj: Any) -> Message:
    """Classify one decoded JSON value, or raise :class:`JSONRPCError` (-32600).

    The error's ``data`` never echoes the input back: the message says what to change.
    """
    if not isinstance(obj, dict):
        raise JSONRPCError(
            INVALID_REQUEST,
            f"Invalid Request: a JSON-RPC message must be a JSON object, got {_json_type(obj)}.",
        )
    if obj.get("jsonrpc") != JSONRPC_VERSION:
        raise JSONRPCError(INVALID_REQUEST, 'Invalid Request: "jsonrpc" must be exactly "2.0".')
    if "method" in obj:
        method = obj["method"]
        if not isinstance(method, str) or not method:
            raise JSONRPCError(INVALID_REQUEST, 'Invalid Request: "method" must be a string.')
        params = obj.get("params", {})
        if params is None:
            params = {}
        if not isinstance(params, dict):
            # MCP params are always by name; a positional array is not a valid MCP request.
            raise JSONRPCError(
                INVALID_REQUEST, 'Invalid Request: "params" must be an object when present.'
            )
        if "id" not in obj:
            return Message("notification", method=method, params=params)
        if not _valid_id(obj["id"]):
            raise JSONRPCError(
                INVALID_REQUEST, 'Invalid Request: "id" must be a string or an integer.'
            )
        return Message("request", method=method, id=obj["id"], params=params)
    # A response to a server-to-client request (elicitation, sampling).
    if ("result" in obj or "error" in obj) and (
        "id" in obj and (obj["id"] is None or _valid_id(obj["id"]))
    ):
        return Message("response", id=obj.get("id"), payload=obj)
    raise JSONRPCError(
        INVALID_REQUEST,
        'Invalid Request: expected a request ("method" and "id"), a notification '
        '("method" without "id") or a response ("result" or "error" with "id").',
    )


def request_id_of(obj: Any) -> RequestId | None:
    """The id to answer an invalid message with, when one can be read from it."""
    if isinstance(obj, dict) and _valid_id(obj.get("id")):
        value: RequestId = obj["id"]
        return value
    return None


def result_response(request_id: RequestId | None, result: Any) -> dict[str, Any]:
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "result": result}


def error_response(request_id: RequestId | None, error: JSONRPCError) -> dict[str, Any]:
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "error": error.to_object()}


def notification(method: str, params: dict[str, Any]) -> dict[str, Any]:
    """A JSON-RPC notification (no id: nothing answers it)."""
    return {"jsonrpc": JSONRPC_VERSION, "method": method, "params": params}


def request(request_id: RequestId, method: str, params: dict[str, Any]) -> dict[str, Any]:
    """A JSON-RPC request: the server's own on a stream (elicitation, sampling), and an
    in-process client's (mcp_call, mcp_export)."""
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "method": method, "params": params}


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "null"
    return type(value).__name__


class PreEncoded:
    """A value already encoded as JSON text, spliced into :func:`dumps` output unchanged.

    The ``tools/list`` result is the same for every request; encoding it once saves most
    of the work of answering it.
    """

    __slots__ = ("text",)

    def __init__(self, value: Any) -> None:
        self.text = dumps(value)

    @classmethod
    def of_text(cls, text: str) -> PreEncoded:
        """``text``, which already is JSON, to be spliced as it is."""
        made = cls.__new__(cls)
        made.text = text
        return made

    @classmethod
    def array(cls, items: list[PreEncoded]) -> PreEncoded:
        """A JSON array of already encoded values, joined without encoding them again."""
        return cls.of_text("[" + ",".join(item.text for item in items) + "]")


class EncodedObject(dict[str, Any]):
    """A JSON object parsed from ``text`` that knows it: a tool result's
    ``structuredContent`` parsed from the view's rendered body. :func:`dumps` splices that
    text into the answer instead of encoding the object again. A change to the object's
    own keys forgets the text (then it is encoded as any dict); a change inside a nested
    value is not seen, so whoever changes one builds a new object instead.
    """

    __slots__ = ("text",)

    def __init__(self, value: dict[str, Any], text: str | None) -> None:
        super().__init__(value)
        self.text = text

    def _changed(self) -> None:
        self.text = None

    def __setitem__(self, key: str, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changed()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> EncodedObject:  # type: ignore[override,misc]
        self._changed()
        super().__ior__(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:
        self._changed()
        return super().pop(*args)

    def popitem(self) -> tuple[str, Any]:
        self._changed()
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._changed()
        return super().setdefault(key, default)

    def clear(self) -> None:
        self._changed()
        super().clear()

    def __reduce__(self) -> Any:  # pickled (the cache, tasks) as the plain dict it is
        return (dict, (dict(self),))


def _spliced_structured(payload: Any) -> Any:
    """``payload`` with a result's ``structuredContent`` that knows its JSON text
    (:class:`EncodedObject`) replaced by that text, pre-encoded."""
    result = payload.get("result") if isinstance(payload, dict) else None
    if not isinstance(result, dict):
        return payload
    structured = result.get("structuredContent")
    if not isinstance(structured, EncodedObject) or structured.text is None:
        return payload
    raw = PreEncoded.of_text(structured.text)
    return {**payload, "result": {**result, "structuredContent": raw}}


_MARK = "\u0000pre-" + secrets.token_hex(8) + "-"


def dumps(payload: Any) -> str:
    """Compact JSON, with :class:`PreEncoded` values spliced in as they are (and a
    result's :class:`EncodedObject` structured content as its own text)."""
    payload = _spliced_structured(payload)
    spliced: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, PreEncoded):
            spliced.append(value.text)
            return f"{_MARK}{len(spliced) - 1}"
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, default=default)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            # A lone surrogate ("\ud800" in a client's id or URI that is echoed back) has
            # no UTF-8 form: escaped, as JSON allows, instead of failing the whole answer.
            spliced.clear()
            text = json.dumps(payload, separators=(",", ":"), ensure_ascii=True, default=default)
    for index, raw in enumerate(spliced):
        text = text.replace(json.dumps(f"{_MARK}{index}", ensure_ascii=False), raw, 1)
    return text


def checked_uri(uri: Any, what: str) -> str:
    """``uri`` if it is a non-empty string within ``MAX_URI_LENGTH``, else -32602."""
    if not isinstance(uri, str) or not uri:
        raise JSONRPCError(INVALID_PARAMS, f'{what} needs "uri" (a string) in params.')
    limit = int(mcp_settings.MAX_URI_LENGTH)
    if len(uri) > limit:
        raise JSONRPCError(
            INVALID_PARAMS,
            f"The URI is {len(uri)} characters long; the limit is {limit} "
            "(REST_FRAMEWORK_MCP['MAX_URI_LENGTH']).",
        )
    return uri
