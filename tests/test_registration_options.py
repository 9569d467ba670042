"""One registration path (issue 15): @mcp_viewset, MCPRouter.register and expose_router take
the same options (MCPToolConfig) and give the same tools; unknown options and wrong values
are refused; conflicts are W050; old option names still work, with a DeprecationWarning."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAdminUser
from rest_framework.routers import DefaultRouter
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from drf_mcp_bridge import (
    MCPRouter,
    MCPToolConfig,
    expose_router,
    mcp_action,
    mcp_view,
    mcp_viewset,
)
from drf_mcp_bridge.catalogue.describe import ToolDescriber
from drf_mcp_bridge.catalogue.options import OPTION_NAMES
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.invocation.renderers import ResultRenderer
from drf_mcp_bridge.test import MCPClient
from tests.test_user_expectations import urlconf  # noqa: F401  (fixture)
from tests.testapp.models import Category
from tests.testapp.serializers import CategorySerializer

pytestmark = pytest.mark.django_db


class PlainDescriber(ToolDescriber):
    """Describes as the default does (only stored and used: docs/tools.md)."""


class PlainRenderer(ResultRenderer):
    """Renders as the default does."""


def starting_with_a(queryset: Any, request: Any) -> Any:
    return queryset.filter(name__startswith="A")


#: Every option whose effect tools/list or a call shows, given the same way to each path.
OPTIONS: dict[str, Any] = {
    "exclude": ["destroy"],
    "tool_prefix": "opt_",
    "tool_names": {"retrieve": "opt_read_shelf"},
    "titles": {"list": "Browse shelves"},
    "descriptions": {"list": "Every shelf whose name starts with A."},
    "metadata": True,
    "filter_queryset": starting_with_a,
    "overrides": {"create": {"permission_classes": [IsAdminUser]}},
    "describer": "tests.test_registration_options.PlainDescriber",
    "result_renderer": "tests.test_registration_options.PlainRenderer",
    "result_text_format": "csv",
}


def make_viewset() -> type[Any]:
    """A fresh ViewSet class (registrations are per class), the same every time."""

    class ShelfViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
        """Shelves of the shop."""

        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    return ShelfViewSet


@pytest.fixture
def temporary() -> Iterator[list[Any]]:
    added: list[Any] = []
    yield added
    for target in added:
        registry.unregister(target)
    registry.option_conflicts.clear()


def via_decorator(urlconf: list[Any], **options: Any) -> type[Any]:  # noqa: F811
    viewset = mcp_viewset(**options)(make_viewset())
    router = DefaultRouter()
    router.register("shelves", viewset, basename="shelf")
    urlconf.append(path("opts/", include(router.urls)))
    return viewset


def via_router(urlconf: list[Any], **options: Any) -> type[Any]:  # noqa: F811
    viewset = make_viewset()
    router = MCPRouter()
    router.register("shelves", viewset, basename="shelf", **options)
    urlconf.append(path("opts/", include(router.urls)))
    return viewset


def via_expose_router(urlconf: list[Any], **options: Any) -> type[Any]:  # noqa: F811
    viewset = make_viewset()
    router = DefaultRouter()
    router.register("shelves", viewset, basename="shelf")
    expose_router(router, **options)
    urlconf.append(path("opts/", include(router.urls)))
    return viewset


PATHS: dict[str, Callable[..., type[Any]]] = {
    "@mcp_viewset": via_decorator,
    "MCPRouter.register": via_router,
    "expose_router": via_expose_router,
}


def listed(prefix: str = "opt_") -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in MCPClient().tools_list() if t["name"].startswith(prefix)}


def exposed_through(
    way: str,
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],
    **options: Any,
) -> dict[str, Any]:
    """What one path exposes: the tools listed, a list call, the registration."""
    viewset = PATHS[way](urlconf, **options)
    temporary.append(viewset)
    registry.invalidate()
    try:
        registration = registry.registration_for(viewset)
        assert registration is not None
        tools = listed()
        called = MCPClient().call_tool("opt_shelves_list")
        assert not called.is_error, called.text
        return {
            "tools": tools,
            "listed": [c["name"] for c in called.json()["results"]],
            "describer": registration.describer,
            "result_renderer": registration.result_renderer,
        }
    finally:
        registry.unregister(viewset)
        urlconf.pop()
        registry.invalidate()


def test_the_same_options_give_the_same_tools_through_every_path(
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],
) -> None:
    Category.objects.create(name="Atlases")
    Category.objects.create(name="Books")
    found = {way: exposed_through(way, urlconf, temporary, **OPTIONS) for way in PATHS}
    first = found["@mcp_viewset"]
    assert sorted(first["tools"]) == [
        "opt_read_shelf",
        "opt_shelves_create",
        "opt_shelves_list",
        "opt_shelves_metadata",
        "opt_shelves_partial_update",
        "opt_shelves_update",
    ]
    assert first["tools"]["opt_shelves_list"]["title"] == "Browse shelves"
    assert first["listed"] == ["Atlases"]  # filter_queryset, for MCP calls
    assert first["describer"] == "tests.test_registration_options.PlainDescriber"
    assert first["result_renderer"] == "tests.test_registration_options.PlainRenderer"
    assert found["MCPRouter.register"] == first
    assert found["expose_router"] == first


def test_config_is_the_same_as_keyword_options(
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],
) -> None:
    Category.objects.create(name="Atlases")
    config = MCPToolConfig(**OPTIONS)
    by_keywords = exposed_through("MCPRouter.register", urlconf, temporary, **OPTIONS)
    for way in PATHS:
        assert exposed_through(way, urlconf, temporary, config=config) == by_keywords, way
    # Keywords are set over a config; the same value in both is fine.
    shared = MCPToolConfig(tool_prefix="opt_", exclude=["destroy"])
    over = exposed_through(
        "expose_router", urlconf, temporary, config=shared, titles={"list": "Browse shelves"}
    )
    assert over["tools"]["opt_shelves_list"]["title"] == "Browse shelves"
    assert "opt_shelves_destroy" not in over["tools"]


def test_overrides_change_mcp_calls_only_and_rest_is_unchanged(
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],
    alice: User,
) -> None:
    Category.objects.create(name="Atlases")
    Category.objects.create(name="Books")
    for way in PATHS:
        viewset = PATHS[way](urlconf, **OPTIONS)
        temporary.append(viewset)
        registry.invalidate()
        mcp = MCPClient()
        mcp.force_authenticate(alice)
        refused = mcp.call_tool("opt_shelves_create", {"name": "Comics"})
        assert refused.is_error and "permission" in refused.text.lower(), way
        rest = APIClient()
        rest.force_authenticate(alice)
        answer = rest.get("/opts/shelves/")
        assert answer.status_code == 200, way
        assert [c["name"] for c in answer.json()] == ["Atlases", "Books"], way
        made = rest.post("/opts/shelves/", {"name": f"Comics {len(way)}"}, format="json")
        assert made.status_code == 201, way  # REST keeps the ViewSet's own permissions
        assert rest.delete(f"/opts/shelves/{made.json()['id']}/").status_code == 204, way
        registry.unregister(viewset)
        urlconf.pop()
        registry.invalidate()


# unknown options and wrong values ------------------------------------------------------


@pytest.mark.parametrize("way", list(PATHS))
def test_an_unknown_option_is_a_type_error_naming_the_valid_ones(
    way: str,
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],
) -> None:
    with pytest.raises(TypeError, match="unknown option\\(s\\) colour") as raised:
        PATHS[way](urlconf, colour="red")
    for name in OPTION_NAMES:
        assert name in str(raised.value)
    assert "config=MCPToolConfig" in str(raised.value)


def test_every_path_takes_every_option() -> None:
    import inspect

    from drf_mcp_bridge.catalogue import decorators, routers

    assert {f for f in MCPToolConfig.__dataclass_fields__} == OPTION_NAMES
    assert {
        "name",
        "actions",
        "exclude",
        "tool_prefix",
        "tool_names",
        "titles",
        "descriptions",
        "basename",
        "version",
        "metadata",
        "serializer_class",
        "permission_classes",
        "throttle_classes",
        "filter_queryset",
        "overrides",
        "describer",
        "result_renderer",
        "tasks",
        "result_text_format",
        "default_fields",
    } == OPTION_NAMES
    for function in (decorators.mcp_viewset, routers.MCPRouter.register, routers.expose_router):
        parameters = inspect.signature(function).parameters
        assert "config" in parameters
        assert any(p.kind is p.VAR_KEYWORD for p in parameters.values()), function


@pytest.mark.parametrize(
    ("options", "error", "says"),
    [
        ({"actions": "list"}, TypeError, "a list of action names"),
        ({"exclude": [3]}, TypeError, "action names \\(strings\\)"),
        ({"exclude": ["audit-log"]}, ImproperlyConfigured, "exclude_viewsets"),
        ({"tool_prefix": None}, TypeError, "must be a string"),
        ({"tool_names": ["list"]}, TypeError, "maps action names"),
        ({"tool_names": {"list": 3}}, TypeError, "must be a string"),
        ({"metadata": "yes"}, TypeError, "True or False"),
        ({"serializer_class": CategorySerializer()}, TypeError, "not an instance"),
        ({"permission_classes": IsAdminUser}, TypeError, "a list of classes"),
        ({"throttle_classes": [AnonRateThrottle, object()]}, TypeError, "not the instance"),
        ({"filter_queryset": "narrow"}, TypeError, "is a function"),
        ({"overrides": {"destroy": {"colour": 1}}}, TypeError, "unknown \\['colour'\\]"),
        ({"overrides": {"destroy": [IsAdminUser]}}, TypeError, "a dict of options"),
        ({"describer": "Describer"}, TypeError, "dotted path"),
        ({"result_renderer": 3}, TypeError, "dotted path"),
        ({"result_text_format": "yaml"}, TypeError, "result_text_format is one of"),
        ({"default_fields": {"list": "id"}}, TypeError, "non-empty list of field names"),
        ({"default_fields": ["id"]}, TypeError, "maps action names to field names"),
        ({"name": ""}, ImproperlyConfigured, "must not be empty"),
    ],
)
def test_wrong_values_are_refused_when_the_config_is_made(
    options: dict[str, Any], error: type[Exception], says: str
) -> None:
    with pytest.raises(error, match=says):
        MCPToolConfig(**options)
    with pytest.raises(error, match=says):
        mcp_viewset(**options)


def test_the_config_is_frozen_and_normalised() -> None:
    config = MCPToolConfig(actions=["list"], permission_classes=[IsAdminUser])
    assert config.actions == ("list",)
    assert config.permission_classes == (IsAdminUser,)
    with pytest.raises(AttributeError):
        config.name = "x"  # type: ignore[misc]
    assert config.given() == {"actions": ("list",), "permission_classes": (IsAdminUser,)}
    assert MCPToolConfig().given() == {}


def test_an_option_given_twice_differently_in_one_call_is_refused() -> None:
    with pytest.raises(TypeError, match="tool_prefix given both in config= and as keyword"):
        mcp_viewset(config=MCPToolConfig(tool_prefix="a_"), tool_prefix="b_")
    with pytest.raises(TypeError, match="takes an MCPToolConfig"):
        mcp_viewset(config={"name": "x"})  # type: ignore[arg-type]
    with pytest.warns(DeprecationWarning), pytest.raises(TypeError, match="not both"):
        mcp_viewset(prefix="a_", tool_prefix="a_")


def test_mcp_false_with_options_is_refused_not_ignored() -> None:
    router = MCPRouter()
    with pytest.raises(TypeError, match="would go unused"):
        router.register("shelves", make_viewset(), basename="shelf", mcp=False, name="x")
    router.register("shelves", make_viewset(), basename="shelf", mcp=False)  # REST-only


# conflicts: W050 -------------------------------------------------------------------------


def w050() -> list[str]:
    return [str(m.msg) for m in checks.run_checks() if m.id == "drf_mcp_bridge.W050"]


def test_every_router_option_that_differs_from_the_decorators_is_w050(
    temporary: list[Any],
) -> None:
    viewset = mcp_viewset(name="shelves", actions=["list"], tool_prefix="opt_")(make_viewset())
    temporary.append(viewset)
    MCPRouter().register(
        "racks",
        viewset,
        basename="rack",
        name="shelves",  # agrees: no warning
        actions=["list", "retrieve"],
        metadata=True,
        permission_classes=[IsAdminUser],
    )
    plain = DefaultRouter()
    plain.register("racks", viewset, basename="rack")
    expose_router(plain, tool_prefix="crm_")
    assert w050() == [
        "ShelfViewSet: MCPRouter.register('racks') gives actions=('list', 'retrieve'), but "
        "the ViewSet's own registration (@mcp_viewset) keeps actions=('list',).",
        "ShelfViewSet: MCPRouter.register('racks') gives metadata=True, but the ViewSet's "
        "own registration (@mcp_viewset) keeps metadata=False.",
        "ShelfViewSet: MCPRouter.register('racks') gives permission_classes="
        f"({IsAdminUser!r},), but the ViewSet's own registration (@mcp_viewset) keeps "
        "permission_classes=None.",
        "ShelfViewSet: expose_router gives tool_prefix='crm_', but the ViewSet's own "
        "registration (@mcp_viewset) keeps tool_prefix='opt_'.",
    ]
    # The decorator's options won; the router taught it its prefix and basename only.
    registration = registry.registration_for(viewset)
    assert registration is not None
    assert registration.exposed_actions() == ["list"]
    assert registration.prefix == "opt_" and registration.router_prefix == "racks"
    assert registration.basename == "rack"
    assert "opt_shelves_list" in registry.tools()


def test_per_viewset_options_of_expose_router_are_set_over_its_shared_ones(
    temporary: list[Any],
) -> None:
    first, second = make_viewset(), make_viewset()
    temporary += [first, second]
    router = DefaultRouter()
    router.register("shelves", first, basename="shelf")
    router.register("racks", second, basename="rack")
    made = expose_router(
        router,
        tool_prefix="opt_",
        exclude=["destroy"],
        options={"racks": MCPToolConfig(actions=["list"]), second: {"name": "ignored"}},
    )
    assert [r.viewset for r in made] == [first, second]
    names = sorted(n for n in registry.tools() if n.startswith("opt_"))
    assert names == [
        "opt_racks_list",
        "opt_shelves_create",
        "opt_shelves_list",
        "opt_shelves_partial_update",
        "opt_shelves_retrieve",
        "opt_shelves_update",
    ]
    with pytest.raises(TypeError, match="unknown \\['colour'\\]"):
        expose_router(router, options={"racks": {"colour": "red"}})


# renamed options: the old names warn and still work ------------------------------------


def test_old_option_names_warn_at_the_callers_line_and_still_work(
    temporary: list[Any],
) -> None:
    viewset = make_viewset()
    temporary.append(viewset)
    with pytest.warns(DeprecationWarning) as caught:
        MCPRouter().register(
            "shelves",
            viewset,
            basename="shelf",
            mcp_name="shelves",
            mcp_actions=["list", "retrieve"],
            mcp_exclude=["retrieve"],
            mcp_prefix="opt_",
            mcp_version="v1",
        )
    assert [str(w.message).split("(")[1].split("=")[0] for w in caught] == [
        "mcp_name",
        "mcp_actions",
        "mcp_exclude",
        "mcp_prefix",
        "mcp_version",
    ]
    assert "pass name=... instead" in str(caught[0].message)
    assert {w.filename for w in caught} == {__file__}
    registration = registry.registration_for(viewset)
    assert registration is not None
    assert (registration.name, registration.prefix, registration.version) == (
        "shelves",
        "opt_",
        "v1",
    )
    assert [n for n in registry.tools() if n.startswith("opt_")] == ["opt_shelves_list"]


def test_prefix_is_tool_prefix_on_the_decorator_and_expose_router(temporary: list[Any]) -> None:
    with pytest.warns(DeprecationWarning, match="pass tool_prefix=") as caught:
        decorated = mcp_viewset(name="shelves", prefix="opt_")(make_viewset())
    temporary.append(decorated)
    assert caught[0].filename == __file__
    assert registry.registration_for(decorated).prefix == "opt_"  # type: ignore[union-attr]
    registry.unregister(decorated)
    plain = make_viewset()
    temporary.append(plain)
    router = DefaultRouter()
    router.register("racks", plain, basename="rack")
    with pytest.warns(DeprecationWarning, match="pass tool_prefix=") as caught:
        expose_router(router, prefix="opt_")
    assert caught[0].filename == __file__
    assert "opt_racks_list" in registry.tools()


def test_expose_routers_old_include_and_exclude_of_viewsets(temporary: list[Any]) -> None:
    first, second, third = make_viewset(), make_viewset(), make_viewset()
    temporary += [first, second, third]
    router = DefaultRouter()
    router.register("shelves", first, basename="shelf")
    router.register("racks", second, basename="rack")
    router.register("bins", third, basename="bin")
    with pytest.warns(DeprecationWarning) as caught:
        made = expose_router(
            router,
            include=["shelves", "racks", third],
            exclude=["racks", "destroy"],  # a prefix (old meaning) and an action (new)
            tool_prefix="opt_",
        )
    messages = [str(w.message) for w in caught]
    assert "pass include_viewsets=... instead" in messages[0]
    assert "pass exclude_viewsets=['racks'] instead" in messages[1]
    assert {w.filename for w in caught} == {__file__}
    assert [r.viewset for r in made] == [first, third]
    names = {n for n in registry.tools() if n.startswith("opt_")}
    assert "opt_shelves_list" in names and "opt_bins_list" in names
    assert not {n for n in names if n.startswith("opt_racks")}
    assert "opt_shelves_destroy" not in names  # "destroy" is an action


def test_the_new_viewset_picks_warn_nothing(temporary: list[Any]) -> None:
    first, second = make_viewset(), make_viewset()
    temporary += [first, second]
    router = DefaultRouter()
    router.register("shelves", first, basename="shelf")
    router.register("racks", second, basename="rack")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        made = expose_router(
            router, exclude_viewsets=[second], exclude=["destroy"], tool_prefix="opt_"
        )
    assert [r.viewset for r in made] == [first]
    assert "opt_shelves_destroy" not in registry.tools()


class ShelfOut(serializers.Serializer):  # type: ignore[type-arg]
    shelved = serializers.IntegerField()


class Nudge(serializers.Serializer):  # type: ignore[type-arg]
    message = serializers.CharField(max_length=20)


def test_mcp_action_schema_serializer_and_its_old_name(temporary: list[Any]) -> None:
    def make(**options: Any) -> type[Any]:
        class Nudging(viewsets.GenericViewSet):  # type: ignore[type-arg]
            queryset = Category.objects.order_by("id")
            serializer_class = CategorySerializer

            @mcp_action(**options)
            @action(detail=False, methods=["post"])
            def nudge(self, request: Any) -> Any:
                raise NotImplementedError

        return mcp_viewset(name="nudging", tool_prefix="opt_")(Nudging)

    new = make(schema_serializer=Nudge)
    temporary.append(new)
    schema = registry.get_tool("opt_nudging_nudge").input_schema()  # type: ignore[union-attr]
    assert set(schema["properties"]) == {"message"}
    registry.unregister(new)
    with pytest.warns(DeprecationWarning, match="pass schema_serializer=") as caught:
        old = make(serializer=Nudge)
    temporary.append(old)
    assert caught[0].filename == __file__
    assert registry.get_tool("opt_nudging_nudge").input_schema() == schema  # type: ignore[union-attr]
    with pytest.raises(TypeError, match="not both"):
        mcp_action(serializer=Nudge, schema_serializer=Nudge)


def test_mcp_view_schema_serializer_and_its_old_name(temporary: list[Any]) -> None:
    from rest_framework.views import APIView

    class Ping(APIView):
        def post(self, request: Any) -> Any:
            raise NotImplementedError

    mcp_view({"post": "opt_ping_new"}, schema_serializer=Nudge)(Ping)
    with pytest.warns(DeprecationWarning, match="pass schema_serializer=") as caught:
        mcp_view({"post": "opt_ping_old"}, serializer=Nudge)(Ping)
    temporary += ["opt_ping_new", "opt_ping_old"]
    assert caught[0].filename == __file__
    new, old = registry.get_tool("opt_ping_new"), registry.get_tool("opt_ping_old")
    assert new is not None and old is not None
    assert new.input_schema() == old.input_schema()
    assert set(new.input_schema()["properties"]) == {"message"}


def test_rest_answers_are_the_same_with_any_path(
    urlconf: list[Any],  # noqa: F811
    temporary: list[Any],
) -> None:
    Category.objects.create(name="Atlases")
    Category.objects.create(name="Books")
    bare = make_viewset()
    router = DefaultRouter()
    router.register("shelves", bare, basename="shelf")
    urlconf.append(path("opts/", include(router.urls)))
    registry.invalidate()
    client = APIClient()
    expected = [(client.get("/opts/shelves/").json(), client.options("/opts/shelves/").json())]
    urlconf.pop()
    for way in PATHS:
        viewset = PATHS[way](urlconf, **OPTIONS)
        temporary.append(viewset)
        registry.invalidate()
        answers = [(client.get("/opts/shelves/").json(), client.options("/opts/shelves/").json())]
        assert answers == expected, way
        registry.unregister(viewset)
        urlconf.pop()


def test_the_tools_page_example_runs_as_written(temporary: list[Any], alice: User) -> None:
    """docs/tools.md, "One set of options: MCPToolConfig"."""
    from tests.test_docs_examples import python_blocks, run_block

    (code,) = [block for block in python_blocks("tools.md") if "MCPToolConfig" in block]
    ns = run_block(code)
    temporary.append(ns["GroupViewSet"])
    names = sorted(n for n in registry.tools() if n.startswith("admin_groups"))
    assert names == [
        "admin_groups_create",
        "admin_groups_list",
        "admin_groups_partial_update",
        "admin_groups_retrieve",
        "admin_groups_update",
    ]
    mcp = MCPClient()
    mcp.force_authenticate(alice)
    assert {t["name"]: t for t in mcp.tools_list()}["admin_groups_list"]["title"] == (
        "Browse groups"
    )
    refused = mcp.call_tool("admin_groups_create", {"name": "editors"})
    assert refused.is_error and "permission" in refused.text.lower()
