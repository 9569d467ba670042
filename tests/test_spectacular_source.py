"""drf-spectacular as a schema source: what a project wrote for OpenAPI (``@extend_schema``,
``@extend_schema_view``, ``@extend_schema_field``, its registered extensions) describes
its tools too. Tested against the real drf-spectacular."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from jsonschema import Draft202012Validator
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer
from tests.testapp.serializers import CategorySerializer, RenameSerializer

spectacular = pytest.importorskip("drf_spectacular.utils")
from drf_spectacular.extensions import (  # noqa: E402
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.openapi import AutoSchema  # noqa: E402
from drf_spectacular.types import OpenApiTypes  # noqa: E402
from drf_spectacular.utils import (  # noqa: E402
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["drf", "spectacular"])
def schema_class(request: Any, settings: Any) -> str:
    """extend_schema builds on DEFAULT_SCHEMA_CLASS: both DRF's and drf-spectacular's."""
    if request.param == "spectacular":
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        }
    return str(request.param)


@pytest.fixture
def temporary() -> Iterator[list[Any]]:
    added: list[Any] = []
    yield added
    for target in added:
        registry.unregister(target)


def tools() -> dict[str, dict[str, Any]]:
    listed = {t["name"]: t for t in MCPClient().tools_list()}
    for tool in listed.values():
        Draft202012Validator.check_schema(tool["inputSchema"])
        if "outputSchema" in tool:
            Draft202012Validator.check_schema(tool["outputSchema"])
    return listed


def rest(viewset: Any, method: str, action_name: str, path: str = "/", **kwargs: Any) -> Any:
    factory = APIRequestFactory()
    request = getattr(factory, method)(path, kwargs.pop("data", None), format="json")
    response = viewset.as_view({method: action_name})(request, **kwargs)
    response.render()
    return response


class Result(serializers.Serializer):  # type: ignore[type-arg]
    done = serializers.BooleanField()
    name = serializers.CharField()


def test_extend_schema_view_on_crud_actions(temporary: list[Any], schema_class: str) -> None:
    @mcp_viewset(name="shelves")
    @extend_schema_view(
        list=extend_schema(
            summary="Browse shelves",
            description="Shelves in name order.",
            parameters=[
                OpenApiParameter("starts", str, description="Name prefix."),
                OpenApiParameter("limit", OpenApiTypes.INT, required=True),
                OpenApiParameter("kind", str, enum=["a", "b"]),
                OpenApiParameter("X-Trace", str, location=OpenApiParameter.HEADER),
            ],
        ),
        retrieve=extend_schema(deprecated=True),
        destroy=extend_schema(exclude=True),
    )
    class Shelves(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("name")
        serializer_class = CategorySerializer

        def get_queryset(self) -> Any:
            queryset = super().get_queryset()
            starts = self.request.query_params.get("starts")
            if starts:
                queryset = queryset.filter(name__startswith=starts)
            return queryset[: int(self.request.query_params.get("limit", 100))]

    temporary.append(Shelves)
    listed = tools()
    assert "shelves_destroy" not in listed
    assert {"shelves_list", "shelves_retrieve", "shelves_partial_update"} <= set(listed)
    listing = listed["shelves_list"]
    assert listing["description"].startswith("Browse shelves. Shelves in name order.")
    properties = listing["inputSchema"]["properties"]
    assert properties["starts"] == {"type": "string", "description": "Name prefix."}
    assert properties["limit"] == {"type": "integer"}
    assert properties["kind"] == {"type": "string", "enum": ["a", "b"]}
    assert "X-Trace" not in properties
    assert listing["inputSchema"]["required"] == ["limit"]
    assert listed["shelves_retrieve"]["description"].startswith("Deprecated. ")

    for name in ["alpha", "beta", "alps"]:
        Category.objects.create(name=name)
    called = MCPClient().call_tool("shelves_list", {"starts": "al", "limit": 5})
    expected = rest(Shelves, "get", "list", "/?starts=al&limit=5").data
    assert not called.is_error and called.json()["results"] == expected


def test_extend_schema_on_actions(temporary: list[Any], schema_class: str) -> None:
    @mcp_viewset(name="bins", actions=["rename", "archive", "wrapped", "peek", "hidden"])
    class Bins(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.all()
        serializer_class = CategorySerializer

        @extend_schema(request=RenameSerializer, responses=Result, summary="Rename a bin")
        @action(detail=True, methods=["post"])
        def rename(self, request: Any, pk: Any = None) -> Response:
            return Response({"done": True, "name": request.data["name"]})

        @extend_schema(request=None, responses=None)
        @action(detail=True, methods=["post"])
        def archive(self, request: Any, pk: Any = None) -> Response:
            """Archive a bin."""
            return Response(status=204)

        @extend_schema(request=None, responses={200: OpenApiResponse(response=Result), 404: None})
        @action(detail=True, methods=["post"])
        def wrapped(self, request: Any, pk: Any = None) -> Response:
            return Response({"done": False, "name": self.get_object().name})

        @extend_schema(
            parameters=[OpenApiParameter("depth", int, description="How deep.")],
            responses={(200, "application/json"): Result},
        )
        @action(detail=True, methods=["get"])
        def peek(self, request: Any, pk: Any = None) -> Response:
            depth = request.query_params.get("depth", "0")
            return Response({"done": True, "name": f"{self.get_object().name}:{depth}"})

        @extend_schema(exclude=True)
        @action(detail=False, methods=["get"])
        def hidden(self, request: Any) -> Response:
            return Response({})

    temporary.append(Bins)
    listed = tools()
    assert "bins_hidden" not in listed
    rename = listed["bins_rename"]
    assert rename["description"] == "Rename a bin."
    assert rename["inputSchema"]["required"] == ["pk", "name"]
    result_schema = {
        "type": "object",
        # A plain serializer's fields may render null (DRF renders a None attribute as
        # null without asking the field).
        "properties": {"done": {"type": ["boolean", "null"]}, "name": {"type": ["string", "null"]}},
        "required": ["done", "name"],
    }
    assert rename["outputSchema"] == result_schema
    assert listed["bins_archive"]["inputSchema"]["properties"] == {"pk": {"type": "integer"}}
    assert "outputSchema" not in listed["bins_archive"]
    assert listed["bins_wrapped"]["outputSchema"] == result_schema
    peek = listed["bins_peek"]
    assert peek["outputSchema"] == result_schema
    assert peek["inputSchema"]["properties"]["depth"] == {
        "type": "integer",
        "description": "How deep.",
    }

    category = Category.objects.create(name="blue")
    client = MCPClient()  # the autouse check validates structuredContent against outputSchema
    called = client.call_tool("bins_rename", {"pk": category.pk, "name": "green"})
    assert not called.is_error and called.json() == {"done": True, "name": "green"}
    called = client.call_tool("bins_wrapped", {"pk": category.pk})
    assert called.json() == rest(Bins, "post", "wrapped", pk=category.pk).data
    called = client.call_tool("bins_peek", {"pk": category.pk, "depth": 3})
    assert called.json() == {"done": True, "name": "blue:3"}
    assert not client.call_tool("bins_archive", {"pk": category.pk}).is_error


def test_list_responses_are_wrapped_like_list(temporary: list[Any], schema_class: str) -> None:
    class Named(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField()

    @mcp_viewset(name="labels", actions=["list"])
    @extend_schema_view(list=extend_schema(responses=Named(many=True)))
    class Labels(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")

        def get_serializer_class(self) -> Any:
            return Named

    temporary.append(Labels)
    Category.objects.create(name="red")
    output = tools()["labels_list"]["outputSchema"]
    items = output["properties"]["results"]["items"]["properties"]
    assert items == {"name": {"type": ["string", "null"]}}
    called = MCPClient().call_tool("labels_list")
    assert called.json()["results"] == rest(Labels, "get", "list").data


class Owner(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_field(Owner(allow_null=True))
class OwnerField(serializers.Field):  # type: ignore[type-arg]
    def to_representation(self, value: Any) -> Any:
        return None if value.name.startswith("x") else {"id": value.pk, "name": value.name}


@extend_schema_field(serializers.IntegerField(min_value=0))
class LengthField(serializers.Field):  # type: ignore[type-arg]
    def to_representation(self, value: Any) -> int:
        return len(value)


class Annotated(serializers.ModelSerializer):  # type: ignore[type-arg]
    owner = OwnerField(source="*", read_only=True)
    length = LengthField(source="name", read_only=True)
    twin = serializers.SerializerMethodField()
    twins = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = ["id", "name", "owner", "length", "twin", "twins"]

    @extend_schema_field(Owner)
    def get_twin(self, obj: Any) -> dict[str, Any]:
        return {"id": obj.pk, "name": obj.name}

    @extend_schema_field(Owner(many=True))
    def get_twins(self, obj: Any) -> list[dict[str, Any]]:
        return [{"id": obj.pk, "name": obj.name}]


def test_extend_schema_field_with_serializers_and_fields(temporary: list[Any]) -> None:
    @mcp_viewset(name="annotated", actions=["list", "retrieve"])
    class Annotations(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = Annotated

    temporary.append(Annotations)
    output = tools()["annotated_retrieve"]["outputSchema"]
    owner = {
        "type": "object",
        "properties": {"id": {"type": ["integer", "null"]}, "name": {"type": ["string", "null"]}},
        "required": ["id", "name"],
    }
    properties = output["properties"]
    assert properties["owner"] == {**owner, "type": ["object", "null"]}
    # The same object schema twice: described once in $defs.
    assert properties["twin"] == {"$ref": "#/$defs/Owner"} and output["$defs"]["Owner"] == owner
    assert properties["twins"] == {"type": "array", "items": {"$ref": "#/$defs/Owner"}}
    assert properties["length"]["type"] == "integer"
    for name in ["plain", "xeno"]:
        category = Category.objects.create(name=name)
        called = MCPClient().call_tool("annotated_retrieve", {"pk": category.pk})
        assert called.json() == rest(Annotations, "get", "retrieve", pk=category.pk).data
    assert not MCPClient().call_tool("annotated_list").is_error


class Colour(serializers.Field):  # type: ignore[type-arg]
    def to_representation(self, value: Any) -> Any:
        return {"name": value, "rgb": "#000000"}


class Palette(serializers.BaseSerializer):  # type: ignore[type-arg]
    def to_representation(self, instance: Any) -> Any:
        return {"colours": [instance.name]}


class ColourExtension(OpenApiSerializerFieldExtension):
    target_class = Colour

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> Any:
        # An extension that registers a component and answers its $ref.
        component = auto_schema.resolve_serializer(ColourSchema, direction)
        return component.ref


class ColourSchema(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    rgb = serializers.CharField()
    code = serializers.IntegerField(write_only=True)


class PaletteExtension(OpenApiSerializerExtension):
    target_class = Palette

    def map_serializer(self, auto_schema: Any, direction: Any) -> Any:
        return {
            "type": "object",
            "properties": {
                "colours": {"type": "array", "items": {"type": "string"}},
                "id": {"type": "integer", "readOnly": True},
            },
            "required": ["colours"],
            "x-spec-enum-id": "abc",
        }


class Painted(serializers.ModelSerializer):  # type: ignore[type-arg]
    colour = Colour(source="name", read_only=True)
    palette = Palette(source="*", read_only=True)

    class Meta:
        model = Category
        fields = ["id", "colour", "palette"]


def test_registered_spectacular_extensions(temporary: list[Any]) -> None:
    @mcp_viewset(name="painted", actions=["retrieve"])
    class PaintedViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.all()
        serializer_class = Painted

    temporary.append(PaintedViewSet)
    properties = tools()["painted_retrieve"]["outputSchema"]["properties"]
    assert properties["colour"] == {
        "type": "object",
        "properties": {"name": {"type": "string"}, "rgb": {"type": "string"}},
        "required": ["name", "rgb"],
    }
    assert properties["palette"] == {
        "type": "object",
        "properties": {
            "colours": {"type": "array", "items": {"type": "string"}},
            "id": {"type": "integer"},
        },
        "required": ["colours"],
    }
    category = Category.objects.create(name="teal")
    called = MCPClient().call_tool("painted_retrieve", {"pk": category.pk})
    assert called.json() == rest(PaintedViewSet, "get", "retrieve", pk=category.pk).data


# SCHEMA_SOURCE = "spectacular" -----------------------------------------------------------


class CustomerOut(serializers.ModelSerializer):  # type: ignore[type-arg]
    category = CategorySerializer(read_only=True, allow_null=True)

    class Meta:
        model = Customer
        fields = ["id", "name", "tier", "credit_limit", "vip", "notes", "category", "created"]


class ProjectSchema(AutoSchema):
    """A project's own AutoSchema subclass: one more query parameter on reads."""

    def get_override_parameters(self) -> Any:
        extra = [OpenApiParameter("trace", bool, description="**Trace** the read.")]
        return [*super().get_override_parameters(), *(extra if self.method == "GET" else [])]


