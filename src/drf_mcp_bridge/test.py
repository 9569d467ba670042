"""``MCPClient``: call the MCP endpoint from your tests, like DRF's ``APIClient``."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from .core import params as param_headers
from .core.types import (
    LATEST_PROTOCOL_VERSION,
    META_CLIENT_CAPABILITIES,
    META_PROTOCOL_VERSION,
    METHOD_NOT_FOUND,
    STATELESS_PROTOCOL_VERSIONS,
)
from .transport.rules import routing_headers
from .transport.streaming import event_data


@dataclass
class ToolResult:
    """A ``tools/call`` result, unpacked."""

    raw: dict[str, Any]
    is_error: bool = False
    structured: dict[str, Any] | None = None
    content: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All text blocks joined by newlines."""
        return "\n".join(b.get("text", "") for b in self.content if b.get("type") == "text")

    def json(self) -> Any:
        """The first text block parsed as JSON (the body of a successful call)."""
        for block in self.content:
            if block.get("type") == "text":
                try:
                    return json.loads(block["text"])
                except ValueError:
                    continue
        raise ValueError("No text block of this result holds JSON.")


class MCPError(AssertionError):
    """A JSON-RPC error answered to a request the test expected to succeed."""

    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.code = error.get("code")
        self.message = error.get("message")
        self.data = error.get("data")


class MCPClient(APIClient):
    """An ``APIClient`` that speaks MCP to the endpoint.

    ``credentials()``, ``force_authenticate()``, ``login()`` and ``force_login()`` work as
    on ``APIClient`` and apply to every tool call.

    With ``protocol_version="2026-07-28"`` it speaks that revision as a Streamable HTTP
    client must: every request carries ``_meta`` (the version, the client's capabilities),
    and the ``Mcp-Method`` / ``Mcp-Name`` headers, and a ``tools/call`` the ``Mcp-Param-*``
    headers of the tool's ``x-mcp-header`` arguments (the tool's schema comes from
    ``tools/list``, asked once when the client has not listed the tools yet).
    """

    def __init__(
        self,
        *args: Any,
        mcp_path: str | None = None,
        protocol_version: str = LATEST_PROTOCOL_VERSION,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._mcp_path = mcp_path
        self.protocol_version = protocol_version
        self._ids = itertools.count(1)
        #: Notifications (progress, log messages) the last streamed answer carried.
        self.notifications: list[dict[str, Any]] = []
        #: Answers the server's requests during a call (elicitation/create,
        #: sampling/createMessage): takes the request, returns its result. Unset: the
        #: client answers "method not found", as a client without the capability would.
        self.on_server_request: Callable[[dict[str, Any]], dict[str, Any]] | None = None
        #: The input schemas of the tools listed so far (for Mcp-Param-* headers).
        self.input_schemas: dict[str, Any] = {}

    @property
    def mcp_path(self) -> str:
        if self._mcp_path is None:
            try:
                self._mcp_path = reverse("drf_mcp_bridge:endpoint")
            except NoReverseMatch:
                self._mcp_path = "/mcp/"
        return self._mcp_path

    def mcp_post(self, payload: Any, **extra: Any) -> Any:
        """POST any JSON payload to the endpoint; returns the HTTP response."""
        headers = {"HTTP_ACCEPT": "application/json, text/event-stream"}
        if self.protocol_version:
            headers["HTTP_MCP_PROTOCOL_VERSION"] = self.protocol_version
        headers.update(self.routing_meta(payload))
        headers.update(extra)
        post: Any = self.post
        return post(
            self.mcp_path,
            data=json.dumps(payload),
            content_type="application/json",
            **headers,
        )

    @property
    def stateless(self) -> bool:
        return self.protocol_version in STATELESS_PROTOCOL_VERSIONS

    def routing_meta(self, payload: Any) -> dict[str, str]:
        """The 2026-07-28 routing headers of ``payload`` as test-client keywords: Mcp-Method,
        Mcp-Name and, for a tools/call, the Mcp-Param-* headers of its tool."""
        if not self.stateless or not isinstance(payload, dict):
            return {}
        headers = routing_headers(payload)
        params = payload.get("params")
        if payload.get("method") == "tools/call" and isinstance(params, dict):
            name = params.get("name")
            if isinstance(name, str) and name not in self.input_schemas:
                self.tools_list()
            schema = self.input_schemas.get(name) if isinstance(name, str) else None
            arguments = params.get("arguments")
            for path, header in param_headers.annotated(schema):
                value: Any = arguments
                for key in path:
                    value = value.get(key) if isinstance(value, dict) else None
                encoded = param_headers.encode(value)
                if encoded is not None:
                    headers[param_headers.HEADER_PREFIX + str(header)] = encoded
        return {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}

    def request_mcp(
        self, method: str, params: dict[str, Any] | None = None, **extra: Any
    ) -> dict[str, Any]:
        """Send one JSON-RPC request; return its ``result`` or raise :class:`MCPError`.
        ``extra`` goes to the test client (``secure=True``, ``HTTP_...`` headers)."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": next(self._ids), "method": method}
        if self.stateless:
            meta = {META_PROTOCOL_VERSION: self.protocol_version, META_CLIENT_CAPABILITIES: {}}
            params = {**(params or {}), "_meta": {**meta, **((params or {}).get("_meta") or {})}}
        if params is not None:
            message["params"] = params
        response = self.mcp_post(message, **extra)
        body = self._read_stream(response, extra) if response.streaming else response.json()
        if "error" in body:
            raise MCPError(body["error"])
        result: dict[str, Any] = body["result"]
        return result

    def _read_stream(self, response: Any, extra: dict[str, Any]) -> dict[str, Any]:
        """The response at the end of an SSE answer; notifications are kept in
        :attr:`notifications`, server requests answered with :attr:`on_server_request`."""
        self.notifications = []
        for data in event_data(response.streaming_content):
            message = json.loads(data)
            if "method" in message and "id" in message:
                handler = self.on_server_request
                reply: dict[str, Any] = (
                    {"result": handler(message)}
                    if handler is not None
                    else {
                        "error": {"code": METHOD_NOT_FOUND, "message": "No handler in MCPClient."}
                    }
                )
                self.mcp_post({"jsonrpc": "2.0", "id": message["id"], **reply}, **extra)
            elif "method" in message:
                self.notifications.append(message)
            else:
                found: dict[str, Any] = message
                return found
        raise AssertionError("The SSE answer ended without a response (was it cancelled?).")

    def initialize(self, protocol_version: str | None = None) -> dict[str, Any]:
        return self.request_mcp(
            "initialize",
            {
                "protocolVersion": protocol_version or self.protocol_version,
                "capabilities": {},
                "clientInfo": {"name": "drf_mcp_bridge.test.MCPClient", "version": "1"},
            },
        )

    def tools_list(self) -> list[dict[str, Any]]:
        tools: list[dict[str, Any]] = self.request_mcp("tools/list")["tools"]
        self.input_schemas.update((t["name"], t.get("inputSchema")) for t in tools)
        return tools

    def tool_names(self) -> list[str]:
        return [tool["name"] for tool in self.tools_list()]

    def call_tool(
        self, name: str, arguments: dict[str, Any] | None = None, **extra: Any
    ) -> ToolResult:
        """Call a tool; ``extra`` goes to the test client as in :meth:`request_mcp`."""
        params = {"name": name, "arguments": arguments or {}}
        result = self.request_mcp("tools/call", params, **extra)
        return ToolResult(
            raw=result,
            is_error=bool(result.get("isError", False)),
            structured=result.get("structuredContent"),
            content=list(result.get("content", [])),
        )
