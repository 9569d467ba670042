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
import wave
import zlib
from typing import Any

from rest_framework_mcp import ToolError, mcp_prompt, mcp_resource, mcp_tool


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
