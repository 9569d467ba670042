"""Who calls the endpoint: authentication of /mcp itself, per-user tool lists, and
requirements stated in descriptions. Tool calls keep authenticating as their views do."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.conftest import rpc, tool_call
from tests.testapp.guarded import AdminCategories, ModelPermissionCategories

pytestmark = pytest.mark.django_db


@pytest.fixture
def per_user(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": True}


@pytest.fixture
def guarded() -> Iterator[None]:
    mcp_viewset(name="admin_only")(AdminCategories)
    mcp_viewset(name="model_perms")(ModelPermissionCategories)
    yield
    registry.unregister(AdminCategories)
    registry.unregister(ModelPermissionCategories)


def names(client: MCPClient) -> set[str]:
    return set(client.tool_names())


def test_anonymous_sees_only_what_it_may_use(per_user: None) -> None:
    visible = names(MCPClient())
    assert {"customers_list", "customers_retrieve", "categories_list", "kb_notes_list"} <= visible
    # IsAuthenticatedOrReadOnly writes and IsAuthenticated invoices are hidden.
    assert not visible & {"customers_create", "customers_destroy", "customers_rename"}
    assert not [n for n in visible if n.startswith("invoices_")]


def test_signed_in_users_see_more(per_user: None, alice: User, alice_token: str) -> None:
    session = MCPClient()
    session.force_login(alice)  # a browser session: no CSRF needed to list tools
    assert {"customers_create", "customers_rename"} <= names(session)
    # InvoiceViewSet takes tokens only, but the endpoint's own authentication (DRF's
    # defaults: session and token) identifies the user for the list.
    token = MCPClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    assert {"invoices_list", "invoices_create", "customers_create"} <= names(token)


def test_calling_a_hidden_tool_answers_as_rest_would(per_user: None, data: dict[str, Any]) -> None:
    result = MCPClient().call_tool("customers_create", {"name": "Sneaky"})
    rest = APIClient().post("/api/customers/", {"name": "Sneaky"}, format="json")
    assert result.is_error and f"HTTP {rest.status_code}" in result.text
    invoices = MCPClient().call_tool("invoices_list")
    assert invoices.is_error and "HTTP 401" in invoices.text  # not "unknown tool"


def test_permission_requirements_are_stated(per_user: None, guarded: None) -> None:
    root = User.objects.create_superuser("root")
    client = MCPClient()
    client.force_authenticate(root)
    tools = {t["name"]: t for t in client.tools_list()}
    assert tools["admin_only_list"]["description"].endswith("Requires staff.")
    assert tools["model_perms_create"]["description"].endswith(
        "Requires the permission testapp.add_category."
    )
    assert tools["customers_create"]["description"].endswith("Requires a signed-in user.")
    assert "Requires" not in tools["customers_list"]["description"]
    # Who sees what follows has_permission for each action.
    perms = User.objects.create_user("perms")
    perms.user_permissions.set(Permission.objects.filter(codename="add_category"))
    limited = MCPClient()
    limited.force_authenticate(perms)
    visible = names(limited)
    assert "model_perms_create" in visible and "model_perms_destroy" not in visible
    assert not [n for n in visible if n.startswith("admin_only_")]
    staff = MCPClient()
    staff.force_authenticate(User.objects.create_user("staffer", is_staff=True))
    assert "admin_only_destroy" in names(staff)


def test_everything_visible_when_per_user_lists_are_off(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": False}
    assert "invoices_create" in names(MCPClient())


@pytest.fixture
def required(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "AUTHENTICATION_REQUIRED": True}


PING = {"jsonrpc": "2.0", "id": 1, "method": "ping"}


def test_required_authentication_answers_401_with_www_authenticate(
    required: None, client: Any, alice_token: str
) -> None:
    missing = rpc(client, PING)
    assert missing.status_code == 401
    assert missing["WWW-Authenticate"] == "Token"  # TokenAuthentication's header
    assert missing.json()["error"]["message"].startswith("Unauthorized")
    bad = rpc(client, PING, HTTP_AUTHORIZATION="Token wrong")
    assert bad.status_code == 401 and "Invalid token" in bad.json()["error"]["message"]
    good = rpc(client, PING, HTTP_AUTHORIZATION=f"Token {alice_token}")
    assert good.status_code == 200 and good.json()["result"] == {}


def test_bad_credentials_without_requirement_are_401_as_over_rest(client: Any) -> None:
    # Refused credentials are not anonymous (that hid tools behind "tool not found"): the
    # endpoint answers them as REST does, HTTP 401 with the refusing class's header.
    for message in (
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "invoices_list"}},
    ):
        refused = rpc(client, message, HTTP_AUTHORIZATION="Token wrong")
        assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
        assert refused.json()["error"]["message"] == "Unauthorized: Invalid token."
    # Without credentials the caller is anonymous: the view's 401 is a tool error.
    called = rpc(
        client,
        {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "invoices_list"}},
    )
    assert called.status_code == 200 and called.json()["result"]["isError"] is True


def test_basic_authentication_for_the_endpoint_and_the_views(
    settings: Any, client: Any, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.authentication import BasicAuthentication

    from tests.testapp.views import CustomerViewSet

    # DRF reads DEFAULT_AUTHENTICATION_CLASSES when a view class is defined.
    monkeypatch.setattr(CustomerViewSet, "authentication_classes", [BasicAuthentication])
    alice.set_password("pw")
    alice.save()
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_REQUIRED": True,
        "AUTHENTICATION_CLASSES": ["rest_framework.authentication.BasicAuthentication"],
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.BasicAuthentication"],
    }
    missing = rpc(client, PING)
    assert missing.status_code == 401 and missing["WWW-Authenticate"] == 'Basic realm="api"'
    basic = "Basic " + base64.b64encode(b"alice:pw").decode()
    created = rpc(
        client,
        tool_call("customers_create", {"name": "Via Basic"}, id=3),
        HTTP_AUTHORIZATION=basic,
    )
    result = created.json()["result"]
    assert not result.get("isError"), result
    assert result["structuredContent"]["owner"] == "alice"


def test_jwt_authentication(
    settings: Any, client: Any, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("rest_framework_simplejwt")
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.tokens import AccessToken

    from tests.testapp.views import CustomerViewSet

    monkeypatch.setattr(CustomerViewSet, "authentication_classes", [JWTAuthentication])
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": [
            "rest_framework_simplejwt.authentication.JWTAuthentication"
        ],
    }
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_REQUIRED": True,
        "PER_USER_TOOLS": True,
    }
    missing = rpc(client, PING)
    assert missing.status_code == 401 and missing["WWW-Authenticate"].startswith("Bearer")
    bearer = f"Bearer {AccessToken.for_user(alice)}"
    listed = rpc(
        client, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, HTTP_AUTHORIZATION=bearer
    )
    names_ = {t["name"] for t in listed.json()["result"]["tools"]}
    assert "customers_create" in names_
    created = rpc(
        client,
        tool_call("customers_create", {"name": "Via JWT"}, id=2),
        HTTP_AUTHORIZATION=bearer,
    )
    result = created.json()["result"]
    assert not result.get("isError"), result
    assert result["structuredContent"]["owner"] == "alice"
    rest = APIClient().post(
        "/api/customers/", {"name": "REST JWT"}, format="json", HTTP_AUTHORIZATION=bearer
    )
    assert rest.status_code == 201 and rest.json()["owner"] == "alice"
