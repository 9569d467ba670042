"""Shapes of published DRF applications that the corpus (corpus/, issue 14) found the
package got wrong, each rebuilt here on the test app and compared with REST:

- nested routers ("events/<slug:event>/rooms/"): the parent's URL parameter is a required
  argument, the resource is the last literal segment;
- permissions that read what the real request carries (URL kwargs, middleware state) and
  raise without it: the tool is listed, its calls run the real check;
- choices filled per request (empty when the tool is described): no empty enum;
- a project's own list()/create()/get(): no outputSchema unless declared;
- fields that no non-null model field backs may render null;
- a ListAPIView under a parent's path parameter lists; PUT on a list route is no update;
- a class routed at two URLs has tools for both; a shadowed route has none.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import path
from jsonschema import Draft202012Validator
from rest_framework import generics, permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.test import APIClient
from rest_framework.views import APIView

from drf_mcp_bridge import expose_urls, mcp_action, mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.conftest import rpc, tool_call
from tests.test_user_expectations import temporary, urlconf  # noqa: F401  (fixtures)
from tests.testapp.models import Category, Customer

pytestmark = pytest.mark.django_db


class CustomerRow(serializers.ModelSerializer):  # type: ignore[type-arg]
    # A property of the model that may be None: DRF renders null for it.
    nickname = serializers.CharField(source="nickname_or_none", read_only=True)

    class Meta:
        model = Customer
        fields = ["id", "name", "tier", "nickname"]


class CategoryRow(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = ["id", "name"]


def _nickname(self: Customer) -> str | None:
    return None if self.name.startswith("A") else self.name.lower()


Customer.nickname_or_none = property(_nickname)  # type: ignore[attr-defined]


class CategoryInUrl(permissions.BasePermission):
    """Reads the URL's category as pretalx's permissions read request.event: it raises
    when there is no such URL (the visibility check), and refuses unknown categories."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return Category.objects.filter(pk=view.kwargs["category_pk"]).exists()


class CategoryCustomers(viewsets.ModelViewSet):  # type: ignore[type-arg]
    serializer_class = CustomerRow
    permission_classes = [permissions.IsAuthenticated, CategoryInUrl]

    def get_queryset(self) -> Any:
        return Customer.objects.filter(
            category_id=self.kwargs["category_pk"], owner=self.request.user
        ).order_by("id")

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user, category_id=self.kwargs["category_pk"])


@pytest.fixture
def nested(urlconf: list[Any], temporary: list[Any]) -> None:  # noqa: F811
    router = SimpleRouter()
    router.register(r"customers", CategoryCustomers, basename="category-customer")
    from django.urls import include

    urlconf.append(path("categories/<int:category_pk>/", include(router.urls)))
    mcp_viewset()(CategoryCustomers)
    temporary.append(CategoryCustomers)
    registry.invalidate()


def _client(user: User, kind: type[APIClient] = MCPClient) -> Any:
    client = kind()
    client.force_authenticate(user)
    return client


