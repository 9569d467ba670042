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

from drf_mcp_bridge import (
    CallContext,
    ToolError,
    current_call,
    mcp_prompt,
    mcp_resource,
    mcp_tool,
)
from drf_mcp_bridge.core.jsonrpc import JSONRPCError
from drf_mcp_bridge.invocation.calls import CallCancelled


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


@mcp_tool(
    name="test_header_routing",
    description="Echoes a region that clients also send as Mcp-Param-Region (SEP-2243 fixture).",
    header_arguments={"region": "Region"},
)
def test_header_routing(region: str) -> str:
    return f"routed to {region}"


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


# 2026-07-28 (SEP-2322, multi round-trip requests): the tool asks, the call ends with an
# input_required result, and the client calls again with the answers (inputResponses)
# and the signed requestState. The keys are the ones the suite answers under.


def _schema(name: str, kind: str = "string") -> dict[str, Any]:
    return {"type": "object", "properties": {name: {"type": kind}}, "required": [name]}


def _text_of(answer: dict[str, Any]) -> str:
    content = answer.get("content") or {}
    return str(content.get("text", "")) if isinstance(content, dict) else str(content)


@mcp_tool(
    name="test_input_required_result_elicitation",
    description="Asks the user's name (conformance fixture).",
)
def input_required_elicitation(mcp: CallContext) -> str:
    # unasked: the suite also answers this one unprompted (no requestState), alongside
    # keys nothing asked for, and expects them ignored and the call to complete.
    answer = mcp.elicit("What is your name?", _schema("name"), key="user_name", unasked=True)
    return f"Hello, {(answer.get('content') or {}).get('name', 'stranger')}!"


@mcp_tool(
    name="test_input_required_result_sampling",
    description="Asks the client's model a question (conformance fixture).",
)
def input_required_sampling(mcp: CallContext) -> str:
    question = {
        "role": "user",
        "content": {"type": "text", "text": "What is the capital of France?"},
    }
    answer = mcp.sample([question], max_tokens=100, key="capital_question")
    return f"Model answered: {_text_of(answer)}"


@mcp_tool(
    name="test_input_required_result_list_roots",
    description="Asks the client for its roots (conformance fixture).",
)
def input_required_list_roots(mcp: CallContext) -> str:
    answer = mcp.ask("roots/list", {}, key="client_roots")
    roots = [str(r.get("uri")) for r in answer.get("roots") or [] if isinstance(r, dict)]
    return f"Client roots: {', '.join(roots) or 'none'}"


@mcp_tool(
    name="test_input_required_result_request_state",
    description="Asks for a confirmation, across a signed requestState (conformance fixture).",
)
def input_required_request_state(mcp: CallContext) -> str:
    # Reaching this line means the answer came back with a requestState that passed its
    # integrity check (a tampered one is refused before the tool runs).
    answer = mcp.elicit("Please confirm", _schema("ok", "boolean"), key="confirm")
    return f"state-ok: confirmed={(answer.get('content') or {}).get('ok')}"


@mcp_tool(
    name="test_input_required_result_tampered_state",
    description="Asks for a confirmation; a tampered requestState is refused (fixture).",
)
def input_required_tampered_state(mcp: CallContext) -> str:
    answer = mcp.elicit("Please confirm", _schema("ok", "boolean"), key="confirm")
    return f"confirmed={(answer.get('content') or {}).get('ok')}"


def _greeting_request() -> tuple[str, dict[str, Any]]:
    message = {"role": "user", "content": {"type": "text", "text": "Generate a greeting"}}
    return "sampling/createMessage", {"messages": [message], "maxTokens": 50}


def _name_request() -> tuple[str, dict[str, Any]]:
    return "elicitation/create", {
        "message": "What is your name?",
        "requestedSchema": _schema("name"),
    }


@mcp_tool(
    name="test_input_required_result_multiple_inputs",
    description="Asks for three inputs at once (conformance fixture).",
)
def input_required_multiple_inputs(mcp: CallContext) -> str:
    name, greeting, roots = mcp.ask_all(
        {
            "user_name": _name_request(),
            "greeting": _greeting_request(),
            "client_roots": ("roots/list", {}),
        }
    )
    who = (name.get("content") or {}).get("name")
    return f"{_text_of(greeting)} {who} ({len(roots.get('roots') or [])} roots)"


@mcp_tool(
    name="test_input_required_result_multi_round",
    description="Asks twice, one round after the other (conformance fixture).",
)
def input_required_multi_round(mcp: CallContext) -> str:
    first = mcp.elicit("Step 1: What is your name?", _schema("name"), key="step1")
    second = mcp.elicit("Step 2: What is your favorite color?", _schema("color"), key="step2")
    name = (first.get("content") or {}).get("name")
    color = (second.get("content") or {}).get("color")
    return f"{name} likes {color}"


@mcp_tool(
    name="test_input_required_result_capabilities",
    description="Asks only for what the client declared it can answer (conformance fixture).",
)
def input_required_capabilities(mcp: CallContext) -> str:
    declared = mcp.client_capabilities() or {}
    wanted: dict[str, tuple[str, dict[str, Any]]] = {}
    if "elicitation" in declared:
        wanted["user_name"] = _name_request()
    if "sampling" in declared:
        wanted["greeting"] = _greeting_request()
    if "roots" in declared:
        wanted["client_roots"] = ("roots/list", {})
    answers = mcp.ask_all(wanted)
    return f"Answered {len(answers)} of the requests the client can serve."


@mcp_prompt(
    name="test_input_required_result_prompt",
    description="A prompt that asks for its context first (conformance fixture).",
)
def input_required_prompt() -> str:
    call = current_call()
    assert call is not None  # prompts/get runs prompts inside a call context
    answer = call.elicit(
        "What context should the prompt use?", _schema("context"), key="user_context"
    )
    return f"Use this context: {(answer.get('content') or {}).get('context')}"


