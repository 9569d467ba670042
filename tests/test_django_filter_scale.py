"""django-filter at scale (issue 14): lookups typed by meaning, to_field_name, large choice
lists described instead of enumerated, FILTER_LOOKUPS, and calls equal to REST."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone
from jsonschema import Draft202012Validator
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer

pytest.importorskip("django_filters")

import django_filters
from django_filters.rest_framework import DjangoFilterBackend

from drf_mcp_bridge.contrib.django_filter import MAX_ENUM, filterset_parameters
from tests.testapp.filtering import (
    SCALE_LOOKUPS,
    SCALE_NAMES,
    ExactOnlyCustomers,
    ScaleFilteredCustomers,
)

router = SimpleRouter()
router.register("scale-customers", ScaleFilteredCustomers, basename="scale")
urlpatterns = [path("api/", include(router.urls)), path("", include("tests.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

#: The whole list tool definition with 600 choices under 10 filters stays under this.
BUDGET = 16 * 1024


@pytest.fixture
def exposed() -> Iterator[None]:
    mcp_viewset(name="sc", actions=["list"])(ScaleFilteredCustomers)
    mcp_viewset(name="sx", actions=["list"])(ExactOnlyCustomers)
    yield
    registry.unregister(ScaleFilteredCustomers)
    registry.unregister(ExactOnlyCustomers)


def _tools(mcp: MCPClient) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in mcp.tools_list()}


@pytest.fixture
def tools(exposed: None, mcp: MCPClient) -> dict[str, dict[str, Any]]:
    return _tools(mcp)


@pytest.fixture
def customers(alice: User) -> list[Customer]:
    books = Category.objects.create(name="Books")
    games = Category.objects.create(name="Games")
    rows = [
        ("Ann", "pro", "10.00", books),
        ("Bob", "free", "0.00", None),
        ("Annabel", "enterprise", "500.00", games),
        ("Cid", "pro", "50.00", books),
        ("Dan", "free", "5.00", games),
    ]
    return [
        Customer.objects.create(
            owner=alice,
            name=n,
            email=f"{n.lower()}@example.com",
            tier=t,
            credit_limit=c,
            category=cat,
        )
        for n, t, c, cat in rows
    ]


def test_each_lookup_is_typed_by_its_meaning(tools: dict[str, Any]) -> None:
    p = tools["sc_list"]["inputSchema"]["properties"]
    # Comparisons: the field's own type.
    for lookup in ["", "__gt", "__gte", "__lt", "__lte"]:
        assert p[f"credit_limit{lookup}"]["type"] == "number"
    assert p["credit_limit__gte"]["description"] == "credit limit at least"
    # in / range: comma-separated values of that type, as BaseInFilter/BaseRangeFilter read.
    number = r"-?[0-9]+(\.[0-9]+)?"
    assert p["credit_limit__in"]["pattern"] == f"^{number}(,{number})*$"
    assert p["credit_limit__range"]["pattern"] == f"^{number},{number}$"
    assert 'Give "min,max"' in p["credit_limit__range"]["description"]
    assert p["category__in"]["pattern"] == "^-?[0-9]+(,-?[0-9]+)*$"
    # Text lookups are strings, even on a number field (still checked as a number).
    assert p["credit_limit__icontains"]["type"] == "string"
    assert p["tier__icontains"] == {
        "type": "string",
        "description": "tier contains (ignoring case)",
    }
    assert p["email__istartswith"]["type"] == "string"
    assert p["email__regex"]["description"] == "email matches the regular expression"
    # isnull: a boolean.
    assert p["email__isnull"]["type"] == p["category__isnull"]["type"] == "boolean"
    # Transforms: "date__gte" is a date at least, "year" an integer.
    assert p["created__date__gte"] == {
        "type": "string",
        "format": "date",
        "description": "created date at least",
    }
    assert p["created__year"]["type"] == "integer"
    # RangeFilter / DateFromToRangeFilter: the query parameters the widgets read.
    assert p["credit_min"] == {"type": "number", "description": "credit limit at least"}
    assert p["credit_max"] == {"type": "number", "description": "credit limit at most"}
    assert p["created_on_after"]["format"] == p["created_on_before"]["format"] == "date"
    # A small choice list keeps its enum.
    assert p["tier"]["enum"] == ["free", "pro", "enterprise"]


def test_netbox_style_suffix_aliases(tools: dict[str, Any]) -> None:
    p = tools["sc_list"]["inputSchema"]["properties"]
    assert set(SCALE_LOOKUPS) == {name.split("__")[1] for name in p if name.startswith("name__")}
    assert p["name"]["description"].startswith("name one of. 600 allowed values, e.g. ")
    assert p["name__n"]["description"].startswith("name not one of. 600 allowed values")
    assert p["name__ic"]["description"] == (
        "name contains (ignoring case) any value given. The value must be one of the values "
        'of "name".'
    )
    assert p["name__nic"]["description"].startswith("name does not contain (ignoring case)")
    assert p["name__isw"]["description"].startswith("name starts with (ignoring case)")
    assert p["name__niew"]["description"].startswith("name does not end with (ignoring case)")
    for name in ["name", *(f"name__{suffix}" for suffix in SCALE_LOOKUPS)]:
        assert p[name]["type"] == "array"
        assert p[name]["items"] == {"type": "string"}, name  # no enum anywhere


def test_to_field_name_is_the_type_of_that_field(tools: dict[str, Any]) -> None:
    p = tools["sc_list"]["inputSchema"]["properties"]
    assert p["category_name"] == {
        "type": "array",
        "items": {"type": "string"},
        "description": "category name one of",
    }
    assert p["category_name__n"]["description"] == "category name not one of"
    assert p["one_category"] == {"type": "string", "description": "category name equals"}
    assert p["category"]["type"] == "integer"  # without to_field_name: the primary key


def test_600_choices_stay_small(tools: dict[str, Any]) -> None:
    definition = tools["sc_list"]
    size = len(json.dumps(definition))
    enum = json.dumps(SCALE_NAMES)
    # Before: the 600-value enum (9 kB) under each of the 10 "name" filters (100 kB in all).
    assert len(enum) * (1 + len(SCALE_LOOKUPS)) > 90_000
    assert size < BUDGET, size
    description = definition["inputSchema"]["properties"]["name"]["description"]
    assert '"Ann", "Annabel", "Bob"' in description
    assert 'the values in use are the "name" of this list\'s results' in description


def _choice_view(count: int) -> Any:
    class Filters(django_filters.FilterSet):
        name = django_filters.ChoiceFilter(choices=[(f"v{i}", f"V{i}") for i in range(count)])
        name__ic = django_filters.ChoiceFilter(
            field_name="name",
            lookup_expr="icontains",
            choices=[(f"v{i}", f"V{i}") for i in range(count)],
        )
        rank = django_filters.ChoiceFilter(field_name="id", choices=[(i, i) for i in range(count)])

        class Meta:
            model = Customer
            fields: list[str] = []

    class View:
        queryset = Customer.objects.all()
        filterset_class = Filters

        def get_queryset(self) -> Any:
            return self.queryset

    return View()


@pytest.mark.parametrize("count", [MAX_ENUM, MAX_ENUM + 1])
def test_enum_up_to_50_values_then_a_description(count: int) -> None:
    p = dict(filterset_parameters(DjangoFilterBackend(), _choice_view(count)))
    if count <= 50:
        assert p["name"]["enum"] == [f"v{i}" for i in range(count)]
        assert p["rank"]["enum"] == list(range(count))
        assert "description" not in p["name"] or "values" not in p["name"]["description"]
    else:
        assert "enum" not in p["name"] and "enum" not in p["rank"]
        assert p["name"]["type"] == "string" and p["rank"]["type"] == "integer"
        assert f'{count} allowed values, e.g. "v0", "v1", "v2"' in p["name"]["description"]
        assert (
            "allowed values" in p["rank"]["description"] and "0, 1, 2" in p["rank"]["description"]
        )
    # The text lookup never repeats the choices: it points at the filter that has them.
    assert p["name__ic"] == {
        "type": "string",
        "description": (
            'name contains (ignoring case). The value must be one of the values of "name".'
        ),
    }
    Draft202012Validator.check_schema({"type": "object", "properties": p})


def test_every_schema_is_json_schema_2020_12(tools: dict[str, Any]) -> None:
    for definition in tools.values():
        Draft202012Validator.check_schema(definition["inputSchema"])
        if "outputSchema" in definition:
            Draft202012Validator.check_schema(definition["outputSchema"])


def test_filter_lookups_setting(exposed: None, mcp: MCPClient) -> None:
    everything = set(_tools(mcp)["sc_list"]["inputSchema"]["properties"])
    with override_settings(REST_FRAMEWORK_MCP={"FILTER_LOOKUPS": "exact"}):
        exact = set(_tools(mcp)["sc_list"]["inputSchema"]["properties"])
    assert exact == {
        "credit_limit",
        "tier",
        "email",
        "category",
        "name",
        "category_name",
        "one_category",
        "page",
    }
    with override_settings(
        REST_FRAMEWORK_MCP={"FILTER_LOOKUPS": ["exact", "icontains", "range", "exclude"]}
    ):
        chosen = set(_tools(mcp)["sc_list"]["inputSchema"]["properties"])
    assert chosen - exact == {
        "credit_limit__icontains",
        "credit_limit__range",
        "tier__icontains",
        "name__n",
        "name__ic",
        "name__nic",
        "category_name__n",
        "credit_min",
        "credit_max",
        "created_on_after",
        "created_on_before",
    }
    assert exact < chosen < everything
    # The per-ViewSet attribute wins over the (default) setting.
    assert set(_tools(mcp)["sx_list"]["inputSchema"]["properties"]) == exact


def test_a_bad_filter_lookups_value_describes_everything(
    exposed: None, mcp: MCPClient, caplog: pytest.LogCaptureFixture
) -> None:
    everything = set(_tools(mcp)["sc_list"]["inputSchema"]["properties"])
    with (
        override_settings(REST_FRAMEWORK_MCP={"FILTER_LOOKUPS": "some"}),
        caplog.at_level(logging.WARNING, "drf_mcp_bridge.schema"),
    ):
        assert set(_tools(mcp)["sc_list"]["inputSchema"]["properties"]) == everything
    assert "FILTER_LOOKUPS" in caplog.text


def test_left_out_lookups_are_refused(exposed: None, mcp: MCPClient) -> None:
    result = mcp.call_tool("sx_list", {"name__ic": ["Ann"]})
    assert result.is_error and "Unknown argument(s): name__ic" in result.text


@pytest.mark.parametrize(
    "arguments",
    [
        {"name": ["Ann", "Bob"]},
        {"name__n": ["Ann"]},
        {"name__ic": ["Ann"]},
        {"name__nic": ["Ann", "Dan"]},
        {"name__isw": ["Annabel"]},
        {"name__nisw": ["Ann"]},
        {"name__iew": ["Dan"]},
        {"name__ie": ["Cid"]},
        {"category_name": ["Books"]},
        {"category_name__n": ["Books"]},
        {"one_category": "Games"},
        {"credit_min": 5, "credit_max": 100},
        {"credit_limit__gt": 5},
        {"credit_limit__lte": 10},
        {"credit_limit__in": "10.00,50"},
        {"credit_limit__range": "5,60"},
        {"credit_limit__icontains": "5"},
        {"tier": "pro"},
        {"tier__in": "free,enterprise"},
        {"tier__icontains": "PR"},
        {"email__istartswith": "ANN"},
        {"email__regex": "^[bc]"},
        {"category": "BOOKS"},
        {"category__in": "BOOKS,GAMES"},
        {"category__isnull": True},
        {"created__date__gte": "TODAY", "credit_limit__gte": 10},
        {"created__year": "YEAR", "tier": "free"},
        {"created_on_after": "TODAY", "name__n": ["Bob"]},
    ],
)
def test_calls_return_the_rest_rows(
    customers: list[Customer], exposed: None, mcp: MCPClient, arguments: dict[str, Any]
) -> None:
    today = timezone.localdate()
    books, games = Category.objects.get(name="Books"), Category.objects.get(name="Games")
    placeholders: dict[str, Any] = {
        "TODAY": today.isoformat(),
        "YEAR": today.year,
        "BOOKS": books.pk,
        "GAMES": games.pk,
        "BOOKS,GAMES": f"{books.pk},{games.pk}",
    }
    arguments = {
        k: placeholders.get(v, v) if isinstance(v, str) else v for k, v in arguments.items()
    }
    schema = _tools(mcp)["sc_list"]["inputSchema"]
    Draft202012Validator(schema).validate(arguments)  # the schema allows these calls
    query = urlencode(
        {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in arguments.items()},
        doseq=True,
    )
    rest = APIClient().get(f"/api/scale-customers/?{query}")
    assert rest.status_code == 200, rest.content
    result = mcp.call_tool("sc_list", arguments)
    assert not result.is_error, result.text
    assert result.structured == rest.json()
    assert 0 < rest.json()["count"] < len(customers)  # the filter really filtered


def test_a_value_outside_the_choices_is_refused_as_over_rest(
    customers: list[Customer], exposed: None, mcp: MCPClient
) -> None:
    # The choice form field checks every value, text lookups included (as the schema says).
    rest = APIClient().get("/api/scale-customers/", {"name__ic": "nn"})
    assert rest.status_code == 400 and "name__ic" in rest.json()
    result = mcp.call_tool("sc_list", {"name__ic": ["nn"]})
    assert result.is_error and "HTTP 400" in result.text and "name__ic" in result.text