@pytest.mark.usefixtures("nested")
def test_a_nested_routers_parent_is_a_required_argument(alice: User) -> None:
    books = Category.objects.create(name="books")
    tools = {t["name"]: t for t in _client(alice).tools_list()}
    # Named after the last literal segment ("customers"; the test app has customers_*
    # already, so qualified by the segment before it), listed although has_permission
    # raises when there is no URL (calls run the real check).
    assert {
        "categories_customers_list",
        "categories_customers_create",
        "categories_customers_retrieve",
    } <= set(tools)
    listing = tools["categories_customers_list"]["inputSchema"]
    assert listing["properties"]["category_pk"]["type"] == "integer"
    assert "category_pk" in listing["required"]
    retrieve = tools["categories_customers_retrieve"]["inputSchema"]
    assert retrieve["required"][:2] == ["category_pk", "pk"]

    mcp, rest = _client(alice), _client(alice, APIClient)
    made = mcp.call_tool("categories_customers_create", {"category_pk": books.pk, "name": "Zed"})
    assert not made.is_error, made.text
    row = Customer.objects.get(pk=made.json()["id"])
    assert (row.category_id, row.owner_id) == (books.pk, alice.pk)
    over_rest = rest.get(f"/categories/{books.pk}/customers/")
    listed = mcp.call_tool("categories_customers_list", {"category_pk": books.pk})
    assert listed.json() == {"results": over_rest.json()}  # a bare list, in the envelope
    one = mcp.call_tool("categories_customers_retrieve", {"category_pk": books.pk, "pk": row.pk})
    assert one.json() == rest.get(f"/categories/{books.pk}/customers/{row.pk}/").json()

    # An unknown parent: what REST answers (the permission refuses), as a tool error.
    refused = mcp.call_tool("categories_customers_list", {"category_pk": books.pk + 99})
    assert rest.get(f"/categories/{books.pk + 99}/customers/").status_code == 403
    assert refused.is_error and "HTTP 403" in refused.text
    missing = mcp.call_tool("categories_customers_list", {})
    assert missing.is_error and "category_pk" in missing.text
    wrong = mcp.call_tool("categories_customers_list", {"category_pk": [1]})
    assert wrong.is_error and "must be a string or an integer" in wrong.text


@pytest.mark.usefixtures("nested")
def test_a_field_no_model_field_backs_may_be_null_in_results(alice: User) -> None:
    books = Category.objects.create(name="books")
    for name in ("Ann", "Zoe"):  # Ann's nickname is None
        Customer.objects.create(owner=alice, name=name, category=books)
    tool = registry.get_tool("categories_customers_list")
    assert tool is not None
    output = tool.output_schema()
    assert output is not None
    result = _client(alice).call_tool("categories_customers_list", {"category_pk": books.pk})
    assert not result.is_error, result.text
    # Sent as structured content, valid against the schema the client was given.
    assert result.structured is not None
    Draft202012Validator(output).validate(result.structured)
    assert [r["nickname"] for r in result.structured["results"]] == [None, "zoe"]


