"""Output schemas true by construction: where the mapping cannot know what a field or a
serializer renders, the outputSchema claims nothing there; list tools accept every shape
their paginator can answer; a result that still breaks its schema is no failed call.

Every call below goes through the autouse check in conftest.py: structuredContent is
validated against the listed outputSchema (JSON Schema 2020-12, format checks on).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from jsonschema import Draft202012Validator, FormatChecker
from rest_framework import pagination, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from drf_mcp_bridge import mcp_action, mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.schema import extensions
from drf_mcp_bridge.schema.fields import serializer_schema
from drf_mcp_bridge.schema.parameters import may_skip_pagination
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer
from tests.testapp.serializers import CustomerSerializer

pytestmark = pytest.mark.django_db


class Shouting(serializers.CharField):
    """A known field class whose own to_representation renders something else."""

    def to_representation(self, value: Any) -> Any:
        return {"shout": str(value).upper()} if value else None


class Opaque(serializers.Field):  # type: ignore[type-arg]
    """A custom field the mapping does not know."""

    def to_representation(self, value: Any) -> Any:
        return len(str(value))


class Loose(serializers.ModelSerializer):  # type: ignore[type-arg]
    mystery = serializers.SerializerMethodField()  # no annotation: any value
    typed = serializers.SerializerMethodField()
    shout = Shouting(source="name")
    opaque = Opaque(source="email")
    limit = serializers.ReadOnlyField(source="credit_limit")  # a Decimal: a JSON number
    owner_obj = serializers.ReadOnlyField(source="owner_id")
    category_name = serializers.CharField(source="category.name", read_only=True)
    anything = serializers.ReadOnlyField(source="not_a_field")

    class Meta:
        model = Customer
        fields = [
            "id",
            "mystery",
            "typed",
            "shout",
            "opaque",
            "limit",
            "owner_obj",
            "category_name",
            "anything",
        ]

    def get_mystery(self, obj: Customer) -> Any:
        return [None, 1, {"a": obj.pk}][obj.pk % 3]

    def get_typed(self, obj: Customer) -> int | None:
        return obj.pk if obj.pk % 2 else None


class OwnWay(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Its to_representation answers a string, a number or null in a list, an object
    with other keys alone (Serializer.data needs a mapping): nothing can be claimed."""

    class Meta:
        model = Customer
        fields = ["id", "name"]

    def to_representation(self, instance: Customer) -> Any:
        if self.parent is None:
            return {"key": str(instance.pk)}
        return [instance.name, None][instance.pk % 2] if instance.pk % 3 else instance.pk


class LooseCustomers(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Customer.objects.order_by("id")
    serializer_class = Loose
    permission_classes: list[type] = []
    pagination_class = None


class OwnWayCustomers(LooseCustomers):
    serializer_class = OwnWay


class NoDefaultLimit(pagination.LimitOffsetPagination):
    default_limit = None


class NoPageSize(pagination.PageNumberPagination):
    page_size = None
    page_size_query_param = "page_size"


class NoCursorSize(pagination.CursorPagination):
    page_size = None
    page_size_query_param = "page_size"
    ordering = "id"


class Unlimited(LooseCustomers):
    serializer_class = CustomerSerializer
    pagination_class = NoDefaultLimit


class Unpaged(Unlimited):
    pagination_class = NoPageSize


class Uncursored(Unlimited):
    pagination_class = NoCursorSize


VIEWSETS: dict[str, type[Any]] = {
    "loose": LooseCustomers,
    "own_way": OwnWayCustomers,
    "unlimited": Unlimited,
    "unpaged": Unpaged,
    "uncursored": Uncursored,
}


@pytest.fixture(autouse=True)
def forget_unmapped() -> Iterator[None]:
    """The Opaque field is reported as unmapped (W002): not by the checks of later tests."""
    yield
    for key in [k for k in extensions.UNMAPPED if k[0].startswith(__name__)]:
        extensions.UNMAPPED.discard(key)


@pytest.fixture
def exposed() -> Iterator[None]:
    for name, viewset in VIEWSETS.items():
        mcp_viewset(name=name)(viewset)
    yield
    for viewset in VIEWSETS.values():
        registry.unregister(viewset)


@pytest.fixture
def customers(alice: User) -> list[Customer]:
    books = Category.objects.create(name="Books")
    return [
        Customer.objects.create(
            owner=alice,
            name=name,
            email=f"{name}@example.com" if i % 2 else "",
            credit_limit="12.50",
            category=books if i % 2 else None,
        )
        for i, name in enumerate(["ann", "bob", "cid", "dee", "eve", "fay"])
    ]


def listed(mcp: MCPClient) -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool for tool in mcp.tools_list()}


def test_unsure_fields_claim_nothing_on_output(exposed: None) -> None:
    output = serializer_schema(Loose(), "output")["properties"]
    assert output["mystery"] == {}
    assert output["typed"] == {"type": ["integer", "null"]}  # the annotation is the claim
    assert output["shout"] == {}  # its own to_representation, not CharField's
    assert output["opaque"] == {}
    assert output["limit"] == {"type": "number"}
    assert output["owner_obj"] == {"type": "integer"}  # owner_id: the key itself
    assert output["anything"] == {}
    # Through a nullable foreign key: null, or left out by DRF.
    assert output["category_name"]["type"] == ["string", "null"]
    assert "category_name" not in serializer_schema(Loose(), "output")["required"]
    # The input side is as strict as before.
    assert serializer_schema(Loose(), "input")["properties"]["shout"]["type"] == "string"


