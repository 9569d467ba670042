"""What the conformance suite 0.2.0-alpha.12 found missing (issue 16), in process: the
request id on errors decided from the headers, ``data.uri`` on an unknown resource, the
multi round-trip requests of 2026-07-28 (named keys, several inputs at once, prompts that
ask, a tampered requestState refused, a missing answer asked again) and the -32021 error
for an undeclared client capability."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from drf_mcp_bridge import CallContext, current_call, mcp_prompt, mcp_tool
from drf_mcp_bridge.catalogue.prompts import unregister_prompt
from drf_mcp_bridge.catalogue.registry import registry
from tests.conftest import rpc
from tests.test_protocol_2026 import META, V, modern

pytestmark = pytest.mark.django_db

CAPABLE = {
    **META,
    "io.modelcontextprotocol/clientCapabilities": {"elicitation": {}, "sampling": {}},
}
NAME = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}


def call(client: Client, name: str, meta: dict[str, Any] = CAPABLE, **params: Any) -> Any:
    body = {"_meta": meta, "name": name, "arguments": {}, **params}
    return modern(client, "tools/call", body, HTTP_ACCEPT="application/json")


def accept(**content: Any) -> dict[str, Any]:
    return {"action": "accept", "content": content}


@pytest.fixture
def askers() -> Iterator[None]:
    @mcp_tool(name="currency_named")
    def named(mcp: CallContext) -> str:
        answer = mcp.elicit("Your name?", NAME, key="user_name")
        return f"Hello, {answer['content']['name']}!"

    @mcp_tool(name="currency_unasked")
    def unasked(mcp: CallContext) -> str:
        answer = mcp.elicit("Your name?", NAME, key="user_name", unasked=True)
        return f"Hello, {answer['content']['name']}!"

    @mcp_tool(name="currency_both")
    def both(mcp: CallContext) -> str:
        message = {"role": "user", "content": {"type": "text", "text": "Hi"}}
        name, reply = mcp.ask_all(
            {
                "user_name": ("elicitation/create", {"message": "Name?", "requestedSchema": NAME}),
                "greeting": ("sampling/createMessage", {"messages": [message], "maxTokens": 5}),
            }
        )
        return f"{reply['content']['text']}, {name['content']['name']}"

    @mcp_tool(name="currency_samples")
    def samples() -> str:
        found = current_call()
        assert found is not None
        message = {"role": "user", "content": {"type": "text", "text": "Hi"}}
        return str(found.sample([message], max_tokens=5)["content"]["text"])

    @mcp_prompt(name="currency_prompt")
    def prompt() -> str:
        found = current_call()
        assert found is not None
        answer = found.elicit("Context?", NAME, key="context")
        return f"Context: {answer['content']['name']}"

    yield
    for name in ("currency_named", "currency_unasked", "currency_both", "currency_samples"):
        registry.unregister(name)
    unregister_prompt("currency_prompt")


# the request id on every error response the request can be tied to ----------------------


def test_an_unsupported_version_header_is_answered_with_the_request_id(client: Client) -> None:
    body = {"jsonrpc": "2.0", "id": 301, "method": "server/discover", "params": {"_meta": META}}
    response = rpc(client, body, HTTP_MCP_PROTOCOL_VERSION="v999.0.0")
    assert response.status_code == 400
    answer = response.json()
    assert answer["id"] == 301
    assert answer["error"]["code"] == -32022
    assert answer["error"]["data"]["requested"] == "v999.0.0"


def test_a_header_refusal_without_a_readable_id_keeps_id_null(client: Client) -> None:
    response = rpc(client, b"{not json", HTTP_MCP_PROTOCOL_VERSION="v999.0.0")
    assert (response.status_code, response.json()["id"]) == (400, None)
    refused = client.post(
        "/mcp/",
        data=json.dumps({"jsonrpc": "2.0", "id": "a", "method": "ping"}),
        content_type="application/json",
        HTTP_ACCEPT="text/html",
    )
    assert (refused.status_code, refused.json()["id"]) == (406, "a")


# SEP-2164: the unknown resource's URI in the error -----------------------------------------


@pytest.mark.parametrize("version", ["2025-11-25", V])
def test_an_unknown_resource_names_its_uri(client: Client, version: str) -> None:
    uri = "test://nonexistent-resource"
    if version == V:
        response = modern(client, "resources/read", {"uri": uri})
    else:
        body = {"jsonrpc": "2.0", "id": 3, "method": "resources/read", "params": {"uri": uri}}
        response = rpc(client, body, HTTP_MCP_PROTOCOL_VERSION=version)
    error = response.json()["error"]
    assert (error["code"], error["data"]) == (-32602, {"uri": uri})


# SEP-2322: multi round-trip requests --------------------------------------------------------


def test_input_requests_use_the_tools_keys(client: Client, askers: None) -> None:
    first = call(client, "currency_named").json()["result"]
    assert first["resultType"] == "input_required"
    assert first["inputRequests"]["user_name"]["method"] == "elicitation/create"
    done = call(
        client,
        "currency_named",
        inputResponses={"user_name": accept(name="Alice"), "extra": accept(x=1)},
        requestState=first["requestState"],
    ).json()["result"]
    assert (done["resultType"], done["content"][0]["text"]) == ("complete", "Hello, Alice!")


def test_a_missing_answer_is_asked_again(client: Client, askers: None) -> None:
    first = call(client, "currency_named").json()["result"]
    for wrong in ({"wrong_key": accept(name="x")}, {"user_name": 12345}, None):
        again = call(
            client, "currency_named", inputResponses=wrong, requestState=first["requestState"]
        )
        assert again.status_code == 200
        result = again.json()["result"]
        assert result["resultType"] == "input_required"
        assert list(result["inputRequests"]) == ["user_name"]


def test_an_unprompted_answer_counts_only_where_the_tool_says(client: Client, askers: None) -> None:
    given = {"inputResponses": {"user_name": accept(name="Bo"), "other": accept()}}
    ignored = call(client, "currency_named", **given).json()["result"]
    assert ignored["resultType"] == "input_required"
    taken = call(client, "currency_unasked", **given).json()["result"]
    assert (taken["resultType"], taken["content"][0]["text"]) == ("complete", "Hello, Bo!")


def test_several_inputs_go_out_in_one_round(client: Client, askers: None) -> None:
    first = call(client, "currency_both").json()["result"]
    assert {k: v["method"] for k, v in first["inputRequests"].items()} == {
        "user_name": "elicitation/create",
        "greeting": "sampling/createMessage",
    }
    answers = {
        "user_name": accept(name="Al"),
        "greeting": {"role": "assistant", "content": {"type": "text", "text": "Hey"}, "model": "m"},
    }
    done = call(
        client, "currency_both", inputResponses=answers, requestState=first["requestState"]
    ).json()["result"]
    assert done["content"][0]["text"] == "Hey, Al"


def test_a_tampered_request_state_is_refused(client: Client, askers: None) -> None:
    first = call(client, "currency_named").json()["result"]
    response = call(
        client,
        "currency_named",
        inputResponses={"user_name": accept(name="Eve")},
        requestState=first["requestState"] + "-TAMPERED",
    )
    assert response.status_code == 400
    assert response.json()["id"] == 7
    assert response.json()["error"]["code"] == -32602


def test_a_prompt_can_ask_for_input(client: Client, askers: None) -> None:
    params = {"_meta": CAPABLE, "name": "currency_prompt"}
    first = modern(client, "prompts/get", params).json()["result"]
    assert first["resultType"] == "input_required"
    assert list(first["inputRequests"]) == ["context"]
    answer = {"context": accept(name="tests")}
    params.update(inputResponses=answer, requestState=first["requestState"])
    done = modern(client, "prompts/get", params).json()["result"]
    assert done["resultType"] == "complete"
    assert done["messages"][0]["content"]["text"] == "Context: tests"


# SEP-2575: a capability the request did not declare -------------------------------------------


def test_an_undeclared_capability_is_error_32021(client: Client, askers: None) -> None:
    response = call(client, "currency_samples", meta=META)  # no capabilities declared
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == -32021
    assert error["data"] == {"requiredCapabilities": {"sampling": {}}}
    elicits = call(client, "currency_named", meta=META).json()["error"]
    assert elicits["data"] == {"requiredCapabilities": {"elicitation": {}}}
