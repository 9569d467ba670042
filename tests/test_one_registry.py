"""One registry (issue 15): tools, @mcp_resource resources and @mcp_prompt prompts are held
by the same Registry, with one API; the old module functions delegate to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework import viewsets

from drf_mcp_bridge import mcp_prompt, mcp_resource, mcp_tool, mcp_viewset
from drf_mcp_bridge.catalogue import prompts, resources
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category
from tests.testapp.serializers import CategorySerializer

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered() -> Iterator[dict[str, Any]]:
    """One tool, one resource, one template and one prompt of the user's, and a ViewSet."""

    @mcp_tool(name="one_registry_echo")
    def echo(text: str) -> str:
        return text

    @mcp_resource("one://readme", mime_type="text/plain")
    def readme() -> str:
        return "read me"

    @mcp_resource("one://shelves/{pk}")
    def shelf(pk: str) -> dict[str, str]:
        return {"pk": pk}

    @mcp_prompt(name="one_registry_prompt")
    def ask(topic: str) -> str:
        return f"Tell me about {topic}."

    @mcp_viewset(name="one_registry_shelves", actions=["list"])
    class Shelves(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    made = {"echo": echo, "readme": readme, "shelf": shelf, "ask": ask, "Shelves": Shelves}
    yield made
    for target in ["one_registry_echo", "one://readme", "one://shelves/{pk}", Shelves]:
        registry.unregister(target)
    registry.unregister("one_registry_prompt")


def test_every_kind_is_in_the_one_registry(registered: dict[str, Any]) -> None:
    assert "one_registry_echo" in registry.tools()
    assert "one_registry_shelves_list" in registry.tools()
    uris = [r.uri for r in registry.resources()]
    assert uris[-2:] == ["one://readme", "one://shelves/{pk}"]
    assert registry.prompts()[-1].name == "one_registry_prompt"
    # The old module functions answer the registry's contents.
    assert resources.user_resources() == registry.resources()
    assert prompts.user_prompts() == registry.prompts()


def test_what_the_registry_holds_is_what_the_protocol_serves(registered: dict[str, Any]) -> None:
    mcp = MCPClient()
    listed = mcp.request_mcp("resources/list")["resources"]
    assert {"uri": "one://readme", "name": "readme", "mimeType": "text/plain"} in listed
    templates = mcp.request_mcp("resources/templates/list")["resourceTemplates"]
    assert "one://shelves/{pk}" in [t["uriTemplate"] for t in templates]
    read = mcp.request_mcp("resources/read", {"uri": "one://shelves/7"})
    assert read["contents"][0]["text"] == '{"pk": "7"}'
    names = [p["name"] for p in mcp.request_mcp("prompts/list")["prompts"]]
    assert "one_registry_prompt" in names
    got = mcp.request_mcp(
        "prompts/get", {"name": "one_registry_prompt", "arguments": {"topic": "owls"}}
    )
    assert got["messages"][0]["content"]["text"] == "Tell me about owls."


def test_registering_again_replaces(registered: dict[str, Any]) -> None:
    mcp_resource("one://readme", description="Second.")(lambda: "again")
    mcp_prompt(name="one_registry_prompt", description="Second.")(lambda: "again")
    assert [r.description for r in registry.resources() if r.uri == "one://readme"] == ["Second."]
    assert [p.description for p in registry.prompts() if p.name == "one_registry_prompt"] == [
        "Second."
    ]


@pytest.mark.parametrize(
    ("target", "kind", "gone"),
    [
        ("one_registry_echo", None, "tool"),
        ("echo", None, "tool"),  # the decorated function
        ("Shelves", None, "viewset"),
        ("one://readme", None, "readme"),
        ("readme", "resource", "readme"),  # the decorated function
        ("one_registry_prompt", "prompt", "prompt"),
        ("ask", None, "prompt"),  # the decorated function
    ],
)
def test_unregister_takes_a_name_uri_class_or_function_of_any_kind(
    registered: dict[str, Any], target: str, kind: Any, gone: str
) -> None:
    what = registered.get(target, target)
    assert registry.unregister(what, kind=kind) is True
    present = {
        "tool": "one_registry_echo" in registry.tools(),
        "viewset": "one_registry_shelves_list" in registry.tools(),
        "readme": "one://readme" in [r.uri for r in registry.resources()],
        "template": "one://shelves/{pk}" in [r.uri for r in registry.resources()],
        "prompt": "one_registry_prompt" in [p.name for p in registry.prompts()],
    }
    assert [k for k, v in present.items() if not v] == [gone]
    assert registry.unregister(what, kind=kind) is False  # nothing left to remove


def test_unregister_limited_to_a_kind_leaves_the_others(registered: dict[str, Any]) -> None:
    mcp_tool(name="one://readme")(lambda: "a tool of an odd name")
    try:
        assert registry.unregister("one://readme", kind="tool") is True
        assert "one://readme" in [r.uri for r in registry.resources()]
        assert registry.unregister("one_registry_prompt", kind="resource") is False
        assert "one_registry_prompt" in [p.name for p in registry.prompts()]
    finally:
        registry.unregister("one://readme", kind="tool")


def test_the_old_module_functions_still_work(registered: dict[str, Any]) -> None:
    resources.unregister_resource("one://readme")
    prompts.unregister_prompt("one_registry_prompt")
    assert "one://readme" not in [r.uri for r in registry.resources()]
    assert "one_registry_prompt" not in [p.name for p in registry.prompts()]
    assert "one://shelves/{pk}" in [r.uri for r in resources.user_resources()]


def test_resources_and_prompts_leave_the_tools_cached(registered: dict[str, Any]) -> None:
    tools = registry.tools()
    mcp_resource("one://other")(lambda: "x")
    mcp_prompt(name="one_registry_other")(lambda: "x")
    try:
        assert registry.tools() is tools  # no rebuild of every tool for a resource
    finally:
        registry.unregister("one://other", kind="resource")
        registry.unregister("one_registry_other", kind="prompt")
