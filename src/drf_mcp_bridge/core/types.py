"""Wire types of MCP and JSON-RPC 2.0, and the protocol versions this server speaks.

Names follow the MCP specification (``inputSchema``, ``structuredContent``...) so that a
dictionary built from these types can be serialised to the wire unchanged.
"""

from __future__ import annotations

import sys
from typing import Any, TypedDict

if sys.version_info >= (3, 11):
    from typing import NotRequired
else:  # pragma: no cover - Python 3.10
    from typing_extensions import NotRequired

JSONRPC_VERSION = "2.0"

#: Every protocol revision this server speaks, newest first. The one list: every other
#: module asks it (or the two below) instead of repeating version strings.
SUPPORTED_PROTOCOL_VERSIONS: tuple[str, ...] = (
    "2026-07-28",
    "2025-11-25",
    "2025-06-18",
    "2025-03-26",
)
#: Revisions without the initialize handshake: every request carries its version and the
#: client's capabilities in ``params._meta`` (2026-07-28 "stateless" MCP).
STATELESS_PROTOCOL_VERSIONS: frozenset[str] = frozenset({"2026-07-28"})
#: Revisions negotiated by ``initialize``, newest first.
HANDSHAKE_PROTOCOL_VERSIONS: tuple[str, ...] = tuple(
    v for v in SUPPORTED_PROTOCOL_VERSIONS if v not in STATELESS_PROTOCOL_VERSIONS
)
#: What ``initialize`` offers a client asking for a version we do not speak.
LATEST_PROTOCOL_VERSION = HANDSHAKE_PROTOCOL_VERSIONS[0]
#: Streamable HTTP (2025-06-18 and later): "If the server does not receive an
#: MCP-Protocol-Version header ... the server SHOULD assume protocol version 2025-03-26".
DEFAULT_HTTP_PROTOCOL_VERSION = "2025-03-26"
#: JSON-RPC batches were removed in 2025-06-18; only 2025-03-26 serves them.
BATCH_PROTOCOL_VERSIONS = frozenset({"2025-03-26"})

#: Reserved ``_meta`` keys of 2026-07-28 requests and results.
META_PROTOCOL_VERSION = "io.modelcontextprotocol/protocolVersion"
META_CLIENT_CAPABILITIES = "io.modelcontextprotocol/clientCapabilities"
META_CLIENT_INFO = "io.modelcontextprotocol/clientInfo"
META_LOG_LEVEL = "io.modelcontextprotocol/logLevel"
META_SERVER_INFO = "io.modelcontextprotocol/serverInfo"
META_SUBSCRIPTION_ID = "io.modelcontextprotocol/subscriptionId"

# JSON-RPC 2.0 error codes (https://www.jsonrpc.org/specification#error_object).
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
#: 2026-07-28: the HTTP headers disagree with the body (MCP-Protocol-Version, Mcp-Method,
#: Mcp-Name).
HEADER_MISMATCH = -32020
#: 2026-07-28: handling the request needs a client capability it did not declare;
#: ``data.requiredCapabilities`` names it.
MISSING_REQUIRED_CLIENT_CAPABILITY = -32021
#: 2026-07-28: the request's protocol version is not supported; ``data`` lists ours.
UNSUPPORTED_PROTOCOL_VERSION = -32022
#: 2025: a resource URI that names nothing (2026-07-28 uses INVALID_PARAMS instead).
RESOURCE_NOT_FOUND = -32002
#: A request the client cancelled, answered where HTTP needs an answer.
REQUEST_CANCELLED = -32800

JSONValue = Any
RequestId = str | int


class JSONRPCErrorObject(TypedDict):
    code: int
    message: str
    data: NotRequired[Any]


class ToolAnnotations(TypedDict, total=False):
    title: str
    readOnlyHint: bool
    destructiveHint: bool
    idempotentHint: bool
    openWorldHint: bool


class CallToolResult(TypedDict):
    content: list[dict[str, Any]]
    structuredContent: NotRequired[dict[str, Any]]
    isError: NotRequired[bool]
    _meta: NotRequired[dict[str, Any]]