def test_choices_filled_per_request_give_no_empty_enum(
    alice: User,
    temporary: list[Any],  # noqa: F811
) -> None:
    class Picked(serializers.ModelSerializer):  # type: ignore[type-arg]
        pick = serializers.ChoiceField(choices=[], required=False, write_only=True)

        class Meta:
            model = Category
            fields = ["id", "name", "pick"]

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            request = self.context.get("request")
            if request is not None and request.user.is_authenticated:
                self.fields["pick"].choices = [("a", "A"), ("b", "B")]

        def create(self, validated: dict[str, Any]) -> Category:
            validated.pop("pick", None)
            return super().create(validated)

    @mcp_viewset(name="picked", actions=["create"])
    class PickedCategories(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = Picked

    temporary.append(PickedCategories)
    tool = registry.get_tool("picked_create")
    assert tool is not None
    pick = tool.input_schema()["properties"]["pick"]
    assert "enum" not in pick and pick["description"]
    made = _client(alice).call_tool("picked_create", {"name": "tea", "pick": "a"})
    assert not made.is_error, made.text
    refused = _client(alice).call_tool("picked_create", {"name": "tea2", "pick": "zzz"})
    assert refused.is_error and "HTTP 400" in refused.text  # DRF's own check, per request


def test_a_projects_own_handler_has_no_output_schema_unless_declared(
    alice: User,
    temporary: list[Any],  # noqa: F811
) -> None:
    @mcp_viewset(name="own", actions=["list", "retrieve", "create"])
    class Own(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategoryRow

        def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
            return Response(status=204)  # answers what it likes (django-oscar-api does)

        @mcp_action(output_schema={"type": "object", "properties": {"count": {"type": "integer"}}})
        def list(self, request: Any, *args: Any, **kwargs: Any) -> Response:
            return Response({"count": self.get_queryset().count()})

    temporary.append(Own)
    tools = {t["name"]: t for t in _client(alice).tools_list()}
    assert "outputSchema" not in tools["own_retrieve"]
    assert tools["own_list"]["outputSchema"]["properties"] == {"count": {"type": "integer"}}
    assert "outputSchema" in tools["own_create"]  # DRF's own create(): its serializer
    category = Category.objects.create(name="x")
    done = _client(alice).call_tool("own_retrieve", {"pk": category.pk})
    assert not done.is_error and done.structured is None and "HTTP 204" in done.text
    counted = _client(alice).call_tool("own_list")
    assert counted.structured == {"count": 1}


class StockRows(generics.ListAPIView):  # type: ignore[type-arg]
    """The customers of one category."""

    serializer_class = CustomerRow

    def get_queryset(self) -> Any:
        return Customer.objects.filter(category_id=self.kwargs["pk"]).order_by("id")


class Sync(generics.ListCreateAPIView):  # type: ignore[type-arg]
    """Categories; PUT replaces them all (a bulk sync)."""

    queryset = Category.objects.order_by("id")
    serializer_class = CategoryRow

    def put(self, request: Any) -> Response:
        return Response({"synced": request.data.get("name")})


class Shadowed(generics.ListAPIView):  # type: ignore[type-arg]
    queryset = Category.objects.none()
    serializer_class = CategoryRow


def test_url_pattern_shapes(
    alice: User,
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],  # noqa: F811
) -> None:
    urlconf.extend(
        [
            path("shapes/categories/<int:pk>/rows/", StockRows.as_view(), name="shape-rows"),
            path("shapes/sync/", Sync.as_view(), name="shape-sync"),
            path("shapes/old/sync/", Sync.as_view(), name="shape-old-sync"),
            path("shapes/sync/", Shadowed.as_view(), name="shape-shadowed"),
        ]
    )
    registry.invalidate()
    made = expose_urls("shapes/")
    temporary.extend([StockRows, Sync, Shadowed])
    assert [getattr(r, "view_class", None) for r in made] == [StockRows, Sync, Sync]
    tools = {t["name"]: t for t in _client(alice).tools_list()}
    # A ListAPIView under a parent's parameter lists: the envelope, the list's arguments.
    rows = tools["rows_list"]
    assert rows["inputSchema"]["required"] == ["pk"]
    assert "results" in rows["outputSchema"]["properties"]
    books = Category.objects.create(name="books")
    Customer.objects.create(owner=alice, name="Zoe", category=books)
    listed = _client(alice).call_tool("rows_list", {"pk": books.pk})
    over_rest = _client(alice, APIClient).get(f"/shapes/categories/{books.pk}/rows/")
    assert listed.json() == {"results": over_rest.json()}  # unpaginated: in the envelope
    assert listed.structured is not None
    # PUT on the list route is named after the method; the second route of the same class
    # is qualified by its URL segment; the shadowed route has no tools.
    assert {"sync_list", "sync_create", "sync_put"} <= set(tools)
    assert {"old_sync_list", "old_sync_create", "old_sync_put"} <= set(tools)
    assert "sync_update" not in tools
    synced = _client(alice).call_tool("old_sync_put", {"name": "all"})
    assert not synced.is_error and synced.json() == {"synced": "all"}
    assert "outputSchema" not in tools["sync_put"]  # its own put()


def test_a_declared_schema_in_python_spelling_is_made_json_schema(
    alice: User,
    temporary: list[Any],  # noqa: F811
) -> None:
    class Spelled(serializers.ModelSerializer):  # type: ignore[type-arg]
        # pretalx declares {"type": "str"} for its upload field; clients refuse the schema.
        logo = serializers.CharField(
            source="name", read_only=True, style={"mcp_schema": {"type": ["str", "null"]}}
        )
        size = serializers.IntegerField(
            source="id", read_only=True, style={"mcp_schema": {"type": "whole number"}}
        )

        class Meta:
            model = Category
            fields = ["id", "name", "logo", "size"]

    @mcp_viewset(name="spelled", actions=["retrieve"])
    class SpelledCategories(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = Spelled

    temporary.append(SpelledCategories)
    listed = {t["name"]: t for t in _client(alice).tools_list()}["spelled_retrieve"]
    Draft202012Validator.check_schema(listed["outputSchema"])
    properties = listed["outputSchema"]["properties"]
    assert properties["logo"]["type"] == ["string", "null"]
    assert "type" not in properties["size"]  # not a type name at all: left out
    category = Category.objects.create(name="tea")
    fetched = _client(alice).call_tool("spelled_retrieve", {"pk": category.pk})
    assert fetched.structured == {
        "id": category.pk,
        "name": "tea",
        "logo": "tea",
        "size": category.pk,
    }


def test_find_tools_reads_words_inside_compound_names(
    alice: User,
    temporary: list[Any],  # noqa: F811
    settings: Any,
) -> None:
    @mcp_viewset(name="useraddresses", actions=["list", "create", "destroy"])
    class UserAddresses(viewsets.ModelViewSet):  # type: ignore[type-arg]
        """The UserAddressList of django-oscar-api, in short."""

        queryset = Category.objects.order_by("id")
        serializer_class = CustomerRow

    temporary.append(UserAddresses)
    settings.REST_FRAMEWORK_MCP = {"TOOL_DISCOVERY": True}
    client = _client(alice, APIClient)
    for query, expected in [
        ("create address", "useraddresses_create"),
        ("delete address", "useraddresses_destroy"),
    ]:
        answer = rpc(client, tool_call("find_tools", {"query": query, "limit": 3})).json()
        found = answer["result"]["structuredContent"]["tools"]
        assert found[0]["name"] == expected, found


class Vouchers(APIView):
    """Add a voucher to the basket: POST {"vouchercode": "..."}."""

    def post(self, request: Any) -> Response:
        code = request.data.get("vouchercode")
        if not code:
            return Response({"reason": "No voucher code given."}, status=400)
        return Response({"added": code, "keys": sorted(request.data)})


def test_a_body_no_serializer_describes_is_passed_on(
    alice: User,
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],  # noqa: F811
) -> None:
    urlconf.append(path("bodies/vouchers/", Vouchers.as_view(), name="body-vouchers"))
    registry.invalidate()
    expose_urls("bodies/")
    temporary.append(Vouchers)
    tool = {t["name"]: t for t in _client(alice).tools_list()}["vouchers_post"]
    # Check W030 says the body is undescribed; the tool still takes one, as REST does.
    assert tool["inputSchema"]["additionalProperties"] is True
    sent = {"vouchercode": "SAVE10", "note": "x"}
    called = _client(alice).call_tool("vouchers_post", sent)
    over_rest = _client(alice, APIClient).post("/bodies/vouchers/", sent, format="json")
    assert not called.is_error and called.json() == over_rest.json()
    refused = _client(alice).call_tool("vouchers_post", {})
    assert refused.is_error and "No voucher code given." in refused.text


class NegotiatedContext(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Nautobot's pattern: the serializer context reads the negotiated media type, and
    get_queryset() builds a serializer; both ran before any handler over REST."""

    serializer_class = CustomerRow
    permission_classes = [permissions.DjangoModelPermissions]

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["depth"] = 1 if "json" in self.request.accepted_media_type else 0
        return context

    def get_queryset(self) -> Any:
        self.get_serializer()  # reads the context above
        return Customer.objects.filter(owner=self.request.user).order_by("id")

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user)


def test_schemas_and_visibility_see_a_negotiated_request(
    alice: User,
    bob: User,
    temporary: list[Any],  # noqa: F811
    settings: Any,
) -> None:
    from django.contrib.auth.models import Permission

    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": True}
    mcp_viewset(name="negotiated", actions=["list", "create"])(NegotiatedContext)
    temporary.append(NegotiatedContext)
    alice.user_permissions.add(Permission.objects.get(codename="add_customer"))
    tool = registry.get_tool("negotiated_create")
    assert tool is not None
    # The body is described (it was empty: the serializer could not be built).
    assert {"name", "tier"} <= set(tool.input_schema()["properties"])
    # DjangoModelPermissions reads get_queryset(), hence the context: judged per caller.
    assert "negotiated_create" in _client(alice).tool_names()
    assert "negotiated_create" not in _client(bob).tool_names()
    made = _client(alice).call_tool("negotiated_create", {"name": "Zed"})
    assert not made.is_error, made.text
    assert Customer.objects.get(pk=made.json()["id"]).owner == alice


def test_a_huge_filterset_keeps_the_core_lookups_by_default(
    alice: User,
    temporary: list[Any],  # noqa: F811
) -> None:
    pytest.importorskip("django_filters")
    from django_filters import rest_framework as filters

    lookups = [
        "exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith",
        "iendswith", "regex", "iregex", "in", "isnull", "gt", "gte", "lt", "lte",
    ]  # fmt: skip

    def viewset(names: list[str], name: str) -> type:
        class Filters(filters.FilterSet):
            class Meta:
                model = Customer
                fields = {field: lookups for field in names}

        class Customers(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
            queryset = Customer.objects.order_by("id")
            serializer_class = CustomerRow
            filter_backends = [filters.DjangoFilterBackend]
            filterset_class = Filters

        mcp_viewset(name=name, actions=["list"])(Customers)
        temporary.append(Customers)
        return Customers

    viewset(["name", "email", "notes"], "small")  # 48 filters: every lookup
    viewset(["name", "email", "notes", "tier"], "huge")  # 64: the core lookups
    small = registry.get_tool("small_list").input_schema()["properties"]  # type: ignore[union-attr]
    huge = registry.get_tool("huge_list").input_schema()["properties"]  # type: ignore[union-attr]
    assert {"name__iregex", "email__iendswith"} <= set(small)
    assert "name__iregex" not in huge and "tier__istartswith" not in huge
    assert {"name", "name__icontains", "name__in", "notes__isnull", "email__gte"} <= set(huge)
    Customer.objects.create(owner=alice, name="Zoe")
    found = _client(alice).call_tool("huge_list", {"name__icontains": "zo"})
    assert [r["name"] for r in found.json()["results"]] == ["Zoe"]
    refused = _client(alice).call_tool("huge_list", {"name__iregex": "^z"})
    assert refused.is_error and "Unknown argument" in refused.text


def test_find_tools_ranks_by_what_the_query_is_about(
    alice: User,
    temporary: list[Any],  # noqa: F811
    settings: Any,
) -> None:
    class Rows(viewsets.ModelViewSet):  # type: ignore[type-arg]
        """Rows of a device."""

        queryset = Category.objects.order_by("id")
        serializer_class = CustomerRow

    made = []
    for name in ["devices", "device_families", "device_bay_templates", "interfaces"]:
        cls = type(f"{name.title()}ViewSet", (Rows,), {"__doc__": f"The {name} of a device."})
        mcp_viewset(name=name, actions=["list"])(cls)
        temporary.append(cls)
        made.append(cls)
    settings.REST_FRAMEWORK_MCP = {"TOOL_DISCOVERY": True}
    client = _client(alice, APIClient)
    for query, expected in [
        ("list devices", "devices_list"),
        ("interfaces of a device", "interfaces_list"),
    ]:
        answer = rpc(client, tool_call("find_tools", {"query": query, "limit": 3})).json()
        assert answer["result"]["structuredContent"]["tools"][0]["name"] == expected, answer
