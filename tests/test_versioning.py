"""Versioning: MCP calls get the version REST clients get by default, a registration can
pin another one, and the schemas follow the serializer that version selects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Customer
from tests.testapp.versioned import SCHEMES, ByHost

pytestmark = pytest.mark.django_db

REST_V2 = {
    "path": ("/api/v2/by-path/", {}),
    "namespace": ("/api/v2/by-namespace/", {}),
    "query": ("/api/by-query/?version=v2", {}),
    "accept": ("/api/by-accept/", {"HTTP_ACCEPT": "application/json; version=v2"}),
}
REST_V1 = {
    "path": ("/api/v1/by-path/", {}),
    "namespace": ("/api/v1/by-namespace/", {}),
    "query": ("/api/by-query/", {}),
    "accept": ("/api/by-accept/", {}),
}


@pytest.fixture
def urlconf(settings: Any) -> Iterator[None]:
    settings.ROOT_URLCONF = "tests.versioning_urls"
    registry.invalidate()
    yield
    for viewset in SCHEMES.values():
        registry.unregister(viewset)


@pytest.fixture
def ann(alice: User) -> Customer:
    return Customer.objects.create(owner=alice, name="Ann", tier="pro")


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_default_version_is_the_schemes_default(urlconf: None, ann: Customer, scheme: str) -> None:
    mcp_viewset(name=f"{scheme}_v")(SCHEMES[scheme])
    mcp = MCPClient()
    tool = {t["name"]: t for t in mcp.tools_list()}[f"{scheme}_v_list"]
    assert set(tool["outputSchema"]["properties"]["results"]["items"]["properties"]) == {
        "id",
        "name",
    }
    url, headers = REST_V1[scheme]
    rest = APIClient().get(url, **headers).json()
    result = mcp.call_tool(f"{scheme}_v_list")
    assert result.structured == {"results": rest} == {"results": [{"id": ann.pk, "name": "Ann"}]}


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_pinned_version_selects_its_serializer(urlconf: None, ann: Customer, scheme: str) -> None:
    mcp_viewset(name=f"{scheme}_v", version="v2")(SCHEMES[scheme])
    mcp = MCPClient()
    tool = {t["name"]: t for t in mcp.tools_list()}[f"{scheme}_v_retrieve"]
    assert set(tool["outputSchema"]["properties"]) == {"id", "name", "tier"}
    url, headers = REST_V2[scheme]
    rest = APIClient().get(url, **headers).json()
    assert rest == [{"id": ann.pk, "name": "Ann", "tier": "pro"}]
    assert mcp.call_tool(f"{scheme}_v_list").structured == {"results": rest}
    one = mcp.call_tool(f"{scheme}_v_retrieve", {"pk": ann.pk})
    assert one.structured == rest[0]


def test_host_name_version_comes_from_the_host_the_client_called(
    urlconf: None, ann: Customer, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "v2.example.com"]
    mcp_viewset(name="host_v")(ByHost)
    try:
        mcp = MCPClient(HTTP_HOST="v2.example.com")
        rest = APIClient(HTTP_HOST="v2.example.com").get("/api/by-host/").json()
        assert rest == [{"id": ann.pk, "name": "Ann", "tier": "pro"}]
        assert mcp.call_tool("host_v_list").structured == {"results": rest}
        # Elsewhere the scheme's default version.
        assert MCPClient().call_tool("host_v_list").structured == {
            "results": [{"id": ann.pk, "name": "Ann"}]
        }
    finally:
        registry.unregister(ByHost)
