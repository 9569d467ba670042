"""APIView and generic views as tools (@mcp_view)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from drf_mcp_bridge import mcp_view
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.apiviews import CustomerDetail, CustomerListCreate, StatusView
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db

NAMES = [
    "v2_customers_list",
    "v2_customers_create",
    "v2_customers_get",
    "v2_customers_update",
    "v2_customers_patch",
    "v2_customers_delete",
    "status_get",
    "status_echo",
]


@pytest.fixture
def exposed() -> Iterator[None]:
    mcp_view({"get": "v2_customers_list", "post": "v2_customers_create"})(CustomerListCreate)
    mcp_view(
        {
            "get": "v2_customers_get",
            "put": "v2_customers_update",
            "patch": "v2_customers_patch",
            "delete": "v2_customers_delete",
        }
    )(CustomerDetail)
    mcp_view(
        {"get": "status_get", "post": "status_echo"},
        input_schemas={
            "post": {
                "type": "object",
                "properties": {"message": {"type": "string"}},
                "required": ["message"],
            }
        },
        output_schemas={
            "get": {
                "type": "object",
                "properties": {"ok": {"type": "boolean"}, "user": {"type": ["string", "null"]}},
                "required": ["ok", "user"],
            }
        },
    )(StatusView)
    yield
    for name in NAMES:
        registry.unregister(name)


@pytest.fixture
def tools(exposed: None) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in MCPClient().tools_list()}


def test_generic_views_describe_themselves(tools: dict[str, Any]) -> None:
    listing = tools["v2_customers_list"]
    assert listing["description"] == "Customers, version 2 of the API."
    assert set(listing["inputSchema"]["properties"]) == {"page"}
    assert set(listing["outputSchema"]["properties"]) == {"count", "next", "previous", "results"}
    assert listing["annotations"]["readOnlyHint"] is True
    create = tools["v2_customers_create"]["inputSchema"]
    assert create["required"] == ["name"]
    detail = tools["v2_customers_get"]["inputSchema"]
    assert detail["properties"] == {"pk": {"type": "integer"}}  # from <int:pk>
    assert detail["required"] == ["pk"]
    assert tools["v2_customers_patch"]["inputSchema"]["required"] == ["pk"]
    assert tools["v2_customers_update"]["inputSchema"]["required"] == ["pk", "name"]
    assert "outputSchema" not in tools["v2_customers_delete"]
    assert tools["v2_customers_delete"]["annotations"]["destructiveHint"] is True


def test_plain_apiview_with_declared_schemas(tools: dict[str, Any]) -> None:
    assert tools["status_get"]["description"] == "Whether the service is up, and who is asking."
    assert tools["status_echo"]["description"] == "Echo a message back."
    assert tools["status_echo"]["inputSchema"]["required"] == ["message"]
    assert "outputSchema" not in tools["status_echo"]


def test_calls_match_rest(exposed: None, alice: User) -> None:
    mcp, rest = MCPClient(), APIClient()
    mcp.force_authenticate(alice)
    rest.force_authenticate(alice)
    created = mcp.call_tool("v2_customers_create", {"name": "Ann"})
    assert not created.is_error, created.text
    pk = created.json()["id"]
    assert Customer.objects.get(pk=pk).owner == alice
    for i in range(4):  # five customers, two per page: page 2 has a next page
        Customer.objects.create(owner=alice, name=f"C{i}")
    page = mcp.call_tool("v2_customers_list", {"page": 2})
    assert page.structured == rest.get("/api/v2/customers/?page=2").json()
    assert 'More results: call v2_customers_list with {"page": 3}.' in page.text
    got = mcp.call_tool("v2_customers_get", {"pk": pk})
    assert got.json() == rest.get(f"/api/v2/customers/{pk}/").json()
    patched = mcp.call_tool("v2_customers_patch", {"pk": pk, "vip": True})
    assert patched.json()["vip"] is True
    deleted = mcp.call_tool("v2_customers_delete", {"pk": pk})
    assert "HTTP 204" in deleted.text and not Customer.objects.filter(pk=pk).exists()
    assert mcp.call_tool("status_get").structured == {"ok": True, "user": "alice"}
    assert mcp.call_tool("status_echo", {"message": "hi"}).json() == {"echo": "hi"}


def test_errors(exposed: None) -> None:
    mcp = MCPClient()
    assert "HTTP 404" in mcp.call_tool("v2_customers_get", {"pk": 999}).text
    anonymous = mcp.call_tool("v2_customers_create", {"name": "X"})
    assert anonymous.is_error and ("HTTP 401" in anonymous.text or "HTTP 403" in anonymous.text)
    missing = mcp.call_tool("v2_customers_get", {})
    assert missing.is_error and "Missing required argument(s): pk" in missing.text
    bad = mcp.call_tool("v2_customers_get", {"pk": "abc"})
    assert bad.is_error and "URL pattern" in bad.text
    unknown = mcp.call_tool("status_get", {"verbose": True})
    assert unknown.is_error and "Unknown argument(s): verbose" in unknown.text
    wrong = mcp.call_tool("status_echo", {"message": 3})
    assert wrong.is_error and "HTTP 400" in wrong.text


class Unrouted(APIView):
    def post(self, request: Any) -> Response:
        return Response({})


def test_checks_for_views_without_route_or_schema() -> None:
    mcp_view({"post": "unrouted_post", "get": "unrouted_get"})(Unrouted)
    try:
        found = [m for m in checks.run_checks() if "nrouted" in str(m.msg)]
        # Problems of single tools are warnings: they never stop runserver or migrate.
        assert sorted(m.id for m in found) == [
            "drf_mcp_bridge.W030",
            "drf_mcp_bridge.W031",
            "drf_mcp_bridge.W031",
            "drf_mcp_bridge.W032",
        ]
        assert {m.level for m in found} == {checks.WARNING}
        result = MCPClient().call_tool("unrouted_post")
        assert result.is_error and "not in the URLconf" in result.text
    finally:
        registry.unregister("unrouted_post")
        registry.unregister("unrouted_get")


@pytest.fixture
def export() -> Iterator[None]:
    from tests.testapp.apiviews import ExportView

    kinds = {"type": "string", "enum": ["csv", "png", "file", "huge"]}
    schema = {"type": "object", "properties": {"kind": kinds}}
    mcp_view({"get": "export_get"}, input_schemas={"get": schema})(ExportView)
    yield
    registry.unregister("export_get")


@pytest.mark.usefixtures("export")
def test_file_downloads_become_content_blocks(mcp: MCPClient) -> None:
    import base64

    csv = mcp.call_tool("export_get", {"kind": "csv"})
    assert not csv.is_error
    assert csv.content == [
        {
            "type": "resource",
            "resource": {
                "uri": "attachment://items.csv",
                "mimeType": "text/csv",
                "text": "0,item 0\n1,item 1\n2,item 2\n",
            },
        }
    ]
    png = mcp.call_tool("export_get", {"kind": "png"})
    assert png.content == [
        {
            "type": "image",
            "data": base64.b64encode(b"\x89PNG\r\n\x1a\nfake").decode(),
            "mimeType": "image/png",
        }
    ]
    blob = mcp.call_tool("export_get", {"kind": "file"})
    (block,) = blob.content
    assert block["resource"]["uri"] == "attachment://data.bin"
    assert base64.b64decode(block["resource"]["blob"]) == b"\x00\x01binary"


@pytest.mark.usefixtures("export")
def test_huge_streams_are_refused_without_reading_them(mcp: MCPClient, settings: Any) -> None:
    from tests.testapp.apiviews import ExportView

    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "MAX_FILE_RESULT_SIZE": 100_000}
    result = mcp.call_tool("export_get", {"kind": "huge"})
    assert result.is_error
    assert "over the limit of 100000 bytes" in result.text
    # Two 64 KiB chunks were read, not 640 MB.
    assert ExportView.produced == 2 * 65536
