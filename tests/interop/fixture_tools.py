"""Tools, resources and prompts the official conformance suite expects by name (its
fixture server).

They use the public ``@mcp_tool``, ``@mcp_resource`` and ``@mcp_prompt`` APIs, the same
ones users write their own with.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import time
import wave
import zlib
from typing import Any

from rest_framework_mcp import CallContext, ToolError, mcp_prompt, mcp_resource, mcp_tool
from rest_framework_mcp.invocation.calls import CallCancelled


def _png_pixel() -> bytes:
    """A valid 1x1 red PNG, built here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def _wav_silence() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * 80)
    return buffer.getvalue()


PNG = _png_pixel()
PNG_B64 = base64.b64encode(PNG).decode("ascii")


@mcp_tool(name="test_simple_text", description="Returns a fixed text (conformance fixture).")
def simple_text() -> str:
    return "This is a simple text response for testing."


@mcp_tool(name="test_error_handling", description="Always fails (conformance fixture).")
def error_handling() -> str:
    raise ToolError("This tool intentionally returns an error for testing")


@mcp_tool(name="test_image_content", description="Returns an image (conformance fixture).")
def image_content() -> list[dict[str, Any]]:
    return [{"type": "image", "data": PNG_B64, "mimeType": "image/png"}]


@mcp_tool(name="test_audio_content", description="Returns audio (conformance fixture).")
def audio_content() -> list[dict[str, Any]]:
    data = base64.b64encode(_wav_silence()).decode("ascii")
    return [{"type": "audio", "data": data, "mimeType": "audio/wav"}]


@mcp_tool(name="test_embedded_resource", description="Returns a resource (conformance fixture).")
def embedded_resource() -> list[dict[str, Any]]:
    resource = {
        "uri": "test://embedded-resource",
        "mimeType": "text/plain",
        "text": "This is an embedded resource content.",
    }
    return [{"type": "resource", "resource": resource}]


@mcp_tool(
    name="test_multiple_content_types",
    description="Returns text, an image and a resource (conformance fixture).",
)
def multiple_content_types() -> list[dict[str, Any]]:
    resource = {
        "uri": "test://mixed-content-resource",
        "mimeType": "application/json",
        "text": json.dumps({"test": "data", "value": 123}, separators=(",", ":")),
    }
    return [
        {"type": "text", "text": "Multiple content types test:"},
        {"type": "image", "data": PNG_B64, "mimeType": "image/png"},
        {"type": "resource", "resource": resource},
    ]


@mcp_resource("test://static-text", description="A fixed text (conformance fixture).")
def static_text() -> str:
    return "This is the content of the static text resource."


@mcp_resource(
    "test://static-binary", description="A PNG (conformance fixture).", mime_type="image/png"
)
def static_binary() -> bytes:
    return PNG


@mcp_resource(
    "test://template/{id}/data",
    description="Data for an id (conformance fixture).",
    mime_type="application/json",
)
def template_data(id: str) -> str:
    payload = {"id": id, "templateTest": True, "data": f"Data for ID: {id}"}
    return json.dumps(payload, separators=(",", ":"))


@mcp_prompt(name="test_simple_prompt", description="A fixed prompt (conformance fixture).")
def simple_prompt() -> str:
    return "This is a simple prompt for testing."


@mcp_prompt(
    name="test_prompt_with_arguments",
    description="A prompt with two arguments (conformance fixture).",
    arguments={"arg1": "First test argument", "arg2": "Second test argument"},
    complete={"arg1": ["paris", "park", "party"]},
)
def prompt_with_arguments(arg1: str, arg2: str) -> str:
    return f"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'"


@mcp_prompt(
    name="test_prompt_with_embedded_resource",
    description="A prompt embedding a resource (conformance fixture).",
    arguments={"resourceUri": "URI of the resource to embed"},
)
def prompt_with_embedded_resource(resourceUri: str) -> list[Any]:
    resource = {
        "uri": resourceUri,
        "mimeType": "text/plain",
        "text": "Embedded resource content for testing.",
    }
    return [
        {"role": "user", "content": {"type": "resource", "resource": resource}},
        "Please process the embedded resource above.",
    ]


@mcp_prompt(
    name="test_prompt_with_image", description="A prompt with an image (conformance fixture)."
)
def prompt_with_image() -> list[Any]:
    return [
        {"role": "user", "content": {"type": "image", "data": PNG_B64, "mimeType": "image/png"}},
        "Please analyze the image above.",
    ]


# Scenarios that talk to the client while the tool runs (SSE answers, the call context).