class Pages(PageNumberPagination):
    page_size = 2


def test_schema_source_spectacular(temporary: list[Any], settings: Any) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    }
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "SCHEMA_SOURCE": "spectacular"}

    @mcp_viewset(name="spec_customers")
    class SpecCustomers(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Customer.objects.order_by("id")
        serializer_class = CustomerOut
        pagination_class = Pages
        schema = ProjectSchema()

        def perform_create(self, serializer: Any) -> None:
            serializer.save(owner=User.objects.get(username="owner"))

        @extend_schema(request=RenameSerializer, responses={201: Result})
        @action(detail=True, methods=["post"])
        def rename(self, request: Any, pk: Any = None) -> Response:
            return Response({"done": True, "name": request.data["name"]}, status=201)

        @extend_schema(request=None, responses=None)
        @action(detail=True, methods=["post"])
        def touch(self, request: Any, pk: Any = None) -> Response:
            return Response(status=204)

    temporary.append(SpecCustomers)
    User.objects.create_user("owner")
    listed = tools()
    for tool in listed.values():
        if tool["name"].startswith("spec_customers_"):
            text = json.dumps(tool)
            assert "#/components" not in text and "x-spec-enum-id" not in text
            assert '"readOnly"' not in text and '"nullable"' not in text
    listing = listed["spec_customers_list"]
    assert listing["inputSchema"]["properties"] == {
        "page": {
            "type": "integer",
            "description": "A page number within the paginated result set.",
        },
        "trace": {"type": "boolean", "description": "**Trace** the read."},
    }
    items = listing["outputSchema"]["properties"]["results"]["items"]
    assert items["properties"]["tier"]["enum"] == ["free", "pro", "enterprise"]
    assert "format" not in items["properties"]["credit_limit"]
    create = listed["spec_customers_create"]["inputSchema"]
    assert "id" not in create["properties"] and "created" not in create["properties"]
    assert create["required"] == ["name"]
    assert "trace" in listed["spec_customers_retrieve"]["inputSchema"]["properties"]
    assert listed["spec_customers_partial_update"]["inputSchema"]["required"] == ["pk"]

    rename = listed["spec_customers_rename"]
    assert rename["inputSchema"]["required"] == ["pk", "name"]
    assert rename["outputSchema"]["properties"] == {
        "done": {"type": "boolean"},
        "name": {"type": "string"},
    }
    assert set(listed["spec_customers_touch"]["inputSchema"]["properties"]) == {"pk"}
    assert "outputSchema" not in listed["spec_customers_touch"]

    client = MCPClient()  # every structuredContent is checked against its outputSchema
    created = client.call_tool("spec_customers_create", {"name": "Ada", "tier": "pro"})
    assert not created.is_error, created.text
    pk = created.json()["id"]
    Customer.objects.filter(pk=pk).update(category=Category.objects.create(name="vip"))
    retrieved = client.call_tool("spec_customers_retrieve", {"pk": pk, "trace": True})
    assert retrieved.json() == rest(SpecCustomers, "get", "retrieve", pk=pk).data
    changed = client.call_tool("spec_customers_partial_update", {"pk": pk, "notes": None})
    assert not changed.is_error and changed.json()["notes"] is None
    renamed = client.call_tool("spec_customers_rename", {"pk": pk, "name": "Bea"})
    assert renamed.json() == {"done": True, "name": "Bea"}
    assert not client.call_tool("spec_customers_touch", {"pk": pk}).is_error
    page = client.call_tool("spec_customers_list", {"page": 1})
    assert page.json()["results"] == rest(SpecCustomers, "get", "list").data["results"]


def test_excluded_parameters_and_no_response(temporary: list[Any], schema_class: str) -> None:
    @mcp_viewset(name="racks", actions=["list", "retrieve", "ping"])
    @extend_schema_view(
        list=extend_schema(parameters=[OpenApiParameter("page", exclude=True)]),
        retrieve=extend_schema(responses=OpenApiTypes.NONE),
        ping=extend_schema(responses=OpenApiTypes.NONE),
    )
    class Racks(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer
        pagination_class = Pages

        @action(detail=False, methods=["get"])
        def ping(self, request: Any) -> Response:
            """Check the racks answer."""
            return Response({"pong": True})

    temporary.append(Racks)
    listed = tools()
    assert "page" not in listed["racks_list"]["inputSchema"].get("properties", {})
    assert "outputSchema" not in listed["racks_ping"]
    assert "outputSchema" not in listed["racks_retrieve"]
    assert "outputSchema" in listed["racks_list"]
    assert listed["racks_ping"]["description"] == "Check the racks answer."
    assert MCPClient().call_tool("racks_ping").json() == {"pong": True}
