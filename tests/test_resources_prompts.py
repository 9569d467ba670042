"""Resources, resource templates, prompts, completion and list pagination."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_prompt, mcp_resource
from drf_mcp_bridge.catalogue.prompts import unregister_prompt
from drf_mcp_bridge.catalogue.resources import unregister_resource
from drf_mcp_bridge.test import MCPClient, MCPError
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db


def read(client: MCPClient, uri: str) -> list[dict[str, Any]]:
    contents: list[dict[str, Any]] = client.request_mcp("resources/read", {"uri": uri})["contents"]
    return contents


def error_of(client: MCPClient, method: str, params: dict[str, Any]) -> dict[str, Any]:
    with pytest.raises(MCPError) as raised:
        client.request_mcp(method, params)
    found = raised.value
    return {"code": found.code, "message": found.message, "data": found.data}


@pytest.fixture
def own_resources() -> Iterator[None]:
    @mcp_resource("docs://readme", title="Read me", mime_type="text/markdown")
    def readme() -> str:
        """How to use this API."""
        return "# Shop\nUse the customers tools."

    @mcp_resource("reports://{year}/{kind}", complete={"kind": ["sales", "stock", "staff"]})
    def report(year: str, kind: str, request: Any) -> dict[str, Any]:
        """A yearly report."""
        return {"year": int(year), "kind": kind, "user": str(request.user)}

    @mcp_prompt(
        title="Write to a customer",
        arguments={"name": "Customer name", "tone": "formal or friendly"},
        complete={"tone": ["formal", "friendly"]},
    )
    def write_letter(name: str, tone: str = "friendly") -> list[Any]:
        """Draft a letter to a customer."""
        return [
            f"Write a {tone} letter to {name}.",
            {"role": "assistant", "content": "Which topic should it cover?"},
        ]

    yield
    unregister_resource("docs://readme")
    unregister_resource("reports://{year}/{kind}")
    unregister_prompt("write_letter")


# resources ---------------------------------------------------------------------------


def test_list_actions_are_resources_and_retrieve_actions_templates(mcp: MCPClient) -> None:
    listed = {r["uri"]: r for r in mcp.request_mcp("resources/list")["resources"]}
    assert "drf://customers" in listed
    assert listed["drf://customers"]["mimeType"] == "application/json"
    assert listed["drf://customers"]["title"] == "List customers"
    templates = {
        t["uriTemplate"]: t
        for t in mcp.request_mcp("resources/templates/list")["resourceTemplates"]
    }
    assert "drf://customers/{pk}" in templates
    assert "drf://kb_notes/{slug}" in templates  # the registration's name, lookup_field


def test_reading_runs_the_view(alice_token: str, data: dict[str, Any]) -> None:
    mcp, api = MCPClient(), APIClient()
    for client in (mcp, api):
        client.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    pk = data["a1"].pk
    (item,) = read(mcp, f"drf://customers/{pk}")
    assert item["uri"] == f"drf://customers/{pk}"
    assert json.loads(item["text"]) == api.get(f"/api/customers/{pk}/").json()
    (page,) = read(mcp, "drf://customers?page=2&page_size=1")
    body = json.loads(page["text"])
    rest = api.get("/api/customers/", {"page": 2, "page_size": 1}).json()
    assert body == rest
    # Anonymous: the object permission refuses, as over REST.
    refused = error_of(MCPClient(), "resources/read", {"uri": f"drf://customers/{pk}"})
    assert refused["code"] == -32001
    assert refused["data"] == {"uri": f"drf://customers/{pk}", "status": 403}
    assert APIClient().get(f"/api/customers/{pk}/").status_code == 403


def test_read_errors_are_specific(mcp: MCPClient, data: dict[str, Any]) -> None:
    missing = error_of(mcp, "resources/read", {"uri": "drf://customers/999999"})
    assert missing["code"] == -32002
    assert missing["data"] == {"uri": "drf://customers/999999"}
    assert error_of(mcp, "resources/read", {"uri": "drf://nothing"})["code"] == -32002
    assert error_of(mcp, "resources/read", {"uri": "ftp://x"})["code"] == -32602
    assert error_of(mcp, "resources/read", {})["code"] == -32602
    # A view that refuses: invoices need a signed-in user.
    refused = error_of(mcp, "resources/read", {"uri": "drf://invoices"})
    assert refused["code"] == -32001
    assert refused["data"]["status"] in (401, 403)


def test_reading_uses_the_callers_credentials(
    alice: User, alice_token: str, data: dict[str, Any]
) -> None:
    client = MCPClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    (page,) = read(client, "drf://invoices")
    assert [i["number"] for i in json.loads(page["text"])["results"]] == ["INV-1"]


def test_user_resources_and_templates(own_resources: None, mcp: MCPClient) -> None:
    listed = {r["uri"]: r for r in mcp.request_mcp("resources/list")["resources"]}
    assert listed["docs://readme"] == {
        "uri": "docs://readme",
        "name": "readme",
        "title": "Read me",
        "description": "How to use this API.",
        "mimeType": "text/markdown",
    }
    (readme,) = read(mcp, "docs://readme")
    assert readme["text"].startswith("# Shop")
    templates = [
        t["uriTemplate"] for t in mcp.request_mcp("resources/templates/list")["resourceTemplates"]
    ]
    assert "reports://{year}/{kind}" in templates
    (report,) = read(mcp, "reports://2026/sales")
    assert json.loads(report["text"]) == {"year": 2026, "kind": "sales", "user": "AnonymousUser"}


def test_resource_lists_are_paged(settings: Any, mcp: MCPClient) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "RESOURCES_PAGE_SIZE": 3}
    seen, cursor, pages = [], None, 0
    while True:
        params = {"cursor": cursor} if cursor else {}
        page = mcp.request_mcp("resources/list", params)
        assert len(page["resources"]) <= 3
        seen += [r["uri"] for r in page["resources"]]
        pages += 1
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert pages > 1
    assert len(seen) == len(set(seen))
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "RESOURCES_PAGE_SIZE": 1000}
    assert seen == [r["uri"] for r in mcp.request_mcp("resources/list")["resources"]]
    bad = error_of(mcp, "resources/list", {"cursor": "not-a-cursor"})
    assert bad["code"] == -32602
    # A cursor of another list is refused too.
    tools_cursor = error_of(mcp, "tools/list", {"cursor": page_cursor(mcp)})
    assert tools_cursor["code"] == -32602


def page_cursor(mcp: MCPClient) -> str:
    from drf_mcp_bridge.protocol.server import make_cursor

    return make_cursor("resources", 1)


def test_tools_list_is_paged_when_configured(settings: Any, mcp: MCPClient) -> None:
    everything = mcp.tool_names()
    assert "nextCursor" not in mcp.request_mcp("tools/list")
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "TOOLS_PAGE_SIZE": 7}
    names, cursor = [], None
    while True:
        page = mcp.request_mcp("tools/list", {"cursor": cursor} if cursor else {})
        assert len(page["tools"]) <= 7
        names += [t["name"] for t in page["tools"]]
        cursor = page.get("nextCursor")
        if not cursor:
            break
    assert names == everything


# prompts -----------------------------------------------------------------------------


def test_user_prompts(own_resources: None, mcp: MCPClient) -> None:
    listed = {p["name"]: p for p in mcp.request_mcp("prompts/list")["prompts"]}
    assert listed["write_letter"] == {
        "name": "write_letter",
        "title": "Write to a customer",
        "description": "Draft a letter to a customer.",
        "arguments": [
            {"name": "name", "description": "Customer name", "required": True},
            {"name": "tone", "description": "formal or friendly", "required": False},
        ],
    }
    got = mcp.request_mcp("prompts/get", {"name": "write_letter", "arguments": {"name": "Ann"}})
    assert got["messages"] == [
        {"role": "user", "content": {"type": "text", "text": "Write a friendly letter to Ann."}},
        {"role": "assistant", "content": {"type": "text", "text": "Which topic should it cover?"}},
    ]
    missing = error_of(mcp, "prompts/get", {"name": "write_letter"})
    assert missing["code"] == -32602
    assert "name" in missing["message"]
    unknown = error_of(mcp, "prompts/get", {"name": "write_letter", "arguments": {"x": "1"}})
    assert "Unknown argument" in unknown["message"]
    assert error_of(mcp, "prompts/get", {"name": "nope"})["code"] == -32602
    wrong = error_of(mcp, "prompts/get", {"name": "write_letter", "arguments": {"name": 3}})
    assert "strings" in wrong["message"]


def test_generated_guides(mcp: MCPClient, settings: Any) -> None:
    names = [p["name"] for p in mcp.request_mcp("prompts/list")["prompts"]]
    assert "customers_guide" in names
    got = mcp.request_mcp(
        "prompts/get", {"name": "customers_guide", "arguments": {"goal": "find VIPs"}}
    )
    text = got["messages"][0]["content"]["text"]
    assert "Customers of the shop." in text  # the ViewSet docstring
    assert "- customers_create: Create customer" in text
    assert "customers_list takes these optional arguments:" in text
    assert "- page: A page number within the paginated result set." in text
    assert "- name (string): Full name of the customer." in text
    assert "drf://customers/{pk}" in text
    assert text.endswith("Goal: find VIPs")
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "AUTO_PROMPTS": False}
    assert "customers_guide" not in [
        p["name"] for p in mcp.request_mcp("prompts/list").get("prompts", [])
    ]


# completion --------------------------------------------------------------------------


def complete(client: MCPClient, ref: dict[str, Any], name: str, value: str) -> dict[str, Any]:
    result: dict[str, Any] = client.request_mcp(
        "completion/complete", {"ref": ref, "argument": {"name": name, "value": value}}
    )["completion"]
    return result


def test_completion_of_lookups_from_the_queryset(mcp: MCPClient, data: dict[str, Any]) -> None:
    for i in range(120):
        Customer.objects.create(owner=data["a1"].owner, name=f"Bulk {i}")
    ref = {"type": "ref/resource", "uri": "drf://customers/{pk}"}
    everything = complete(mcp, ref, "pk", "")
    assert len(everything["values"]) == 100
    assert everything["hasMore"] is True
    pk = str(data["a1"].pk)
    some = complete(mcp, ref, "pk", pk)
    assert some["values"] and all(v.startswith(pk) for v in some["values"])
    assert some["hasMore"] is False and some["total"] == len(some["values"])
    notes = complete(mcp, {"type": "ref/resource", "uri": "drf://kb_notes/{slug}"}, "slug", "he")
    assert notes["values"] == ["hello"]


def test_completion_of_declared_values(own_resources: None, mcp: MCPClient) -> None:
    prompt = complete(mcp, {"type": "ref/prompt", "name": "write_letter"}, "tone", "f")
    assert prompt["values"] == ["formal", "friendly"]
    assert complete(mcp, {"type": "ref/prompt", "name": "write_letter"}, "name", "A") == {
        "values": [],
        "hasMore": False,
        "total": 0,
    }
    template = complete(
        mcp, {"type": "ref/resource", "uri": "reports://{year}/{kind}"}, "kind", "st"
    )
    assert template["values"] == ["stock", "staff"]


def test_completion_errors(mcp: MCPClient) -> None:
    cases = [
        {},
        {"ref": {"type": "ref/other"}, "argument": {"name": "a", "value": ""}},
        {"ref": {"type": "ref/prompt", "name": "nope"}, "argument": {"name": "a", "value": ""}},
        {
            "ref": {"type": "ref/resource", "uri": "drf://x/{y}"},
            "argument": {"name": "y", "value": ""},
        },
        {
            "ref": {"type": "ref/resource", "uri": "drf://customers/{pk}"},
            "argument": {"name": "zz", "value": ""},
        },
    ]
    for params in cases:
        assert error_of(mcp, "completion/complete", params)["code"] == -32602, params


def test_guide_prompts_are_built_once_per_tool_set(client: Any) -> None:
    from django.test import RequestFactory

    from drf_mcp_bridge.catalogue.registry import registry
    from drf_mcp_bridge.protocol.server import RequestContext, server

    context = RequestContext(RequestFactory().post("/mcp/"), "2025-11-25")
    first = server._guide_prompts(context)
    assert server._guide_prompts(context) is first  # cached
    registry.invalidate()
    rebuilt = server._guide_prompts(context)
    assert rebuilt is not first
    assert [p.name for p in rebuilt] == [p.name for p in first]


def test_resource_reads_go_through_the_call_path(mcp: MCPClient) -> None:
    from drf_mcp_bridge.core.signals import tool_called

    seen: list[str] = []

    def receiver(sender: Any, tool: str, **kwargs: Any) -> None:
        seen.append(tool)

    tool_called.connect(receiver)
    try:
        mcp.request_mcp("resources/read", {"uri": "drf://categories"})
    finally:
        tool_called.disconnect(receiver)
    # Recorded like a tools/call (log record and signal), with its checks and size cap.
    assert seen == ["categories_list"]
