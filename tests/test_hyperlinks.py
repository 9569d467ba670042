"""Hyperlinked serializers: absolute URLs with the real scheme and host, hyperlinks as
input, and relations that tell the model which tool reads the linked object.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.hyperlinked import HyperlinkedCategories, LinkedCustomers
from tests.testapp.models import Category, Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def exposed() -> Iterator[None]:
    mcp_viewset(name="hl_categories")(HyperlinkedCategories)
    mcp_viewset(name="hl_customers")(LinkedCustomers)
    yield
    registry.unregister(HyperlinkedCategories)
    registry.unregister(LinkedCustomers)


def test_urls_carry_the_outer_scheme_and_host(exposed: None) -> None:
    books = Category.objects.create(name="Books")
    mcp = MCPClient(HTTP_HOST="localhost:8443")
    result = mcp.call_tool("hl_categories_retrieve", {"pk": books.pk}, secure=True)
    assert not result.is_error, result.text
    expected = f"https://localhost:8443/api/hl-categories/{books.pk}/"
    assert result.json()["url"] == expected
    rest = APIClient(HTTP_HOST="localhost:8443").get(f"/api/hl-categories/{books.pk}/", secure=True)
    assert rest.json() == result.json()


def test_hyperlinks_are_accepted_as_input(exposed: None, alice: User) -> None:
    books = Category.objects.create(name="Books")
    mcp = MCPClient()
    mcp.force_authenticate(alice)
    link = f"http://testserver/api/hl-categories/{books.pk}/"
    result = mcp.call_tool("hl_customers_create", {"name": "Ann", "category": link})
    assert not result.is_error, result.text
    assert result.json()["category"] == link
    assert Customer.objects.get(pk=result.json()["id"]).category == books
    wrong = mcp.call_tool("hl_customers_create", {"name": "Bo", "category": "http://x/nope/"})
    assert wrong.is_error and "category" in wrong.text and "HTTP 400" in wrong.text


def test_relations_name_the_tool_that_reads_them(exposed: None) -> None:
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    category = tools["hl_customers_create"]["inputSchema"]["properties"]["category"]
    assert category["format"] == "uri"
    assert category["description"] == "URL of a category; read it with hl_categories_retrieve."
    # The plain customers tools point at the pk-based category reader.
    plain = tools["customers_create"]["inputSchema"]["properties"]["category"]
    assert plain["description"] == "Id of a category; read it with categories_retrieve."


def test_no_reader_no_note(exposed: None) -> None:
    registry.unregister(HyperlinkedCategories)
    mcp_viewset(name="hl_categories", exclude=["retrieve"])(HyperlinkedCategories)
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    category = tools["hl_customers_create"]["inputSchema"]["properties"]["category"]
    assert "description" not in category
