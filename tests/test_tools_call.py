"""tools/call runs the real DRF view: results, errors, auth, throttles, transactions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import transaction
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient, MCPError, ToolResult
from tests.testapp.models import Category, Customer

pytestmark = pytest.mark.django_db


def assert_matches_output_schema(name: str, result: ToolResult) -> None:
    """Every structuredContent in the suite is validated against its outputSchema."""
    schema = registry.get_tool(name).output_schema()  # type: ignore[union-attr]
    assert schema is not None
    assert result.structured is not None
    Draft202012Validator(schema).validate(result.structured)
    assert json.loads(result.content[0]["text"]) == result.structured


def test_list_paginated(mcp: MCPClient, data: dict[str, Any]) -> None:
    result = mcp.call_tool("customers_list")
    assert not result.is_error
    assert result.structured is not None
    assert result.structured["count"] == 3
    assert [c["name"] for c in result.structured["results"]] == ["Ann", "Abe", "Bea"]
    assert_matches_output_schema("customers_list", result)


def test_list_page_arguments_become_query_parameters(mcp: MCPClient, alice: User) -> None:
    for i in range(7):
        Customer.objects.create(owner=alice, name=f"c{i}")
    first = mcp.call_tool("customers_list", {"page_size": 3})
    assert first.structured is not None
    assert len(first.structured["results"]) == 3
    assert first.structured["next"] == "http://testserver/api/customers/?page=2&page_size=3"
    third = mcp.call_tool("customers_list", {"page": 3, "page_size": 3})
    assert third.structured is not None
    assert [c["name"] for c in third.structured["results"]] == ["c6"]
    bad = mcp.call_tool("customers_list", {"page": 99})
    assert bad.is_error
    assert "Invalid page" in bad.text


def test_unpaginated_list_is_wrapped_in_results(mcp: MCPClient, data: dict[str, Any]) -> None:
    result = mcp.call_tool("categories_list")
    assert result.structured == {"results": [{"id": data["books"].pk, "name": "books"}]}
    assert_matches_output_schema("categories_list", result)


def test_retrieve_with_custom_lookup_field(mcp: MCPClient, data: dict[str, Any]) -> None:
    result = mcp.call_tool("kb_notes_retrieve", {"slug": "hello"})
    assert result.structured == {"id": data["note"].pk, "text": "Hello", "slug": "hello"}
    assert_matches_output_schema("kb_notes_retrieve", result)


def test_crud_round_trip(mcp: MCPClient, alice: User) -> None:
    mcp.force_authenticate(alice)
    created = mcp.call_tool(
        "customers_create", {"name": "Cy", "tier": "pro", "credit_limit": 10.5, "secret": "s"}
    )
    assert not created.is_error, created.text
    assert created.structured is not None
    assert created.structured["owner"] == "alice"
    assert created.structured["credit_limit"] == "10.50"
    assert "secret" not in created.structured
    assert_matches_output_schema("customers_create", created)
    pk = created.structured["id"]

    updated = mcp.call_tool("customers_partial_update", {"pk": pk, "vip": True})
    assert updated.structured is not None and updated.structured["vip"] is True
    assert updated.structured["tier"] == "pro"

    replaced = mcp.call_tool("customers_update", {"pk": pk, "name": "Cyrus"})
    assert replaced.structured is not None and replaced.structured["name"] == "Cyrus"
    assert_matches_output_schema("customers_update", replaced)

    deleted = mcp.call_tool("customers_destroy", {"pk": pk})
    assert not deleted.is_error
    assert "204" in deleted.text
    assert deleted.structured is None
    assert not Customer.objects.filter(pk=pk).exists()

    gone = mcp.call_tool("customers_retrieve", {"pk": pk})
    assert gone.is_error
    assert "404" in gone.text


def test_validation_errors_are_tool_errors_with_field_messages(mcp: MCPClient, alice: User) -> None:
    mcp.force_authenticate(alice)
    result = mcp.call_tool("customers_create", {"name": "", "tier": "gold", "email": "nope"})
    assert result.is_error
    assert result.structured is None
    assert "HTTP 400" in result.text
    errors = json.loads(result.content[1]["text"])
    assert set(errors) == {"name", "tier", "email"}
    assert '"gold" is not a valid choice.' in errors["tier"]
    # The model fixes its arguments and retries.
    retry = mcp.call_tool("customers_create", {"name": "Dee", "tier": "free"})
    assert not retry.is_error


def test_missing_lookup_and_unknown_arguments_are_tool_errors(mcp: MCPClient) -> None:
    missing = mcp.call_tool("customers_retrieve", {})
    assert missing.is_error and "'pk'" in missing.text
    wrong_type = mcp.call_tool("customers_retrieve", {"pk": {"x": 1}})
    assert wrong_type.is_error
    unknown = mcp.call_tool("customers_list", {"colour": "red"})
    assert unknown.is_error and "colour" in unknown.text and "page_size" in unknown.text
    unroutable = mcp.call_tool("kb_notes_retrieve", {"slug": "a/b"})
    assert unroutable.is_error and "not a valid slug" in unroutable.text


def test_anonymous_write_is_refused_like_rest(mcp: MCPClient, api: APIClient) -> None:
    result = mcp.call_tool("customers_create", {"name": "Anon"})
    rest = api.post("/api/customers/", {"name": "Anon"}, format="json")
    assert rest.status_code == 403
    assert result.is_error and "HTTP 403" in result.text
    assert "Authentication credentials were not provided." in result.text
    assert not Customer.objects.exists()


def test_object_permission_checked(mcp: MCPClient, bob: User, data: dict[str, Any]) -> None:
    mcp.force_authenticate(bob)
    result = mcp.call_tool("customers_partial_update", {"pk": data["a1"].pk, "name": "Hacked"})
    assert result.is_error and "HTTP 403" in result.text
    assert "Only the customer's owner may do this." in result.text
    data["a1"].refresh_from_db()
    assert data["a1"].name == "Ann"


def test_token_only_viewset_over_mcp(
    mcp: MCPClient, alice: User, alice_token: str, data: dict[str, Any]
) -> None:
    # InvoiceViewSet uses TokenAuthentication only: a session login does not count.
    mcp.force_login(alice)
    refused = mcp.call_tool("invoices_list")
    assert refused.is_error
    assert "HTTP 401" in refused.text and "needs credentials" in refused.text
    mcp.logout()
    without = mcp.call_tool("invoices_list")
    assert without.is_error and "HTTP 401" in without.text
    mcp.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    accepted = mcp.call_tool("invoices_list")
    assert not accepted.is_error, accepted.text
    assert accepted.structured is not None
    assert accepted.structured["results"][0]["number"] == "INV-1"
    assert_matches_output_schema("invoices_list", accepted)
    mcp.credentials(HTTP_AUTHORIZATION="Token wrong")
    # Refused credentials: HTTP 401 from the endpoint, as REST answers them (not a tool
    # error after an anonymous listing).
    with pytest.raises(MCPError, match="Invalid token"):
        mcp.call_tool("invoices_list")


def test_401_is_a_tool_error_not_an_http_401(client: Any) -> None:
    from tests.conftest import rpc

    payload = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": "invoices_list", "arguments": {}},
    }
    response = rpc(client, payload)  # no credentials: the view refuses with 401
    assert response.status_code == 200
    assert response.json()["result"]["isError"] is True


def test_session_auth_carries_over_with_csrf(alice: User) -> None:
    """A browser session (explorer) works, and DRF enforces CSRF for writes as over REST."""
    client = MCPClient(enforce_csrf_checks=True)
    client.force_login(alice)
    listed = client.call_tool("customers_list")
    assert not listed.is_error
    refused = client.call_tool("customers_create", {"name": "No token"})
    assert refused.is_error and "CSRF" in refused.text
    # With the CSRF cookie and the matching header, as a browser page would send them.
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.mcp_post(
        {
            "jsonrpc": "2.0",
            "id": 9,
            "method": "tools/call",
            "params": {"name": "customers_create", "arguments": {"name": "With token"}},
        },
        HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret),
    )
    assert response.json()["result"].get("isError") is not True, response.json()
    assert Customer.objects.filter(name="With token", owner=alice).exists()


def test_rest_and_mcp_share_a_throttle_bucket(
    mcp: MCPClient, api: APIClient, data: dict[str, Any]
) -> None:
    cache.clear()
    # NoteViewSet: AnonRateThrottle with scope anon_burst = 3/minute, keyed on REMOTE_ADDR.
    assert api.get("/api/knowledge-notes/").status_code == 200
    assert not mcp.call_tool("kb_notes_list").is_error
    assert api.get("/api/knowledge-notes/").status_code == 200
    throttled = mcp.call_tool("kb_notes_list")
    assert throttled.is_error
    assert "HTTP 429" in throttled.text
    assert "Expected available in" in throttled.text
    assert "wait" in throttled.text
    assert api.get("/api/knowledge-notes/").status_code == 429
    cache.clear()


def test_endpoint_itself_charges_no_throttle(mcp: MCPClient, data: dict[str, Any]) -> None:
    cache.clear()
    for _ in range(5):
        assert mcp.request_mcp("tools/list")["tools"]
    assert not mcp.call_tool("kb_notes_list").is_error
    cache.clear()


def test_bug_in_view_is_generic_error_without_traceback(mcp: MCPClient, caplog: Any) -> None:
    with caplog.at_level("ERROR", logger="drf_mcp_bridge"):
        result = mcp.call_tool("exploding_list")
    assert result.is_error
    assert "internal server error" in result.text
    assert "hunter2" not in result.text and "Traceback" not in result.text
    assert "RuntimeError" in caplog.text  # the traceback is in the server log
    assert not Category.objects.filter(name="half-written").exists()


@pytest.mark.django_db(transaction=True)
def test_atomic_requests_rolls_back_a_failed_call(settings: Any, alice: User) -> None:
    from django.db import connections

    settings.DATABASES["default"]["ATOMIC_REQUESTS"] = True
    connections["default"].settings_dict["ATOMIC_REQUESTS"] = True
    try:
        mcp = MCPClient()
        result = mcp.call_tool("exploding_list")
        assert result.is_error
        assert not Category.objects.filter(name="half-written").exists()
        mcp.force_authenticate(alice)
        created = mcp.call_tool("customers_create", {"name": "Kept"})
        assert not created.is_error
        assert Customer.objects.filter(name="Kept").exists()
    finally:
        connections["default"].settings_dict["ATOMIC_REQUESTS"] = False
        settings.DATABASES["default"]["ATOMIC_REQUESTS"] = False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic", [True, False])
def test_drf_set_rollback_matches_rest(atomic: bool) -> None:
    """With ATOMIC_REQUESTS, DRF's exception handler rolls back a 400's writes: over MCP
    exactly as over REST; without it, the write stays in both."""
    from django.db import connections

    connections["default"].settings_dict["ATOMIC_REQUESTS"] = atomic
    try:
        rest = APIClient().post("/api/refusing/", {}, format="json")
        assert rest.status_code == 400
        after_rest = Category.objects.filter(name="written-before-400").count()
        Category.objects.all().delete()
        result = MCPClient().call_tool("refusing_create", {"name": "x"})
        assert result.is_error and "Refused after writing." in result.text
        after_mcp = Category.objects.filter(name="written-before-400").count()
        assert after_rest == after_mcp == (0 if atomic else 1)
    finally:
        connections["default"].settings_dict["ATOMIC_REQUESTS"] = False


@pytest.mark.django_db(transaction=True)
def test_batch_calls_each_in_own_savepoint(alice: User) -> None:
    from django.db import connections

    connections["default"].settings_dict["ATOMIC_REQUESTS"] = True
    try:
        client = MCPClient(protocol_version="2025-03-26")
        client.force_authenticate(alice)
        batch = [
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "tools/call",
                "params": {"name": "customers_create", "arguments": {"name": "One"}},
            },
            {
                "jsonrpc": "2.0",
                "id": 2,
                "method": "tools/call",
                "params": {"name": "exploding_list"},
            },
            {
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {"name": "customers_create", "arguments": {"name": "Three"}},
            },
        ]
        body = client.mcp_post(batch).json()
        assert [r["id"] for r in body] == [1, 2, 3]
        assert body[1]["result"]["isError"] is True
        assert set(Customer.objects.values_list("name", flat=True)) == {"One", "Three"}
        assert not Category.objects.filter(name="half-written").exists()
    finally:
        connections["default"].settings_dict["ATOMIC_REQUESTS"] = False


def test_failed_call_leaves_outer_transaction_usable(mcp: MCPClient, alice: User) -> None:
    with transaction.atomic():
        assert mcp.call_tool("exploding_list").is_error
        Category.objects.create(name="after")
    assert Category.objects.filter(name="after").exists()


def test_inner_request_is_marked_as_mcp(mcp: MCPClient, alice: User) -> None:
    from drf_mcp_bridge import is_mcp_request

    seen: list[bool] = []
    from tests.testapp.views import CategoryViewSet

    original = CategoryViewSet.list

    def spy(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(is_mcp_request(request))
        return original(self, request, *args, **kwargs)

    CategoryViewSet.list = spy  # type: ignore[method-assign]
    try:
        mcp.call_tool("categories_list")
        APIClient().get("/api/categories/")
    finally:
        CategoryViewSet.list = original  # type: ignore[method-assign]
    assert seen == [True, False]


def test_hyperlinks_use_outer_host_and_scheme(mcp: MCPClient, alice: User) -> None:
    for i in range(6):
        Customer.objects.create(owner=alice, name=f"c{i}")
    result = mcp.call_tool("customers_list")
    assert result.structured is not None
    assert result.structured["next"] == "http://testserver/api/customers/?page=2"
    secure = MCPClient()
    response = secure.mcp_post(
        {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "customers_list"}},
        HTTP_HOST="localhost",
        secure=True,
    )
    structured = response.json()["result"]["structuredContent"]
    assert structured["next"] == "https://localhost/api/customers/?page=2"
