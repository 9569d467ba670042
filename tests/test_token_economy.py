"""Token economy (issue 19): compact text for tabular list results (RESULT_TEXT_FORMAT,
``result_text_format``) and sparse fields (``fields``/``omit``, ``default_fields``).

The text the model reads changes; ``structuredContent`` and REST responses do not."""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from django.urls import include, path
from rest_framework import permissions, serializers, viewsets
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.checks import check_setting_types, check_token_economy
from drf_mcp_bridge.catalogue.options import MCPToolConfig
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.contrib.sparse_fields import SparseFieldsMixin
from drf_mcp_bridge.invocation.compact import compact_text, csv_text, table_of
from drf_mcp_bridge.test import MCPClient
from tests.test_docs_examples import python_blocks
from tests.testapp.models import Customer
from tests.testapp.permissions import IsOwnerOrStaff
from tests.testapp.views import SmallPages


class SparseCustomerSerializer(SparseFieldsMixin, serializers.ModelSerializer):
    owner = serializers.ReadOnlyField(source="owner.username")
    secret = serializers.CharField(write_only=True, required=False, max_length=30)

    class Meta:
        model = Customer
        fields = [
            "id", "owner", "name", "email", "tier", "credit_limit", "vip", "notes",
            "category", "created", "secret",
        ]  # fmt: skip

    def create(self, validated_data: Any) -> Any:
        validated_data.pop("secret", None)
        return super().create(validated_data)


class SparseCustomers(viewsets.ModelViewSet):
    """Customers whose serializer takes sparse fields."""

    serializer_class = SparseCustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrStaff]
    pagination_class = SmallPages
    queryset = Customer.objects.select_related("owner").order_by("id")

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user)


class DefaultFieldCustomers(SparseCustomers):
    """The same, with an MCP-only default field set and CSV text."""


class PrivateCustomers(SparseCustomers):
    """Only for signed-in users."""

    permission_classes = [permissions.IsAuthenticated]


router = DefaultRouter()
router.register("sparse-customers", SparseCustomers, basename="sparse-customer")
router.register("default-customers", DefaultFieldCustomers, basename="default-customer")
router.register("private-customers", PrivateCustomers, basename="private-customer")

try:
    from rest_flex_fields import FlexFieldsModelSerializer
except ImportError:  # drf-flex-fields is a dev extra: the oldest combination runs without
    FlexCustomers = None
else:

    class FlexCustomerSerializer(FlexFieldsModelSerializer):  # type: ignore[misc]
        class Meta:
            model = Customer
            fields = ["id", "name", "email", "tier", "vip", "created"]

    class FlexCustomers(viewsets.ReadOnlyModelViewSet):  # type: ignore[no-redef]
        serializer_class = FlexCustomerSerializer
        pagination_class = SmallPages
        queryset = Customer.objects.order_by("id")

    router.register("flex-customers", FlexCustomers, basename="flex-customer")

urlpatterns = [path("api/", include(router.urls)), path("", include("tests.urls"))]


@pytest.fixture
def sparse(settings: Any) -> Iterator[None]:
    settings.ROOT_URLCONF = __name__
    mcp_viewset(name="sparse_customers")(SparseCustomers)
    mcp_viewset(
        name="default_customers",
        default_fields={"list": ["id", "name"]},
        result_text_format="csv",
    )(DefaultFieldCustomers)
    mcp_viewset(name="private_customers")(PrivateCustomers)
    if FlexCustomers is not None:
        mcp_viewset(name="flex_customers")(FlexCustomers)
    yield
    for viewset in (SparseCustomers, DefaultFieldCustomers, PrivateCustomers, FlexCustomers):
        if viewset is not None:
            registry.unregister(viewset)


def configure(settings: Any, **values: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **values}


def many_customers(owner: Any, count: int = 7) -> None:
    for i in range(count):
        Customer.objects.create(owner=owner, name=f"Customer, {i}", email=f"c{i}@example.com")


def text_of(result: Any) -> str:
    return str(result.content[0]["text"])


