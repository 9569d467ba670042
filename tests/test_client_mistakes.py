"""A client's mistakes are the client's errors: what Django refuses as a 400 over REST
(too many parameters, a body too big) and numbers too long for Python's ``int()`` in
resource URIs give a specific error, HTTP 200, and nothing logged at ERROR."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.test import override_settings
from rest_framework.test import APIClient

from drf_mcp_bridge.catalogue import resources
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer

pytestmark = pytest.mark.django_db

HUGE = "9" * 5000  # int() refuses more than 4300 digits (sys.get_int_max_str_digits)
#: resources/read of the long URIs below is what is tested, not the URI length limit.
LONG_URIS = {"PER_USER_TOOLS": False, "MAX_URI_LENGTH": 20_000}


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def post(client: MCPClient, method: str, params: dict[str, Any]) -> dict[str, Any]:
    response = client.mcp_post({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_too_many_list_items_are_a_400_not_a_crash(
    caplog: pytest.LogCaptureFixture, alice: User
) -> None:
    pytest.importorskip("django_filters")
    from drf_mcp_bridge import mcp_viewset
    from tests.testapp.filtering import ClassFilteredCustomers

    mcp_viewset(name="fc", actions=["list"])(ClassFilteredCustomers)
    try:
        books = Category.objects.create(name="books")
        Customer.objects.create(owner=alice, name="Ann", category=books)
        ids = [books.pk] * 1500
        rest = APIClient().get("/api/filtered-class/", {"categories": ids})
        assert rest.status_code == 400  # Django's TooManyFieldsSent, over REST
        caplog.clear()
        with caplog.at_level(logging.INFO):
            body = post(
                MCPClient(), "tools/call", {"name": "fc_list", "arguments": {"categories": ids}}
            )
        result = body["result"]
        assert result["isError"] is True
        text = result["content"][0]["text"]
        assert text.startswith("Error: HTTP 400 Bad Request.")
        assert "DATA_UPLOAD_MAX_NUMBER_FIELDS" in text and "1000" in text
        assert "Traceback" not in text
        assert errors_logged(caplog) == []
        warnings = [r for r in caplog.records if r.name == "drf_mcp_bridge"]
        assert [r.levelno for r in warnings] == [logging.WARNING]
        assert "TooManyFieldsSent" in warnings[0].getMessage()
        assert warnings[0].exc_info is None  # a client's mistake: no traceback
        # Within the limit the same call works.
        fine = post(
            MCPClient(), "tools/call", {"name": "fc_list", "arguments": {"categories": ids[:10]}}
        )
        assert fine["result"]["structuredContent"]["count"] == 1
    finally:
        registry.unregister(ClassFilteredCustomers)


def test_refusals_read_as_django_would_answer_them() -> None:
    from drf_mcp_bridge.invocation.results import refused_request_result

    too_big = refused_request_result(RequestDataTooBig("Request body exceeded ..."))
    assert too_big["isError"] is True
    assert "DATA_UPLOAD_MAX_MEMORY_SIZE" in too_big["content"][0]["text"]
    # Other refusals name only the class: their message may quote the request.
    other = refused_request_result(SuspiciousOperation("secret path /etc/passwd"))
    text = other["content"][0]["text"]
    assert text.startswith("Error: HTTP 400 Bad Request.")
    assert "SuspiciousOperation" in text and "/etc/passwd" not in text
    fields = refused_request_result(TooManyFieldsSent("..."))["content"][0]["text"]
    assert "fewer" in fields


@override_settings(REST_FRAMEWORK_MCP=LONG_URIS)
def test_a_huge_number_as_lookup_is_not_found(
    caplog: pytest.LogCaptureFixture, data: dict[str, Any]
) -> None:
    assert APIClient().get(f"/api/customers/{HUGE}/").status_code == 404
    caplog.clear()
    uri = f"drf://customers/{HUGE}"
    body = post(MCPClient(), "resources/read", {"uri": uri})
    assert body["error"]["code"] == -32002  # as for any lookup nothing has
    assert body["error"]["data"] == {"uri": uri}
    assert errors_logged(caplog) == []


@override_settings(REST_FRAMEWORK_MCP=LONG_URIS)
def test_huge_numbers_in_a_list_query_answer_as_over_rest(
    caplog: pytest.LogCaptureFixture, data: dict[str, Any]
) -> None:
    assert APIClient().get("/api/customers/", {"page": HUGE}).status_code == 404
    caplog.clear()
    client = MCPClient()
    body = post(client, "resources/read", {"uri": f"drf://customers?page={HUGE}"})
    assert body["error"]["code"] == -32002  # DRF's "Invalid page." is a 404
    # DRF ignores a page size it cannot read: the default page, over MCP too.
    rest = APIClient().get("/api/customers/", {"page_size": HUGE}).json()
    read = post(client, "resources/read", {"uri": f"drf://customers?page_size={HUGE}"})
    contents = read["result"]["contents"]
    assert [c["name"] for c in rest["results"]] == ["Ann", "Abe", "Bea"]
    assert '"count": 3' in contents[0]["text"]
    assert errors_logged(caplog) == []


def test_values_too_long_for_int_stay_text() -> None:
    detail = registry.get_tool("customers_retrieve")
    listing = registry.get_tool("customers_list")
    assert resources.lookup_value(detail, "42") == 42
    assert resources.lookup_value(detail, HUGE) == HUGE
    assert resources.query_arguments(listing, {"page": HUGE, "page_size": "3"}) == {
        "page": HUGE,
        "page_size": 3,
    }

    class Numbers:
        def input_schema(self) -> dict[str, Any]:
            return {"properties": {"credit": {"type": "number"}}}

    # float() gives inf for 400 digits; the text the client wrote is sent on instead.
    assert resources.query_arguments(Numbers(), {"credit": "1" * 400}) == {"credit": "1" * 400}
    assert resources.query_arguments(Numbers(), {"credit": "2.5"}) == {"credit": 2.5}
