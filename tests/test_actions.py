"""@action methods as tools: names, schemas, annotations, calls, overrides."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_action, mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer, Note

pytestmark = pytest.mark.django_db


@pytest.fixture
def tools(mcp: MCPClient) -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool for tool in mcp.tools_list()}


@pytest.fixture
def as_alice(alice: User) -> MCPClient:
    client = MCPClient()
    client.force_authenticate(alice)
    return client


def test_action_schema_comes_from_its_serializer_class(tools: dict[str, Any]) -> None:
    rename = tools["customers_rename"]
    assert rename["description"] == (
        "Rename a customer; the reason is kept in the notes. Requires a signed-in user."
    )
    assert rename["title"] == "Rename"
    schema = rename["inputSchema"]
    assert set(schema["properties"]) == {"pk", "name", "reason"}  # RenameSerializer, not Customer
    assert schema["required"] == ["pk", "name"]
    assert schema["properties"]["name"]["description"] == "The new name."
    # An @action answers whatever its code returns: no output schema unless declared.
    assert "outputSchema" not in rename
    assert rename["annotations"]["readOnlyHint"] is False


def test_several_methods_give_one_tool_each(tools: dict[str, Any]) -> None:
    get, post = tools["customers_flag_get"], tools["customers_flag_post"]
    assert (get["title"], post["title"]) == ("Flag (GET)", "Flag (POST)")
    assert get["description"] == "Flag (GET flag) on a customer by pk."
    assert get["annotations"]["readOnlyHint"] is True
    assert post["annotations"]["readOnlyHint"] is False
    # @mcp_action(input_schema=...) replaced the body; the lookup is still there.
    assert post["inputSchema"]["properties"] == {"pk": {"type": "integer"}}
    unflag = tools["customers_unflag"]
    assert unflag["description"] == ("Take the VIP flag off a customer. Requires a signed-in user.")
    assert unflag["annotations"]["destructiveHint"] is True
    assert unflag["annotations"]["idempotentHint"] is True


def test_mcp_action_overrides_and_exclusion(tools: dict[str, Any]) -> None:
    stats = tools["customer_stats"]
    assert stats["description"] == "How many customers there are, by tier."
    assert stats["outputSchema"]["required"] == ["total", "by_tier"]
    assert not any("reset_all" in name for name in tools)


def test_listing_action_takes_list_parameters(tools: dict[str, Any]) -> None:
    vips = tools["customers_vips"]
    assert set(vips["inputSchema"]["properties"]) == {"page", "page_size"}
    assert set(vips["outputSchema"]["properties"]) == {"count", "next", "previous", "results"}


def test_calls_match_rest(data: dict[str, Any], alice: User, as_alice: MCPClient) -> None:
    a1 = data["a1"]
    result = as_alice.call_tool("customers_rename", {"pk": a1.pk, "name": "Annie", "reason": "x"})
    assert not result.is_error, result.text
    assert result.json()["name"] == "Annie"
    a1.refresh_from_db()
    assert (a1.name, a1.notes) == ("Annie", "Renamed: x")

    rest = APIClient()
    rest.force_authenticate(alice)
    over_rest = rest.post(f"/api/customers/{a1.pk}/flag/", format="json")
    Customer.objects.filter(pk=a1.pk).update(vip=False)
    over_mcp = as_alice.call_tool("customers_flag_post", {"pk": a1.pk})
    assert over_mcp.json() == over_rest.json() == {"id": a1.pk, "vip": True}
    assert as_alice.call_tool("customers_flag_get", {"pk": a1.pk}).json()["vip"] is True
    assert "HTTP 204" in as_alice.call_tool("customers_unflag", {"pk": a1.pk}).text
    assert Customer.objects.get(pk=a1.pk).vip is False

    stats = as_alice.call_tool("customer_stats")
    assert stats.structured == rest.get("/api/customers/stats/summary/").json()


def test_action_errors_are_tool_errors(data: dict[str, Any], as_alice: MCPClient) -> None:
    missing = as_alice.call_tool("customers_rename", {"pk": data["a1"].pk})
    assert missing.is_error and "name" in missing.text and "HTTP 400" in missing.text
    other_users = as_alice.call_tool("customers_rename", {"pk": data["b1"].pk, "name": "Mine"})
    assert other_users.is_error and "HTTP 403" in other_users.text
    assert Customer.objects.get(pk=data["b1"].pk).name == "Bea"
    anonymous = MCPClient().call_tool("customers_rename", {"pk": data["a1"].pk, "name": "Z"})
    assert anonymous.is_error
    unknown = as_alice.call_tool("customers_flag_post", {"pk": data["a1"].pk, "vip": False})
    assert unknown.is_error and "Unknown argument(s): vip" in unknown.text


def test_listing_action_paginates_like_rest(
    data: dict[str, Any], alice: User, as_alice: MCPClient
) -> None:
    for i in range(7):
        Customer.objects.create(owner=alice, name=f"V{i}", vip=True)
    rest = APIClient().get("/api/customers/vips/?page=2&page_size=3").json()
    mcp = as_alice.call_tool("customers_vips", {"page": 2, "page_size": 3}).structured
    assert [c["id"] for c in mcp["results"]] == [c["id"] for c in rest["results"]]
    assert mcp["count"] == rest["count"] == 7


class NudgeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField(max_length=50)


class UnroutedViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    """Categories reachable only through MCP (no router)."""

    queryset = Category.objects.order_by("id")
    serializer_class = serializers.Serializer

    @action(detail=True, methods=["post"], serializer_class=NudgeSerializer, url_path="nudge-it")
    def nudge(self, request: Any, pk: Any = None) -> Response:
        """Send a nudge about a category."""
        category = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"category": category.name, "said": serializer.validated_data["message"]})


def test_unrouted_viewset_actions_run_with_their_initkwargs(mcp: MCPClient) -> None:
    category = Category.objects.create(name="Books")
    mcp_viewset(name="unrouted")(UnroutedViewSet)
    try:
        tool = {t["name"]: t for t in mcp.tools_list()}["unrouted_nudge"]
        assert set(tool["inputSchema"]["properties"]) == {"pk", "message"}
        result = mcp.call_tool("unrouted_nudge", {"pk": category.pk, "message": "hi"})
        assert not result.is_error, result.text
        assert result.json() == {"category": "Books", "said": "hi"}
        invalid = mcp.call_tool("unrouted_nudge", {"pk": category.pk, "message": "x" * 51})
        assert invalid.is_error and "message" in invalid.text
    finally:
        registry.unregister(UnroutedViewSet)


def test_actions_and_exclude_take_action_keys() -> None:
    mcp_viewset(name="unrouted", actions=["list", "nudge"], exclude=["list"])(UnroutedViewSet)
    try:
        names = [n for n in registry.tools() if n.startswith("unrouted_")]
        assert names == ["unrouted_nudge"]
        assert not [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.E004"]
        mcp_viewset(name="unrouted", exclude=["nudge_it"])(UnroutedViewSet)
        errors = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.E004"]
        assert len(errors) == 1 and "nudge_it" in errors[0].msg and "nudge" in errors[0].hint
    finally:
        registry.unregister(UnroutedViewSet)


def test_mcp_action_below_action_works_too() -> None:
    class Below(viewsets.ViewSet):
        @action(detail=False)
        @mcp_action(title="Ping the service", annotations={"idempotentHint": True})
        def ping(self, request: Any) -> Response:
            return Response({"ok": True})

    mcp_viewset(name="below")(Below)
    try:
        tool = registry.get_tool("below_ping")
        assert tool is not None
        definition = tool.definition()
        assert definition["title"] == "Ping the service"
        assert definition["annotations"]["idempotentHint"] is True
        assert definition["annotations"]["readOnlyHint"] is True
    finally:
        registry.unregister(Below)


class PlainNotes(viewsets.ViewSet):
    """Notes from a plain ViewSet: hand-written methods, no serializer."""

    def list(self, request: Any) -> Response:
        return Response([{"slug": n.slug} for n in Note.objects.order_by("id")])

    def retrieve(self, request: Any, pk: Any = None) -> Response:
        note = Note.objects.filter(pk=pk).first()
        if note is None:
            return Response({"detail": "No such note."}, status=404)
        return Response({"slug": note.slug, "text": note.text})

    @mcp_action(
        input_schema={
            "type": "object",
            "properties": {"slug": {"type": "string"}, "text": {"type": "string"}},
            "required": ["slug", "text"],
        }
    )
    def create(self, request: Any) -> Response:
        note = Note.objects.create(slug=request.data["slug"], text=request.data["text"])
        return Response({"id": note.pk}, status=201)


class UndescribedNotes(viewsets.ViewSet):
    def create(self, request: Any) -> Response:
        return Response(status=201)


def test_plain_viewset_with_declared_schema() -> None:
    mcp_viewset(name="plain_notes")(PlainNotes)
    try:
        mcp = MCPClient()
        tools = {t["name"]: t for t in mcp.tools_list()}
        assert [n for n in tools if n.startswith("plain_notes_")] == [
            "plain_notes_list",
            "plain_notes_retrieve",
            "plain_notes_create",
        ]
        assert tools["plain_notes_create"]["inputSchema"]["required"] == ["slug", "text"]
        assert "outputSchema" not in tools["plain_notes_list"]  # nothing describes it
        created = mcp.call_tool("plain_notes_create", {"slug": "s", "text": "T"})
        assert not created.is_error, created.text
        pk = created.json()["id"]
        assert mcp.call_tool("plain_notes_retrieve", {"pk": pk}).json() == {
            "slug": "s",
            "text": "T",
        }
        assert mcp.call_tool("plain_notes_list").json() == {"results": [{"slug": "s"}]}
        missing = mcp.call_tool("plain_notes_retrieve", {"pk": 999})
        assert missing.is_error and "No such note." in missing.text
        assert not [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W033"]
    finally:
        registry.unregister(PlainNotes)


def test_viewset_body_without_serializer_or_schema_is_a_check_warning() -> None:
    mcp_viewset(name="undescribed")(UndescribedNotes)
    try:
        found = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W033"]
        assert len(found) == 1 and found[0].level == checks.WARNING
        assert "UndescribedNotes.create takes a body" in found[0].msg
    finally:
        registry.unregister(UndescribedNotes)


class BrokenSchema(viewsets.ViewSet):
    @mcp_action(input_schema={"type": "object", "properties": "not-an-object"})
    @action(detail=False)
    def broken(self, request: Any) -> Response:
        return Response({})

    @action(detail=False)
    def fine(self, request: Any) -> Response:
        return Response({})


def test_one_broken_tool_does_not_take_tools_list_down(caplog: Any) -> None:
    mcp_viewset(name="brk")(BrokenSchema)
    try:
        with caplog.at_level("WARNING", logger="drf_mcp_bridge"):
            names = MCPClient().tool_names()
        assert "brk_fine" in names and "brk_broken" not in names
        assert "customers_list" in names
        assert "Tool 'brk_broken' left out of tools/list" in caplog.text
        assert not [r for r in caplog.records if r.levelname == "ERROR"]
        found = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W020"]
        assert len(found) == 1 and "brk_broken" in found[0].msg
        assert found[0].level == checks.WARNING
    finally:
        registry.unregister(BrokenSchema)