def test_a_relation_rendered_as_an_object_is_not_its_key() -> None:
    class Owner(serializers.ModelSerializer):  # type: ignore[type-arg]
        owner = serializers.ReadOnlyField()  # the User object itself

        class Meta:
            model = Customer
            fields = ["owner"]

    assert serializer_schema(Owner(), "output")["properties"]["owner"] == {}


def test_results_of_unsure_fields_validate(exposed: None, customers: list[Customer]) -> None:
    mcp = MCPClient()
    listing = mcp.call_tool("loose_list", {})  # checked by conftest against outputSchema
    assert listing.structured is not None
    rendered = {type(item["mystery"]).__name__ for item in listing.structured["results"]}
    assert rendered == {"NoneType", "int", "dict"}
    for customer in customers:
        one = mcp.call_tool("loose_retrieve", {"pk": customer.pk})
        assert one.structured is not None and one.structured["id"] == customer.pk


def test_a_serializer_with_its_own_to_representation_is_permissive(
    exposed: None, customers: list[Customer]
) -> None:
    tools = listed(MCPClient())
    assert tools["own_way_retrieve"]["outputSchema"] == {"type": "object"}
    assert tools["own_way_list"]["outputSchema"]["properties"]["results"]["items"] == {}
    mcp = MCPClient()
    one = mcp.call_tool("own_way_retrieve", {"pk": customers[0].pk})
    assert one.structured == {"key": str(customers[0].pk)}
    many = mcp.call_tool("own_way_list", {})
    assert many.structured is not None
    assert {type(v).__name__ for v in many.structured["results"]} == {"str", "NoneType", "int"}
    # Meta.mcp_representation = "fields" says the fields render as they are.
    assert "properties" in serializer_schema(CustomerSerializer(), "output")


def test_paginators_that_may_answer_a_bare_list() -> None:
    from tests.testapp.listing import TwoByCursor, TwoByLimit, TwoPerPage

    assert may_skip_pagination(NoDefaultLimit())
    assert may_skip_pagination(NoPageSize())
    assert may_skip_pagination(NoCursorSize())
    assert not may_skip_pagination(TwoByLimit())
    assert not may_skip_pagination(TwoPerPage())
    assert not may_skip_pagination(TwoByCursor())

    class OwnCode(TwoPerPage):
        def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
            return None

    assert may_skip_pagination(OwnCode())


@pytest.mark.parametrize("name", ["unlimited", "unpaged", "uncursored"])
def test_list_tools_accept_both_shapes(exposed: None, customers: list[Customer], name: str) -> None:
    mcp = MCPClient()
    schema = listed(mcp)[f"{name}_list"]["outputSchema"]
    assert schema["type"] == "object" and schema["required"] == ["results"]
    size = "limit" if name == "unlimited" else "page_size"
    bare = mcp.call_tool(f"{name}_list", {})  # no page size: DRF answers a bare list
    assert bare.structured is not None
    assert set(bare.structured) == {"results"} and len(bare.structured["results"]) == 6
    paged = mcp.call_tool(f"{name}_list", {size: 2})
    assert paged.structured is not None and len(paged.structured["results"]) == 2
    assert "next" in paged.structured
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    validator.validate(bare.structured)
    validator.validate(paged.structured)


def test_paginators_that_always_paginate_keep_their_envelope(exposed: None) -> None:
    from tests.testapp.listing import LimitedCustomers, PagedCustomers

    mcp_viewset(name="always_limited", actions=["list"])(LimitedCustomers)
    mcp_viewset(name="always_paged", actions=["list"])(PagedCustomers)
    try:
        tools = listed(MCPClient())
        assert tools["always_limited_list"]["outputSchema"]["required"] == ["count", "results"]
        assert tools["always_paged_list"]["outputSchema"]["required"] == ["count", "results"]
    finally:
        registry.unregister(LimitedCustomers)
        registry.unregister(PagedCustomers)


def test_a_result_that_breaks_its_schema_is_no_failure(
    exposed: None, customers: list[Customer], caplog: pytest.LogCaptureFixture
) -> None:
    # A declared schema the results break ("name" is a string).
    declared = {"type": "object", "properties": {"name": {"type": "integer"}}}

    class Lying(LooseCustomers):
        serializer_class = CustomerSerializer

        @mcp_action(name="lying_retrieve", output_schema=declared)
        @action(detail=True)
        def shown(self, request: Any, pk: Any = None) -> Response:
            return Response(self.get_serializer(self.get_object()).data)

    mcp_viewset(name="lying", actions=["shown"])(Lying)
    try:
        mcp = MCPClient()
        assert listed(mcp)["lying_retrieve"]["outputSchema"] == declared
        with caplog.at_level(logging.ERROR, logger="drf_mcp_bridge"):
            first = mcp.call_tool("lying_retrieve", {"pk": customers[0].pk})
            again = mcp.call_tool("lying_retrieve", {"pk": customers[1].pk})
        # A success, the REST body as text, no structuredContent that breaks the schema...
        assert not first.is_error and first.structured is None
        assert first.json()["name"] == "ann"
        assert not again.is_error and again.json()["name"] == "bob"
        # ...logged once, and the tool is listed without an outputSchema from now on, so a
        # client that lists again expects no structured content from it.
        assert len([r for r in caplog.records if "lying_retrieve" in r.getMessage()]) == 1
        assert "outputSchema" not in listed(mcp)["lying_retrieve"]
    finally:
        registry.unregister(Lying)