# 2026-07-28 diagnostics of the server-stateless scenario.


@mcp_tool(
    name="test_missing_capability",
    description="Needs the client's sampling capability (conformance fixture).",
)
def missing_capability() -> str:
    # current_call(), not an ``mcp`` parameter: the call is answered as plain JSON, so
    # the -32021 refusal can carry its HTTP 400 (a streamed answer has sent its 200).
    call = current_call()
    assert call is not None
    question = {"role": "user", "content": {"type": "text", "text": "Say hello"}}
    return _text_of(call.sample([question], max_tokens=20))


@mcp_tool(
    name="test_streaming_elicitation",
    description="Asks the user while answering as a stream (conformance fixture).",
)
def streaming_elicitation(mcp: CallContext) -> str:
    mcp.progress(0, 1)
    answer = mcp.elicit("What is your name?", _schema("name"), key="user_name")
    return f"Hello, {(answer.get('content') or {}).get('name')}!"


@mcp_tool(
    name="test_logging_tool",
    description="Logs a message, sent only at the level the request names (fixture).",
)
def logging_tool(mcp: CallContext) -> str:
    mcp.log("info", "test_logging_tool ran")
    return "Logged at the requested level only."


# JSON Schema 2020-12 keywords kept as written (SEP-1613, SEP-2106).
JSON_SCHEMA_2020_12 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "$defs": {
        "address": {
            "$anchor": "addressDef",
            "type": "object",
            "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
        }
    },
    "properties": {
        "name": {"type": "string"},
        "address": {"$ref": "#/$defs/address"},
        "contactMethod": {"type": "string", "enum": ["phone", "email"]},
        "phone": {"type": "string"},
        "email": {"type": "string"},
    },
    "allOf": [{"anyOf": [{"required": ["phone"]}, {"required": ["email"]}]}],
    "if": {"properties": {"contactMethod": {"const": "phone"}}, "required": ["contactMethod"]},
    "then": {"required": ["phone"]},
    "else": {"required": ["email"]},
    "additionalProperties": False,
}


@mcp_tool(
    name="json_schema_2020_12_tool",
    description="Tool with JSON Schema 2020-12 features",
    input_schema=JSON_SCHEMA_2020_12,
)
def json_schema_2020_12_tool(**arguments: Any) -> str:
    return "ok"


# The Tasks extension (SEP-2663): the tools the tasks-* scenarios call by name. They run
# as tasks in the fixture server's task workers (django-tasks-db, `db_worker`).
@mcp_tool(name="greet", description="Greets someone; never a task (conformance fixture).")
def greet(name: str) -> str:
    return f"Hello, {name}!"


@mcp_tool(
    name="slow_compute",
    description="Works for `seconds` seconds; a task when the client takes one (fixture).",
    task="optional",
    task_prelude=True,
)
def slow_compute(mcp: CallContext, seconds: float = 1, label: str = "") -> str:
    if seconds > 0:
        mcp.defer("Computing.")
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        mcp.raise_if_cancelled()  # tasks/cancel stops it
        time.sleep(0.05)
    return f"Computed {label or 'it'} in {seconds:g} s."


@mcp_tool(
    name="failing_job",
    description="Fails with a tool error after a second; only as a task (fixture).",
    task="required",
)
def failing_job() -> str:
    time.sleep(1)
    raise ToolError("The job failed (on purpose).")


@mcp_tool(
    name="protocol_error_job",
    description="Fails with a JSON-RPC error; a task when possible (fixture).",
    task="optional",
)
def protocol_error_job() -> str:
    raise JSONRPCError(-32603, "The job hit a protocol error (on purpose).")


@mcp_tool(
    name="confirm_delete",
    description="Asks the user to confirm inside its task (fixture).",
    task="optional",
)
def confirm_delete(filename: str, mcp: CallContext) -> str:
    answer = mcp.elicit(
        f"Delete {filename}?",
        {"type": "object", "properties": {"confirm": {"type": "boolean"}}},
    )
    confirmed = answer.get("action") == "accept" and (answer.get("content") or {}).get("confirm")
    return f"Deleted {filename}." if confirmed else f"Kept {filename}."


@mcp_tool(
    name="multi_input",
    description="Asks two questions at once inside its task (fixture).",
    task="optional",
)
def multi_input(mcp: CallContext) -> str:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "confirm": {"type": "boolean"}},
    }
    first, second = mcp.ask_all(
        {
            "first": ("elicitation/create", {"message": "First?", "requestedSchema": schema}),
            "second": ("elicitation/create", {"message": "Second?", "requestedSchema": schema}),
        }
    )
    return f"Got {_named(first)} and {_named(second)}."


@mcp_tool(
    name="test_tool_with_task",
    description="Asks a name synchronously, then goes on as a task (fixture).",
    task="required",
    task_prelude=True,
)
def tool_with_task(mcp: CallContext) -> str:
    answer = mcp.elicit("Your name?", _schema("name"), key="user_name")
    mcp.defer("Greeting.")
    return f"Hello, {_named(answer)}, from a task."


def _named(answer: dict[str, Any]) -> str:
    content = answer.get("content")
    return str(content.get("name", "?")) if isinstance(content, dict) else "?"


@mcp_tool(
    name="slow_lookup",
    description="Looks something up for `seconds` seconds; read-only, so a run lost with "
    "its worker runs again (interop fixture).",
    task="optional",
    annotations={"readOnlyHint": True},
)
def slow_lookup(mcp: CallContext, seconds: float = 1) -> str:
    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        mcp.raise_if_cancelled()
        time.sleep(0.05)
    return f"Looked up in {seconds:g} s."