@mcp_tool(name="test_tool_with_logging", description="Logs three messages (conformance fixture).")
def tool_with_logging(mcp: CallContext) -> str:
    mcp.log("info", "Tool execution started")
    time.sleep(0.05)
    mcp.log("info", "Tool processing data")
    time.sleep(0.05)
    mcp.log("info", "Tool execution completed")
    return "Tool with logging executed successfully"


@mcp_tool(name="test_tool_with_progress", description="Reports progress (conformance fixture).")
def tool_with_progress(mcp: CallContext) -> str:
    mcp.progress(0, 100)
    time.sleep(0.05)
    mcp.progress(50, 100)
    time.sleep(0.05)
    mcp.progress(100, 100)
    return "Tool with progress executed successfully"


@mcp_tool(name="test_sampling", description="Asks the client's model (conformance fixture).")
def sampling(prompt: str, mcp: CallContext) -> str:
    message = {"role": "user", "content": {"type": "text", "text": prompt}}
    answer = mcp.sample([message], max_tokens=100)
    content = answer.get("content") or {}
    text = content.get("text", "") if isinstance(content, dict) else str(content)
    return f"LLM response: {text}"


@mcp_tool(name="test_elicitation", description="Asks the user (conformance fixture).")
def elicitation(message: str, mcp: CallContext) -> str:
    schema = {
        "type": "object",
        "properties": {
            "username": {"type": "string", "description": "User's response"},
            "email": {"type": "string", "description": "User's email address"},
        },
        "required": ["username", "email"],
    }
    answer = mcp.elicit(message, schema)
    return f"User response: action={answer.get('action')}, content={answer.get('content')}"


@mcp_tool(
    name="test_elicitation_sep1034_defaults",
    description="Asks with default values (conformance fixture).",
)
def elicitation_defaults(mcp: CallContext) -> str:
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "User name", "default": "John Doe"},
            "age": {"type": "integer", "description": "User age", "default": 30},
            "score": {"type": "number", "description": "User score", "default": 95.5},
            "status": {
                "type": "string",
                "description": "User status",
                "enum": ["active", "inactive", "pending"],
                "default": "active",
            },
            "verified": {"type": "boolean", "description": "Verified", "default": True},
        },
    }
    answer = mcp.elicit("Please review your details", schema)
    return f"Elicitation completed: action={answer.get('action')}, content={answer.get('content')}"


def _titled(values: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"const": value, "title": title} for value, title in values]


@mcp_tool(
    name="test_elicitation_sep1330_enums",
    description="Asks with every enum form (conformance fixture).",
)
def elicitation_enums(mcp: CallContext) -> str:
    options = ["option1", "option2", "option3"]
    schema = {
        "type": "object",
        "properties": {
            "untitledSingle": {"type": "string", "enum": options},
            "titledSingle": {
                "type": "string",
                "oneOf": _titled(
                    [("value1", "First Option"), ("value2", "Second Option"), ("value3", "Third")]
                ),
            },
            "legacyEnum": {
                "type": "string",
                "enum": ["opt1", "opt2", "opt3"],
                "enumNames": ["Option One", "Option Two", "Option Three"],
            },
            "untitledMulti": {"type": "array", "items": {"type": "string", "enum": options}},
            "titledMulti": {
                "type": "array",
                "items": {
                    "anyOf": _titled(
                        [("value1", "First Choice"), ("value2", "Second"), ("value3", "Third")]
                    )
                },
            },
        },
    }
    answer = mcp.elicit("Pick some options", schema)
    return f"Elicitation completed: action={answer.get('action')}, content={answer.get('content')}"


@mcp_resource("test://watched-resource", description="A resource to subscribe to (fixture).")
def watched_resource() -> str:
    return "Watched resource content."


# Cancellation, seen from the server: a slow tool counts how often it was stopped.


@mcp_tool(name="slow_steps", description="Reports progress for a while (interop fixture).")
def slow_steps(steps: int, mcp: CallContext) -> str:
    from django.core.cache import cache

    try:
        for step in range(steps):
            mcp.progress(step, steps)
            time.sleep(0.05)
    except CallCancelled:
        cache.set("fixture:cancelled", int(cache.get("fixture:cancelled", 0)) + 1)
        raise
    return "finished"


@mcp_tool(name="cancelled_count", description="How many slow_steps calls were cancelled.")
def cancelled_count() -> dict[str, int]:
    from django.core.cache import cache

    return {"cancelled": int(cache.get("fixture:cancelled", 0))}
