"""DRF's OPTIONS metadata as an opt-in tool, and caching headers in the result's _meta."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.listing import CachedCustomers
from tests.testapp.models import Customer
from tests.testapp.views import PlainCustomerViewSet

pytestmark = pytest.mark.django_db


@pytest.fixture
def exposed() -> Iterator[None]:
    mcp_viewset(name="plain", metadata=True, actions=["list", "metadata"])(PlainCustomerViewSet)
    mcp_viewset(name="cached")(CachedCustomers)
    yield
    registry.unregister(PlainCustomerViewSet)
    registry.unregister(CachedCustomers)


def test_metadata_tool_answers_what_options_answers(exposed: None, alice: User) -> None:
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    tool = tools["plain_metadata"]
    assert tool["annotations"]["readOnlyHint"] is True
    assert "fields creating accepts" in tool["description"]
    assert "properties" not in tool["inputSchema"] and "outputSchema" not in tool

    for user in (None, alice):
        mcp, rest = MCPClient(), APIClient()
        if user:
            mcp.force_authenticate(user)
            rest.force_authenticate(user)
        over_mcp = json.loads(mcp.call_tool("plain_metadata").content[0]["text"])
        assert over_mcp == rest.options("/api/plain-customers/").json()
        # Only a user who may create is told the fields (DRF's SimpleMetadata).
        assert ("actions" in over_mcp) is (user is not None)
    fields = over_mcp["actions"]["POST"]
    assert fields["name"]["required"] is True and fields["name"]["max_length"] == 100


def test_metadata_is_opt_in(exposed: None) -> None:
    assert "customers_metadata" not in registry.tools()


def test_caching_headers_are_kept_in_meta(exposed: None, alice: User) -> None:
    ann = Customer.objects.create(owner=alice, name="Ann")
    mcp = MCPClient()
    result = mcp.call_tool("cached_retrieve", {"pk": ann.pk})
    assert result.raw["_meta"] == {
        "http": {
            "status": 200,
            "headers": {"ETag": '"customers-v1"', "Cache-Control": "max-age=60"},
        }
    }
    rest = APIClient().get(f"/api/list-cached/{ann.pk}/")
    assert rest["ETag"] == '"customers-v1"'
    # Responses without such headers get no _meta at all.
    plain = mcp.call_tool("customers_retrieve", {"pk": ann.pk})
    assert "_meta" not in plain.raw
    # An error carries no cache metadata.
    missing = mcp.call_tool("cached_retrieve", {"pk": 999})
    assert missing.is_error and "_meta" not in missing.raw