# what is tabular ---------------------------------------------------------------------
def test_tabular_lists_and_envelopes() -> None:
    rows = [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    assert table_of(rows) == ({}, rows)
    page = {"count": 2, "next": None, "previous": None, "results": rows}
    assert table_of(page) == ({"count": 2, "next": None, "previous": None}, rows)


@pytest.mark.parametrize(
    "data",
    [
        {"id": 1, "name": "a"},  # a retrieve result
        {"results": []},  # nothing to tabulate
        {"results": [1, 2]},  # not objects
        {"results": [{"id": 1}, {"name": "b"}]},  # rows of different shapes
        {"results": [{"id": 1, "b": 2}, {"b": 2, "id": 1}]},  # keys in another order
        {"results": [{"a": [1], "b": {"c": 1}, "d": 1}]},  # mostly nested values
        {"count": {"total": 1}, "results": [{"id": 1}]},  # an envelope that nests
        {"count": 1, "results": [{"id": 1}], "facets": [1]},
    ],
)
def test_what_is_not_tabular(data: Any) -> None:
    assert table_of(data) is None
    assert compact_text(data, "csv") is None


def test_csv_form_quotes_as_rfc_4180() -> None:
    rows = [
        {"id": 1, "name": 'Ann "A", Jr.', "tags": [1, 2], "vip": True, "notes": None},
        {"id": 2, "name": "line\nbreak", "tags": [], "vip": False, "notes": "x"},
    ]
    text = csv_text({"count": 2, "next": "http://t/?page=2"}, rows)
    head, body = text.split("results (2 rows, CSV; empty cell = null):\n")
    assert head == 'count: 2\nnext: "http://t/?page=2"\n'
    parsed = list(csv.reader(io.StringIO(body)))
    assert parsed[0] == ["id", "name", "tags", "vip", "notes"]
    assert parsed[1] == ["1", 'Ann "A", Jr.', "[1,2]", "true", ""]
    assert parsed[2] == ["2", "line\nbreak", "[]", "false", "x"]


def test_a_compact_text_that_is_not_shorter_stays_json() -> None:
    data = {"results": [{"id": 1}]}
    assert compact_text(data, "csv", json_text='{"results":[{"id":1}]}') is None
    assert compact_text(data, "json") is None


def test_toon_form_is_the_packages_encoding() -> None:
    toon_format = pytest.importorskip("toon_format")
    page = {"count": 2, "next": None, "previous": None, "results": [{"id": 1, "n": "a, b"}]}
    text = compact_text(page, "toon")
    assert text == toon_format.dumps(page)
    assert toon_format.loads(text) == page


def test_toon_without_the_package_falls_back_to_csv(monkeypatch: Any) -> None:
    monkeypatch.setitem(sys.modules, "toon_format", None)  # import fails
    page = {"count": 1, "results": [{"id": 1, "name": "a"}]}
    assert compact_text(page, "toon") == csv_text({"count": 1}, page["results"])


# compact results over MCP --------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("text_format", ["csv", "toon"])
def test_list_text_is_compact_and_structured_content_unchanged(
    settings: Any, alice: Any, mcp: MCPClient, text_format: str
) -> None:
    if text_format == "toon":
        pytest.importorskip("toon_format")
    many_customers(alice)
    plain = mcp.call_tool("customers_list", {})
    configure(settings, RESULT_TEXT_FORMAT=text_format)
    compact = mcp.call_tool("customers_list", {})
    assert not compact.is_error
    assert compact.structured == plain.structured
    assert json.loads(text_of(plain)) == plain.structured
    assert len(text_of(compact)) < 0.8 * len(text_of(plain))
    assert "count: 7" in text_of(compact)
    assert "Customer, 0" in text_of(compact)
    # The next-page hint is still there, after the compact text.
    assert compact.content[-1]["text"] == plain.content[-1]["text"]
    assert compact.content[-1]["text"].startswith("More results: call customers_list")


@pytest.mark.django_db
def test_retrieve_and_errors_keep_json(settings: Any, data: Any, mcp: MCPClient) -> None:
    configure(settings, RESULT_TEXT_FORMAT="csv")
    found = mcp.call_tool("categories_retrieve", {"pk": data["books"].pk})
    assert json.loads(text_of(found)) == found.structured
    missing = mcp.call_tool("customers_retrieve", {"pk": 99999})
    assert missing.is_error and text_of(missing).startswith("Error: HTTP 404")


@pytest.mark.django_db
def test_rest_is_unchanged_by_the_text_format(settings: Any, alice: Any, api: APIClient) -> None:
    many_customers(alice, 2)
    before = api.get("/api/customers/").content
    configure(settings, RESULT_TEXT_FORMAT="csv")
    assert api.get("/api/customers/").content == before


@pytest.mark.django_db
def test_per_registration_text_format(sparse: None, alice: Any, mcp: MCPClient) -> None:
    many_customers(alice, 3)
    result = mcp.call_tool("default_customers_list", {"fields": ["id", "name", "tier"]})
    assert "results (3 rows, CSV" in text_of(result)
    assert "id,name,tier\n" in text_of(result)
    other = mcp.call_tool("sparse_customers_list", {})  # the setting: json
    assert json.loads(text_of(other)) == other.structured


def test_wrong_text_format_options_raise() -> None:
    with pytest.raises(TypeError, match="result_text_format"):
        MCPToolConfig(result_text_format="yaml")
    with pytest.raises(TypeError, match="default_fields"):
        MCPToolConfig(default_fields={"list": "id"})


def test_setting_check(settings: Any) -> None:
    configure(settings, RESULT_TEXT_FORMAT="yaml")
    assert any(m.id == "drf_mcp_bridge.E015" for m in check_setting_types())


def test_toon_without_the_package_warns(settings: Any, monkeypatch: Any) -> None:
    from drf_mcp_bridge.catalogue import checks as check_module

    configure(settings, RESULT_TEXT_FORMAT="toon")
    monkeypatch.setattr(check_module, "have_toon", lambda: False)
    found = [m for m in check_token_economy() if m.id == "drf_mcp_bridge.W080"]
    assert found and found[0].level == checks.WARNING
    monkeypatch.setattr(check_module, "have_toon", lambda: True)
    assert not [m for m in check_token_economy() if m.id == "drf_mcp_bridge.W080"]


# field selection ---------------------------------------------------------------------
def schema_of(mcp: MCPClient, name: str) -> dict[str, Any]:
    tools = {t["name"]: t for t in mcp.tools_list()}
    found: dict[str, Any] = tools[name]
    return found


@pytest.mark.django_db
def test_sparse_tools_advertise_fields_and_omit(sparse: None, mcp: MCPClient) -> None:
    readable = [
        "id", "owner", "name", "email", "tier", "credit_limit", "vip", "notes", "category",
        "created",
    ]  # fmt: skip
    for name in ("sparse_customers_list", "sparse_customers_retrieve"):
        properties = schema_of(mcp, name)["inputSchema"]["properties"]
        assert properties["fields"]["items"]["enum"] == readable  # never "secret"
        assert properties["omit"]["items"]["enum"] == readable
        assert properties["fields"]["type"] == "array"
    for name in ("sparse_customers_create", "sparse_customers_partial_update"):
        assert "fields" not in schema_of(mcp, name)["inputSchema"]["properties"]
    assert "fields" not in schema_of(mcp, "customers_list")["inputSchema"]["properties"]
    # Selected fields may be missing: no field of an item is required.
    output = schema_of(mcp, "sparse_customers_list")["outputSchema"]
    assert "required" not in output["properties"]["results"]["items"]
    assert "required" not in schema_of(mcp, "sparse_customers_retrieve")["outputSchema"]
    assert "required" in schema_of(mcp, "customers_retrieve")["outputSchema"]


@pytest.mark.django_db
def test_fields_and_omit_over_mcp_equal_rest(
    sparse: None, data: Any, mcp: MCPClient, api: APIClient
) -> None:
    listed = mcp.call_tool("sparse_customers_list", {"fields": ["id", "name"]})
    assert not listed.is_error
    assert [sorted(r) for r in listed.structured["results"]] == [["id", "name"]] * 3
    rest = api.get("/api/sparse-customers/", {"fields": "id,name"}).json()
    assert listed.structured == rest
    mcp.force_login(data["a1"].owner)
    api.force_login(data["a1"].owner)
    one = mcp.call_tool("sparse_customers_retrieve", {"pk": data["a1"].pk, "omit": ["notes"]})
    assert "notes" not in one.structured and "email" in one.structured
    assert one.structured == api.get(f"/api/sparse-customers/{data['a1'].pk}/?omit=notes").json()
    # A comma string, as the next-page hint may carry, is taken too.
    again = mcp.call_tool("sparse_customers_list", {"fields": "id,name"})
    assert again.structured == listed.structured


@pytest.mark.django_db
def test_bad_fields_are_tool_errors(sparse: None, data: Any, mcp: MCPClient) -> None:
    for bad in (["secret"], ["password"], ["id", "owner__password"], [], [1], {"id": True}):
        result = mcp.call_tool("sparse_customers_list", {"fields": bad})
        assert result.is_error, bad
        assert "HTTP 500" not in text_of(result)
        assert "fields" in text_of(result)
    wrong = mcp.call_tool("sparse_customers_list", {"fields": ["secret"]})
    assert text_of(wrong).startswith("Unknown field(s) in 'fields': secret.")


@pytest.mark.django_db
def test_permissions_are_unaffected(sparse: None, data: Any, mcp: MCPClient) -> None:
    anonymous = mcp.call_tool("private_customers_list", {"fields": ["id"]})
    assert anonymous.is_error
    assert "HTTP 401" in text_of(anonymous) or "HTTP 403" in text_of(anonymous)
    create = mcp.call_tool("sparse_customers_create", {"name": "X"})
    assert create.is_error  # IsAuthenticatedOrReadOnly, as without fields
    mcp.force_login(data["b1"].owner)  # bob may not see alice's customer, any field of it
    theirs = mcp.call_tool("sparse_customers_retrieve", {"pk": data["a1"].pk, "fields": ["id"]})
    assert theirs.is_error and "HTTP 403" in text_of(theirs)


@pytest.mark.django_db
def test_default_fields_are_for_mcp_only(
    sparse: None, data: Any, mcp: MCPClient, api: APIClient
) -> None:
    result = mcp.call_tool("default_customers_list", {})
    rows = list(csv.reader(io.StringIO(text_of(result).split("null):\n", 1)[1])))
    assert rows[0] == ["id", "name"]
    assert [sorted(r) for r in result.structured["results"]] == [["id", "name"]] * 3
    # REST never sees the default.
    rest = api.get("/api/default-customers/").json()
    assert "email" in rest["results"][0] and "tier" in rest["results"][0]
    assert rest == api.get("/api/sparse-customers/").json()
    # The model asks otherwise: its fields, or every field with an empty omit.
    asked = mcp.call_tool("default_customers_list", {"fields": ["id", "email"]})
    assert sorted(asked.structured["results"][0]) == ["email", "id"]
    every = mcp.call_tool("default_customers_list", {"omit": []})
    assert every.structured == rest
    described = schema_of(mcp, "default_customers_list")["inputSchema"]["properties"]
    assert "Default: id, name" in described["fields"]["description"]
    # The retrieve tool has no default.
    mcp.force_login(data["a1"].owner)
    one = mcp.call_tool("default_customers_retrieve", {"pk": data["a1"].pk})
    assert "email" in one.structured


@pytest.mark.django_db
def test_default_fields_check(sparse: None) -> None:
    from tests.testapp.views import CategoryViewSet

    class PlainCategories(CategoryViewSet):  # no sparse fields
        pass

    mcp_viewset(name="sparse_customers", default_fields={"list": ["id", "nope"]})(SparseCustomers)
    mcp_viewset(name="plain_categories", default_fields={"list": ["id"]})(PlainCategories)
    try:
        found = [m.msg for m in check_token_economy() if m.id == "drf_mcp_bridge.W081"]
    finally:
        registry.unregister(PlainCategories)
    assert any("has no field nope" in m for m in found)
    assert any("PlainCategories" in m and "takes no sparse fields" in m for m in found)


@pytest.mark.django_db
def test_next_page_keeps_the_selection(sparse: None, alice: Any, mcp: MCPClient) -> None:
    many_customers(alice)
    first = mcp.call_tool("default_customers_list", {})
    hint = first.content[-1]["text"]
    assert hint.startswith("More results: call default_customers_list with ")
    arguments = json.loads(hint.split(" with ", 1)[1].rstrip("."))
    second = mcp.call_tool("default_customers_list", arguments)
    assert not second.is_error
    assert [sorted(r) for r in second.structured["results"]] == [["id", "name"]] * 2


@pytest.mark.django_db
def test_flex_fields(sparse: None, data: Any, mcp: MCPClient, api: APIClient) -> None:
    pytest.importorskip("rest_flex_fields")
    properties = schema_of(mcp, "flex_customers_list")["inputSchema"]["properties"]
    assert properties["fields"]["items"]["enum"] == [
        "id",
        "name",
        "email",
        "tier",
        "vip",
        "created",
    ]
    assert "expand" not in properties
    listed = mcp.call_tool("flex_customers_list", {"fields": ["id", "tier"], "page": 1})
    assert listed.structured == api.get("/api/flex-customers/?fields=id,tier&page=1").json()
    assert sorted(listed.structured["results"][0]) == ["id", "tier"]
    one = mcp.call_tool("flex_customers_retrieve", {"pk": data["a1"].pk, "omit": ["email"]})
    assert "email" not in one.structured and "name" in one.structured
    bad = mcp.call_tool("flex_customers_list", {"fields": ["owner"]})
    assert bad.is_error and "Unknown field(s)" in text_of(bad)


# the docs examples (docs/tokens.md) ------------------------------------------------------
@pytest.mark.django_db
def test_tokens_page_settings_example(settings: Any, alice: Any, mcp: MCPClient) -> None:
    from drf_mcp_bridge.conf.settings import DEFAULTS

    (code,) = [b for b in python_blocks("tokens.md") if b.startswith("REST_FRAMEWORK_MCP")]
    namespace: dict[str, Any] = {}
    exec(compile(code, "<docs/tokens.md>", "exec"), namespace)
    assert set(namespace["REST_FRAMEWORK_MCP"]) <= set(DEFAULTS)
    configure(settings, **namespace["REST_FRAMEWORK_MCP"])
    assert not check_setting_types()
    many_customers(alice, 3)
    result = mcp.call_tool("customers_list", {})
    assert "count: 3" in text_of(result)  # TOON, or the CSV form without the package
    assert result.structured is not None and result.structured["count"] == 3


@pytest.mark.django_db
def test_tokens_page_field_selection_example(
    settings: Any, alice: Any, monkeypatch: Any, mcp: MCPClient, api: APIClient
) -> None:
    import types

    (code,) = [b for b in python_blocks("tokens.md") if "SparseFieldsMixin" in b]
    shop = types.ModuleType("shop.models")
    shop.Customer = Customer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "shop", types.ModuleType("shop"))
    monkeypatch.setitem(sys.modules, "shop.models", shop)
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, "<docs/tokens.md>", "exec"), namespace)
    viewset = namespace["CustomerViewSet"]
    page_router = DefaultRouter()
    page_router.register("customers", viewset, basename="docs-customer")
    module = types.ModuleType("docs_tokens_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("docs/", include(page_router.urls)),
        path("", include("tests.urls")),
    ]
    monkeypatch.setitem(sys.modules, "docs_tokens_urls", module)
    settings.ROOT_URLCONF = "docs_tokens_urls"
    registry.unregister(viewset)
    mcp_viewset(
        name="docs_customers", default_fields={"list": ["id", "name"]}, result_text_format="csv"
    )(viewset)
    try:
        many_customers(alice, 10)
        result = mcp.call_tool("docs_customers_list", {})
        assert "id,name\n" in text_of(result)
        assert [sorted(r) for r in result.structured["results"]] == [["id", "name"]] * 10
        rest = api.get("/docs/customers/").json()
        assert sorted(rest[0]) == ["email", "id", "name", "notes", "tier", "vip"]
        assert [sorted(r) for r in api.get("/docs/customers/?fields=id").json()] == [["id"]] * 10
    finally:
        registry.unregister(viewset)
