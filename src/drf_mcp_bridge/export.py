"""The catalogue an MCP client sees (tools with schemas, resources, templates, prompts), as
JSON and as an OpenAPI 3.1 document, for review in pull requests and for other tools.

Built from the same registry and schemas the endpoint serves, as an anonymous caller with
per-user filtering off (the whole catalogue).
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from .catalogue.resources import resource_entries, template_entries
from .core.jsonrpc import dumps, request
from .core.types import LATEST_PROTOCOL_VERSION
from .protocol.server import MCPServer, server
from .transport.local import LocalEndpoint


def catalogue(mcp_server: MCPServer | None = None) -> dict[str, Any]:
    """Everything ``tools/list``, ``resources/list``, ``resources/templates/list`` and
    ``prompts/list`` would answer, in one object (no paging, no per-user filtering)."""
    target = mcp_server or server
    tools = target.registry.tools()
    return {
        "protocolVersion": LATEST_PROTOCOL_VERSION,
        "serverInfo": target.server_info(),
        "tools": copy.deepcopy(target.registry.tool_definitions()),
        "resources": resource_entries(tools),
        "resourceTemplates": template_entries(tools),
        "prompts": [p.definition() for p in target.all_prompts().values()],
    }


def catalogue_as(user: Any, protocol_version: str = "2025-11-25") -> dict[str, Any]:
    """What ``user`` is shown: the four list methods asked in-process as that user, so the
    endpoint's access gate decides exactly as for their client (``PER_USER_TOOLS``)."""

    endpoint = LocalEndpoint(user)
    endpoint.version = protocol_version  # as if initialized

    def listed(method: str, kind: str) -> list[Any]:
        items: list[Any] = []
        cursor = None
        for number in range(1, 1000):
            params: dict[str, Any] = {"cursor": cursor} if cursor else {}
            answer = json.loads(dumps(endpoint.answer(request(number, method, params))))
            result = (answer.get("result") if isinstance(answer, dict) else None) or {}
            items += result.get(kind, [])
            cursor = result.get("nextCursor")
            if not cursor:
                break
        return items

    return {
        "protocolVersion": LATEST_PROTOCOL_VERSION,
        "serverInfo": server.server_info(),
        "tools": listed("tools/list", "tools"),
        "resources": listed("resources/list", "resources"),
        "resourceTemplates": listed("resources/templates/list", "resourceTemplates"),
        "prompts": listed("prompts/list", "prompts"),
    }


def _component_name(tool: str, name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", f"{tool}.{name}")


def _move_defs(schema: Any, tool: str, components: dict[str, Any]) -> Any:
    """``schema`` with its ``$defs`` moved to ``components`` and ``#/$defs/X`` references
    rewritten (in OpenAPI a ``$ref`` is resolved against the whole document)."""
    if not isinstance(schema, dict):
        return schema
    schema = copy.deepcopy(schema)
    for name, definition in schema.pop("$defs", {}).items():
        components[_component_name(tool, name)] = definition

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                node = dict(
                    node, **{"$ref": "#/components/schemas/" + _component_name(tool, ref[8:])}
                )
            return {k: rewrite(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    for key in list(components):
        if key.startswith(f"{tool}."):
            components[key] = rewrite(components[key])
    return rewrite(schema)


def openapi(mcp_server: MCPServer | None = None, endpoint: str = "/mcp/") -> dict[str, Any]:
    """An OpenAPI 3.1 document with one operation per tool: ``POST /tools/{name}`` whose
    body is the tool's arguments and whose 200 answer is its structured result. The paths
    are a description, not routes: a client sends ``tools/call`` to ``endpoint``."""
    data = catalogue(mcp_server)
    components: dict[str, Any] = {}
    paths: dict[str, Any] = {}
    for tool in data["tools"]:
        name = tool["name"]
        operation: dict[str, Any] = {
            "operationId": name,
            "summary": tool.get("title") or name,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": _move_defs(tool["inputSchema"], name, components)
                    }
                },
            },
            "responses": {
                "200": {"description": "The tool's result (structuredContent)."},
            },
            "x-mcp-tool": name,
        }
        if tool.get("description"):
            operation["description"] = tool["description"]
        if tool.get("annotations"):
            operation["x-mcp-annotations"] = tool["annotations"]
        if tool.get("outputSchema"):
            operation["responses"]["200"]["content"] = {
                "application/json": {"schema": _move_defs(tool["outputSchema"], name, components)}
            }
        paths[f"/tools/{name}"] = {"post": operation}
    info = data["serverInfo"]
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": info.get("title") or info["name"],
            "version": info["version"],
            "description": (
                f"The MCP tools of this server. Each operation is a JSON-RPC tools/call "
                f"sent to the MCP endpoint {endpoint} (protocol {data['protocolVersion']}); "
                "the paths name the tools and are not routes."
            ),
        },
        "paths": paths,
        "x-mcp-resources": data["resources"],
        "x-mcp-resource-templates": data["resourceTemplates"],
        "x-mcp-prompts": data["prompts"],
    }
    if components:
        document["components"] = {"schemas": components}
    return document
