"""Which actions become tools, under which names, and the system checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from rest_framework import mixins, viewsets
from rest_framework.views import APIView

from drf_mcp_bridge import MCPRouter, mcp_viewset
from drf_mcp_bridge.catalogue.registrations import (
    PORTABLE_TOOL_NAME,
    ViewSetRegistration,
    clean_name,
)
from drf_mcp_bridge.catalogue.registry import registry
from tests.testapp.models import Category, Note
from tests.testapp.serializers import CategorySerializer, NoteSerializer

pytestmark = pytest.mark.django_db


@pytest.fixture
def temporary() -> Iterator[list[Any]]:
    """Registrations made in a test are removed afterwards."""
    added: list[Any] = []
    yield added
    for target in added:
        registry.unregister(target)


def names() -> list[str]:
    return list(registry.tools())


def test_test_app_tool_names() -> None:
    assert names() == [
        "customers_list",
        "customers_retrieve",
        "customers_create",
        "customers_update",
        "customers_partial_update",
        "customers_destroy",
        # @actions follow in DRF's order (by function name)
        "customers_flag_get",  # one function, two methods: one tool each
        "customers_flag_post",
        "customers_unflag",  # @flag.mapping.delete
        "customers_rename",
        "customer_stats",  # stats, @mcp_action(name=...); reset_all is excluded
        "customers_vips",
        "categories_list",
        "categories_retrieve",
        "categories_recount",
        "invoices_list",
        "invoices_retrieve",
        "invoices_create",
        "invoices_update",
        "invoices_partial_update",
        "kb_notes_list",
        "kb_notes_retrieve",
        "exploding_list",
        "exploding_retrieve",
        "refusing_create",
        "kitchen_create",
    ]
    assert all(PORTABLE_TOOL_NAME.match(n) for n in names())


def test_names_come_from_router_prefix_never_djangos_plural() -> None:
    # Category's default verbose_name_plural is "categorys"; the router prefix wins.
    assert "categorys_list" not in names()
    assert "categories_list" in names()


@pytest.mark.parametrize(
    ("mixins_used", "expected"),
    [
        ((mixins.ListModelMixin,), ["list"]),
        ((mixins.CreateModelMixin, mixins.DestroyModelMixin), ["create", "destroy"]),
        ((mixins.UpdateModelMixin,), ["update", "partial_update"]),
        (
            (mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin),
            ["list", "retrieve", "update", "partial_update"],
        ),
    ],
)
def test_generic_viewset_mixins_expose_exactly_their_actions(
    temporary: list[Any], mixins_used: tuple[type, ...], expected: list[str]
) -> None:
    viewset = type(
        "MixedViewSet",
        (*mixins_used, viewsets.GenericViewSet),
        {"queryset": Category.objects.all(), "serializer_class": CategorySerializer},
    )
    mcp_viewset(name="mixed")(viewset)
    temporary.append(viewset)
    assert [n for n in names() if n.startswith("mixed_")] == [f"mixed_{a}" for a in expected]


def test_read_only_model_viewset() -> None:
    assert [n for n in names() if n.startswith("categories_")] == [
        "categories_list",
        "categories_retrieve",
        "categories_recount",  # @action
    ]


def test_include_exclude_prefix_and_overrides(temporary: list[Any]) -> None:
    @mcp_viewset(
        name="articles",
        actions=["list", "retrieve", "destroy"],
        exclude=["destroy"],
        tool_prefix="cms_",
        tool_names={"retrieve": "read_article"},
        titles={"list": "Browse articles"},
        descriptions={"list": "Every article, oldest first."},
    )
    class ArticleViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    temporary.append(ArticleViewSet)
    tools = registry.tools()
    assert "cms_articles_list" in tools
    assert "read_article" in tools
    assert not [n for n in tools if "destroy" in n and "articles" in n]
    definition = tools["cms_articles_list"].definition()
    assert definition["title"] == "Browse articles"
    assert definition["description"] == "Every article, oldest first."


def test_mcp_router_names_tools_after_prefix(temporary: list[Any]) -> None:
    class ShelfViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    router = MCPRouter()
    router.register("book-shelves", ShelfViewSet, basename="shelf")
    temporary.append(ShelfViewSet)
    assert "book_shelves_list" in names()
    assert "book_shelves_retrieve" in names()


def test_mcp_router_can_skip_mcp(temporary: list[Any]) -> None:
    class HiddenViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    router = MCPRouter()
    router.register("hidden", HiddenViewSet, basename="hidden", mcp=False)
    temporary.append(HiddenViewSet)
    assert not [n for n in names() if n.startswith("hidden")]


def test_unrouted_viewset_falls_back_to_basename_or_model(temporary: list[Any]) -> None:
    @mcp_viewset()
    class LooseNoteViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    temporary.append(LooseNoteViewSet)
    registration = registry.registration_for(LooseNoteViewSet)
    assert registration is not None
    assert registration.resource_name() == "note"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [("order-items", "order_items"), ("api/v1 things", "api_v1_things"), ("__x__", "x")],
)
def test_clean_name(text: str, cleaned: str) -> None:
    assert clean_name(text) == cleaned


UNROUTED = "drf_mcp_bridge.W040"


def run_checks() -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks() if m.id and m.id.startswith("drf_mcp_bridge")]


def test_test_app_passes_checks() -> None:
    assert run_checks() == []


def test_check_collision(temporary: list[Any]) -> None:
    @mcp_viewset(name="customers")
    class OtherCustomers(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    temporary.append(OtherCustomers)
    ids = [m.id for m in run_checks()]
    assert ids.count("drf_mcp_bridge.E001") == 2  # customers_list and _retrieve


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("has space", "drf_mcp_bridge.E002"),
        ("x" * 129, "drf_mcp_bridge.E002"),
        ("ünïcode", "drf_mcp_bridge.E002"),
        ("dotted.name", "drf_mcp_bridge.W001"),
        ("y" * 65, "drf_mcp_bridge.W001"),
    ],
)
def test_check_user_chosen_names(temporary: list[Any], name: str, expected: str) -> None:
    @mcp_viewset(actions=["list"], tool_names={"list": name})
    class Named(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    temporary.append(Named)
    # Named is routed by no URLconf: W040 says so too.
    assert sorted(m.id for m in run_checks()) == sorted([expected, UNROUTED])


def test_check_decorator_on_non_viewset(temporary: list[Any]) -> None:
    class NotAViewSet(APIView):
        pass

    mcp_viewset()(NotAViewSet)
    temporary.append(NotAViewSet)
    messages = run_checks()
    assert [m.id for m in messages] == ["drf_mcp_bridge.E003"]
    assert "not a ViewSet" in messages[0].msg
    assert not [n for n in names() if "not_a" in n]


def test_check_unknown_and_unimplemented_actions(temporary: list[Any]) -> None:
    @mcp_viewset(actions=["list", "create", "frobnicate"])
    class ReadOnly(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Note.objects.all()
        serializer_class = NoteSerializer

    temporary.append(ReadOnly)
    assert sorted(m.id for m in run_checks()) == [
        "drf_mcp_bridge.E004",
        "drf_mcp_bridge.E005",
        UNROUTED,  # routed by no URLconf
    ]


def test_check_settings(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {"ALLOWED_ORIGINS": "http://x", "MAX_REQUEST_BODY_SIZE": -1}
    assert sorted(m.id for m in run_checks()) == [
        "drf_mcp_bridge.E010",
        "drf_mcp_bridge.E011",
    ]


def test_registration_dataclass_defaults() -> None:
    registration = ViewSetRegistration(viewset=viewsets.ModelViewSet)
    assert registration.exposed_actions() == [
        "list",
        "retrieve",
        "create",
        "update",
        "partial_update",
        "destroy",
    ]
