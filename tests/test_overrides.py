"""MCP-only overrides: the assistant gets less than a REST client, REST is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework import permissions, serializers, throttling
from rest_framework.test import APIClient

from drf_mcp_bridge import is_mcp_request, mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Customer
from tests.testapp.views import PlainCustomerViewSet

pytestmark = pytest.mark.django_db


class PublicCustomerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Customer
        fields = ["id", "name", "tier"]


class AssistantThrottle(throttling.UserRateThrottle):
    scope = "assistant"
    THROTTLE_RATES = {"assistant": "4/minute"}


def not_vip(queryset: Any, request: Any) -> Any:
    assert is_mcp_request(request)
    return queryset.filter(vip=False)


@pytest.fixture
def assistant_view() -> Iterator[None]:
    # PlainCustomerViewSet is routed at /api/plain-customers/ and read-write over REST.
    mcp_viewset(
        name="crm",
        actions=["list", "retrieve", "partial_update", "destroy"],
        serializer_class=PublicCustomerSerializer,
        permission_classes=[permissions.IsAuthenticated],
        throttle_classes=[AssistantThrottle],
        filter_queryset=not_vip,
        overrides={"destroy": {"permission_classes": [permissions.IsAdminUser]}},
    )(PlainCustomerViewSet)
    cache.clear()
    yield
    registry.unregister(PlainCustomerViewSet)
    cache.clear()


@pytest.fixture
def as_alice(alice: User) -> MCPClient:
    client = MCPClient()
    client.force_authenticate(alice)
    return client


def test_schemas_describe_the_mcp_serializer(assistant_view: None) -> None:
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    item = tools["crm_retrieve"]["outputSchema"]
    assert set(item["properties"]) == {"id", "name", "tier"}
    assert set(tools["crm_partial_update"]["inputSchema"]["properties"]) == {"pk", "name", "tier"}


def test_field_restricted_and_filtered_for_the_assistant(
    assistant_view: None, data: dict[str, Any], as_alice: MCPClient, alice: User
) -> None:
    Customer.objects.filter(pk=data["a2"].pk).update(vip=True)
    listed = as_alice.call_tool("crm_list").structured
    assert listed is not None
    assert [c["id"] for c in listed["results"]] == [data["a1"].pk, data["b1"].pk]  # no VIP
    assert set(listed["results"][0]) == {"id", "name", "tier"}
    hidden = as_alice.call_tool("crm_retrieve", {"pk": data["a2"].pk})
    assert hidden.is_error and "HTTP 404" in hidden.text
    # A field outside the MCP serializer is refused before it reaches the view.
    sneaky = as_alice.call_tool("crm_partial_update", {"pk": data["a1"].pk, "vip": True})
    assert sneaky.is_error and "Unknown argument(s): vip" in sneaky.text

    rest = APIClient()
    rest.force_authenticate(alice)
    full = rest.get("/api/plain-customers/").json()
    assert len(full["results"]) == 3 and "credit_limit" in full["results"][0]
    assert rest.get(f"/api/plain-customers/{data['a2'].pk}/").status_code == 200


def test_per_action_permissions(
    assistant_view: None, data: dict[str, Any], as_alice: MCPClient, alice: User
) -> None:
    refused = as_alice.call_tool("crm_destroy", {"pk": data["a1"].pk})
    assert refused.is_error and "HTTP 403" in refused.text
    assert Customer.objects.filter(pk=data["a1"].pk).exists()
    anonymous = MCPClient().call_tool("crm_list")
    assert anonymous.is_error  # IsAuthenticated for the assistant; REST lists for anyone
    assert APIClient().get("/api/plain-customers/").status_code == 200
    rest = APIClient()
    rest.force_authenticate(alice)
    assert rest.delete(f"/api/plain-customers/{data['a1'].pk}/").status_code == 204


def test_rate_limited_for_the_assistant_only(
    assistant_view: None, data: dict[str, Any], as_alice: MCPClient, alice: User
) -> None:
    for _ in range(4):
        assert not as_alice.call_tool("crm_list").is_error
    throttled = as_alice.call_tool("crm_list")
    assert throttled.is_error and "HTTP 429" in throttled.text
    rest = APIClient()
    rest.force_authenticate(alice)
    assert all(rest.get("/api/plain-customers/").status_code == 200 for _ in range(6))


def test_rest_answers_are_identical_with_overrides_registered(
    assistant_view: None, data: dict[str, Any], alice: User
) -> None:
    rest = APIClient()
    rest.force_authenticate(alice)
    with_overrides = rest.get("/api/plain-customers/").content
    registry.unregister(PlainCustomerViewSet)
    assert rest.get("/api/plain-customers/").content == with_overrides
