"""OAuth 2.1 for /mcp with django-oauth-toolkit (drf_mcp_bridge.contrib.oauth): the
endpoint's HTTP 401/403 layer with WWW-Authenticate, audience (RFC 8707) and scope checks,
the discovery documents, and DRF permissions inside tools staying tool errors.

The full browser-less flow with the official Python SDK client (discovery, registration,
PKCE, consent, step-up) is in tests/interop/test_oauth_flow.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

pytest.importorskip("oauth2_provider")

from oauth2_provider.models import AccessToken, Application
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.conftest import rpc, tool_call
from tests.testapp.models import Customer
from tests.testapp.oauth_guarded import ReportCategories
from tests.testapp.views import CustomerViewSet

pytestmark = pytest.mark.django_db

ENDPOINT = "http://testserver/mcp/"
METADATA = "http://testserver/.well-known/oauth-protected-resource/mcp/"
OAUTH_CLASS = "drf_mcp_bridge.contrib.oauth.OAuth2Authentication"


@pytest.fixture
def oauth(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_CLASSES": [OAUTH_CLASS],
        "AUTHENTICATION_REQUIRED": True,
        "OAUTH": {"SCOPES": ["mcp"], "WRITE_SCOPES": ["mcp:write"]},
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": [
            OAUTH_CLASS,
            "rest_framework.authentication.SessionAuthentication",
            "rest_framework.authentication.TokenAuthentication",
        ],
    }
    # Views read DEFAULT_AUTHENTICATION_CLASSES when their class is defined, as in DRF.
    from rest_framework.authentication import SessionAuthentication, TokenAuthentication

    from drf_mcp_bridge.contrib.oauth import OAuth2Authentication

    classes = [OAuth2Authentication, SessionAuthentication, TokenAuthentication]
    for view in (CustomerViewSet, ReportCategories):
        monkeypatch.setattr(view, "authentication_classes", classes)


@pytest.fixture
def reports() -> Iterator[None]:
    mcp_viewset(name="reports")(ReportCategories)
    yield
    registry.unregister(ReportCategories)


def token_for(user: User, scope: str, resource: list[str] | None = None) -> str:
    application = Application.objects.get_or_create(
        name="test client",
        defaults={
            "client_type": Application.CLIENT_PUBLIC,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            "redirect_uris": "http://127.0.0.1:9/callback",
        },
    )[0]
    value = f"tok-{AccessToken.objects.count()}-{scope.replace(' ', '-')}"
    AccessToken.objects.create(
        user=user,
        application=application,
        token=value,
        scope=scope,
        expires=timezone.now() + timedelta(hours=1),
        resource=[ENDPOINT] if resource is None else resource,
    )
    return value


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def challenge(response: Any) -> dict[str, str]:
    header = response["WWW-Authenticate"]
    assert header.startswith("Bearer ")
    return dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', header))


# discovery ---------------------------------------------------------------------------


def test_protected_resource_metadata_names_the_endpoint(api: APIClient) -> None:
    document = api.get("/.well-known/oauth-protected-resource/mcp/").json()
    assert document["resource"] == ENDPOINT
    assert document["authorization_servers"] == ["http://testserver"]
    assert {"mcp", "mcp:write"} <= set(document["scopes_supported"])
    assert document["bearer_methods_supported"] == ["header"]


def test_authorization_server_metadata_offers_pkce_registration_and_cimd(api: APIClient) -> None:
    document = api.get("/.well-known/oauth-authorization-server").json()
    assert document["issuer"] == "http://testserver"
    assert document["authorization_endpoint"] == "http://testserver/o/authorize/"
    assert document["token_endpoint"] == "http://testserver/o/token/"
    assert document["registration_endpoint"] == "http://testserver/o/register/"
    assert "S256" in document["code_challenge_methods_supported"]
    assert document["client_id_metadata_document_supported"] is True
    assert "authorization_code" in document["grant_types_supported"]


# the endpoint's HTTP layer -----------------------------------------------------------


def test_no_token_is_401_pointing_at_the_metadata(oauth: None, api: APIClient) -> None:
    response = rpc(api, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
    assert response.status_code == 401
    params = challenge(response)
    assert params["resource_metadata"] == METADATA
    assert params["scope"] == "mcp"
    assert response.json()["error"]["message"].startswith("Unauthorized")


def test_unknown_token_is_401_invalid_token(oauth: None, api: APIClient) -> None:
    response = rpc(api, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, **bearer("nope"))
    assert response.status_code == 401
    assert challenge(response)["error"] == "invalid_token"


def test_token_for_another_resource_is_refused(oauth: None, api: APIClient, alice: User) -> None:
    token = token_for(alice, "mcp", resource=["https://other.example/mcp/"])
    response = rpc(api, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, **bearer(token))
    assert response.status_code == 401
    params = challenge(response)
    assert params["error"] == "invalid_token"
    assert "not valid for this resource" in params["error_description"]


def test_token_bound_to_no_resource_is_refused_unless_allowed(
    oauth: None, api: APIClient, alice: User, settings: Any
) -> None:
    token = token_for(alice, "mcp", resource=[])
    response = rpc(api, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, **bearer(token))
    assert response.status_code == 401
    params = challenge(response)
    assert params["error"] == "invalid_token"
    assert "resource parameter (RFC 8707) http://testserver/mcp/" in params["error_description"]

    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "OAUTH": {"SCOPES": ["mcp"], "REQUIRE_AUDIENCE": False},
    }
    response = rpc(api, {"jsonrpc": "2.0", "id": 1, "method": "ping"}, **bearer(token))
    assert response.status_code == 200


def test_token_without_the_endpoint_scope_is_403(oauth: None, api: APIClient, alice: User) -> None:
    token = token_for(alice, "reports")
    response = rpc(api, {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, **bearer(token))
    assert response.status_code == 403
    params = challenge(response)
    assert params["error"] == "insufficient_scope"
    assert params["scope"] == "mcp"
    assert params["resource_metadata"] == METADATA


def test_write_tools_need_the_write_scope(
    oauth: None, alice: User, data: dict[str, Any], api: APIClient
) -> None:
    reader = token_for(alice, "mcp")
    client = MCPClient()
    client.credentials(**bearer(reader))
    # Reading works with "mcp" alone, through the view's own authentication.
    listed = client.call_tool("customers_list", {})
    assert not listed.is_error
    before = Customer.objects.count()
    create = tool_call("customers_create", {"name": "Zed"}, id=2)
    response = rpc(api, create, **bearer(reader))
    assert response.status_code == 403
    params = challenge(response)
    assert params["error"] == "insufficient_scope"
    assert params["scope"] == "mcp mcp:write"
    assert "customers_create needs the scope mcp:write" in params["error_description"]
    assert Customer.objects.count() == before

    writer = token_for(alice, "mcp mcp:write")
    response = rpc(api, create, **bearer(writer))
    assert response.status_code == 200
    assert response.json()["result"].get("isError") is not True
    # The inner request authenticated as the token's user (perform_create sets the owner).
    assert Customer.objects.get(name="Zed").owner == alice


def test_a_batch_with_one_write_needs_the_write_scope(
    oauth: None, alice: User, api: APIClient, settings: Any
) -> None:
    token = token_for(alice, "mcp")
    batch = [
        {"jsonrpc": "2.0", "id": 1, "method": "ping"},
        tool_call("customers_create", {"name": "Zed"}, id=2),
    ]
    response = rpc(api, batch, **bearer(token), HTTP_MCP_PROTOCOL_VERSION="2025-03-26")
    assert response.status_code == 403
    assert not Customer.objects.filter(name="Zed").exists()


# inside tools: DRF permissions stay tool errors --------------------------------------


def test_drf_scope_permission_inside_a_tool_is_a_tool_error(
    oauth: None, reports: None, alice: User, api: APIClient
) -> None:
    client = MCPClient()
    client.credentials(**bearer(token_for(alice, "mcp")))
    result = client.call_tool("reports_list", {})
    assert result.is_error
    assert "403" in result.text or "permission" in result.text.lower()

    allowed = MCPClient()
    allowed.credentials(**bearer(token_for(alice, "mcp reports")))
    assert not allowed.call_tool("reports_list", {}).is_error


def test_per_user_list_hides_tools_the_token_cannot_use(
    oauth: None, reports: None, alice: User, settings: Any
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": True}
    without = MCPClient()
    without.credentials(**bearer(token_for(alice, "mcp")))
    assert "reports_list" not in without.tool_names()
    with_scope = MCPClient()
    with_scope.credentials(**bearer(token_for(alice, "mcp reports")))
    assert "reports_list" in with_scope.tool_names()


# REST is unchanged -------------------------------------------------------------------


def test_rest_requests_keep_django_oauth_toolkit_behaviour(
    oauth: None, alice: User, data: dict[str, Any]
) -> None:
    api_token = token_for(alice, "mcp mcp:write", resource=["http://testserver/api/"])
    rest = APIClient()
    rest.credentials(**bearer(api_token))
    created = rest.post("/api/customers/", {"name": "Rest"}, format="json")
    assert created.status_code == 201
    assert Customer.objects.get(name="Rest").owner == alice
    # The same token is not for the MCP endpoint...
    response = rpc(APIClient(), {"jsonrpc": "2.0", "id": 1, "method": "ping"}, **bearer(api_token))
    assert response.status_code == 401
    # ...and a token for the MCP endpoint is not for the REST API.
    mcp_token = token_for(alice, "mcp mcp:write")
    rest.credentials(**bearer(mcp_token))
    refused = rest.post("/api/customers/", {"name": "Nope"}, format="json")
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused["WWW-Authenticate"]
    assert not Customer.objects.filter(name="Nope").exists()


def test_check_warns_when_oauth_does_not_require_authentication(settings: Any) -> None:
    from drf_mcp_bridge.catalogue.checks import check_settings

    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_CLASSES": [OAUTH_CLASS],
    }
    assert "drf_mcp_bridge.W012" in [m.id for m in check_settings(None)]
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "AUTHENTICATION_REQUIRED": True}
    assert "drf_mcp_bridge.W012" not in [m.id for m in check_settings(None)]
