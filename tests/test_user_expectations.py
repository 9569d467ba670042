"""Behaviour users expect (issue 14, point 7): refused credentials answer as REST does,
mcp_call says whom it runs as, descriptions hold only what users wrote for the model,
unrouted ViewSets and body-less @actions are reported, visibility sees the real request,
and tool names of two routers do not collide."""

from __future__ import annotations

import logging
import sys
import types
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import checks
from django.core.management import CommandError, call_command
from django.urls import include, path
from rest_framework import generics, permissions, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.response import Response
from rest_framework.serializers import ModelSerializer

from drf_mcp_bridge import MCPRouter, mcp_viewset
from drf_mcp_bridge.catalogue.registrations import ViewSetRegistration
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.catalogue.tools import ViewSetActionTool
from drf_mcp_bridge.test import MCPClient
from tests.conftest import rpc, tool_call
from tests.testapp.models import Category
from tests.testapp.serializers import CategorySerializer, RenameSerializer

pytestmark = pytest.mark.django_db

LIST = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}


def mcp_checks(prefix: str = "drf_mcp_bridge.") -> list[checks.CheckMessage]:
    return [m for m in checks.run_checks() if (m.id or "").startswith(prefix)]


@pytest.fixture
def temporary() -> Iterator[list[Any]]:
    """ViewSets and tool names registered in a test are removed afterwards."""
    added: list[Any] = []
    yield added
    for target in added:
        registry.unregister(target)


@pytest.fixture
def urlconf(settings: Any) -> Iterator[list[Any]]:
    """A URLconf for one test: the test app's URLs plus the patterns the test appends."""
    module = types.ModuleType("tests._expectations_urls")
    module.urlpatterns = [path("", include("tests.urls"))]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module
    original = settings.ROOT_URLCONF
    settings.ROOT_URLCONF = module.__name__
    registry.invalidate()
    yield module.urlpatterns  # type: ignore[attr-defined]
    settings.ROOT_URLCONF = original
    del sys.modules[module.__name__]
    registry.invalidate()


# a. refused credentials ----------------------------------------------------------------


def test_refused_credentials_are_401_with_the_refusing_classs_header(
    client: Any, settings: Any, alice_token: str
) -> None:
    # Basic comes first and has a header of its own: the header is the one of the class
    # that refused (Token), as a client needs it to start the right flow.
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.BasicAuthentication",
            "rest_framework.authentication.TokenAuthentication",
        ],
    }
    for message in (LIST, tool_call("customers_list", {}), tool_call("no_such_tool", {})):
        refused = rpc(client, message, HTTP_AUTHORIZATION="Token wrong")
        assert refused.status_code == 401, refused.content
        assert refused["WWW-Authenticate"] == "Token"
        assert refused.json()["error"]["message"] == "Unauthorized: Invalid token."
    # The same token over REST is refused too.
    assert client.get("/api/invoices/", HTTP_AUTHORIZATION="Token wrong").status_code == 401
    # A valid token, and no credentials at all (anonymous), are served.
    assert rpc(client, LIST, HTTP_AUTHORIZATION=f"Token {alice_token}").status_code == 200
    anonymous = rpc(client, LIST)
    assert anonymous.status_code == 200 and "customers_list" in anonymous.content.decode()


def test_refused_credentials_on_session_get_and_delete(client: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "SESSIONS": True}
    bad = {"HTTP_AUTHORIZATION": "Token wrong", "HTTP_MCP_SESSION_ID": "some-session"}
    deleted = client.delete("/mcp/", **bad)
    assert deleted.status_code == 401 and deleted["WWW-Authenticate"] == "Token"
    streamed = client.get("/mcp/", HTTP_ACCEPT="text/event-stream", **bad)
    assert streamed.status_code == 401 and streamed["WWW-Authenticate"] == "Token"


class HeaderlessRefusal(TokenAuthentication):
    """A class that refuses without a WWW-Authenticate header: DRF answers 403."""

    def authenticate(self, request: Any) -> Any:
        if request.META.get("HTTP_X_KEY"):
            raise AuthenticationFailed("Unknown key.")
        return None

    def authenticate_header(self, request: Any) -> str:
        return ""


def test_a_refusal_without_any_header_is_403_as_drf_answers(client: Any, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_CLASSES": [HeaderlessRefusal],
    }
    refused = rpc(client, LIST, HTTP_X_KEY="nope")
    assert refused.status_code == 403 and "WWW-Authenticate" not in refused
    assert refused.json()["error"]["message"] == "Forbidden: Unknown key."
    assert rpc(client, LIST).status_code == 200


# b. mcp_call says whom it runs as ------------------------------------------------------


def mcp_call(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("mcp_call", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_mcp_call_says_whom_it_runs_as(alice: User) -> None:
    out, err = mcp_call("tools/list", "--user", "alice")
    assert err.strip() == "Calling as user 'alice'."
    assert "Calling" not in out  # stdout keeps only the answer
    _out, err = mcp_call("tools/list")
    assert err.strip() == "Calling as anonymous."
    alice.is_active = False
    alice.save()
    _out, err = mcp_call("tools/list", "--user", "alice")
    assert "inactive" in err


def test_mcp_call_over_http_says_what_it_sends() -> None:
    url = "http://127.0.0.1:9/mcp/"  # nothing listens: the line is written before
    for extra, expected in (
        ((), f"Calling {url} as anonymous (no Authorization or Cookie header)."),
        (
            ("--header", "Authorization: Token abc"),
            f"Calling {url} as whoever the server finds in the Authorization header.",
        ),
    ):
        err = StringIO()
        with pytest.raises(CommandError, match="Could not reach"):
            call_command("mcp_call", "tools/list", "--url", url, *extra, stderr=err)
        assert err.getvalue().strip() == expected


# c. descriptions: what users wrote for the model ---------------------------------------


def describe(viewset: type[Any], key: str) -> str:
    registration = ViewSetRegistration(viewset=viewset, basename="things")
    (operation,) = [o for o in registration.exposed_operations() if o.key == key]
    description = ViewSetActionTool(registration, operation).description
    assert description is not None
    return description


def test_framework_docstrings_are_not_descriptions() -> None:
    adrf = pytest.importorskip("adrf.viewsets")

    class Things(adrf.ModelViewSet):  # type: ignore[misc]
        queryset = Category.objects.all()
        serializer_class = CategorySerializer

    # adrf's "A viewset that provides default asynchronous `create()`..." is not ours.
    assert describe(Things, "list") == "List things."

    class Listed(generics.ListCreateAPIView):  # type: ignore[type-arg]
        queryset = Category.objects.all()
        serializer_class = CategorySerializer

    # DRF's "Concrete view for listing a queryset or creating a model instance." neither.
    from drf_mcp_bridge.catalogue.apiviews import APIViewTool

    tool = APIViewTool(Listed, "get", "listed_get", {})
    assert tool.description == "GET Listed."


def test_notes_for_developers_are_not_descriptions() -> None:
    class Things(viewsets.ModelViewSet):  # type: ignore[type-arg]
        """Categories of the catalogue."""

        queryset = Category.objects.all()
        serializer_class = CategorySerializer

        def list(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            """Override the GET method to add caching."""
            return super().list(request, *args, **kwargs)

        def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            """Custom get method that logs the lookup."""
            return super().retrieve(request, *args, **kwargs)

        def create(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            """Overridden to set the owner."""
            return super().create(request, *args, **kwargs)

        def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Any:
            """Delete a category and move its customers to no category."""
            return super().destroy(request, *args, **kwargs)

        @action(detail=True, methods=["post"], serializer_class=RenameSerializer)
        def override_name(self, request: Any, pk: Any = None) -> Response:
            """Override the name of a category for one season."""
            return Response({})

        @action(detail=True, methods=["post"], serializer_class=RenameSerializer)
        def touch(self, request: Any, pk: Any = None) -> Response:
            """Override of ModelViewSet.update for the touch endpoint."""
            return Response({})

    # "Override ..." is dropped; the ViewSet's docstring then describes the resource.
    assert describe(Things, "list") == "List things. Categories of the catalogue."
    assert describe(Things, "retrieve") == "Get a category by pk."
    assert describe(Things, "create") == "Create a category."
    assert describe(Things, "destroy") == (
        "Delete a category. Delete a category and move its customers to no category."
    )
    # Domain words are kept: "override" as what the action does.
    assert describe(Things, "override_name") == "Override the name of a category for one season."
    assert describe(Things, "touch") == "Touch (POST touch) on a category by pk."


# d. decorated ViewSets no URLconf routes -----------------------------------------------


def test_unrouted_viewset_is_reported_and_still_served(temporary: list[Any]) -> None:
    @mcp_viewset(name="loose", actions=["list"])
    class LooseCategories(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    temporary.append(LooseCategories)
    Category.objects.create(name="loose")
    (warning,) = mcp_checks("drf_mcp_bridge.W040")
    assert warning.level == checks.WARNING and warning.obj is LooseCategories
    assert "LooseCategories is exposed as MCP tools but no URLconf routes it" in warning.msg
    assert 'router.register("loose", LooseCategories)' in (warning.hint or "")
    # Still served, at the made-up path.
    result = MCPClient().call_tool("loose_list")
    assert not result.is_error and result.json()["results"][0]["name"] == "loose"


def test_partly_routed_viewset_names_the_unrouted_actions(
    temporary: list[Any], urlconf: list[Any]
) -> None:
    @mcp_viewset(name="half")
    class HalfRouted(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    temporary.append(HalfRouted)
    urlconf.append(path("half/", HalfRouted.as_view({"get": "list"}), name="half-list"))
    registry.invalidate()
    (warning,) = mcp_checks("drf_mcp_bridge.W040")
    assert "HalfRouted: the exposed action(s) retrieve have no named route" in warning.msg


# e. POST @actions without a serializer of their own ------------------------------------


def test_body_action_without_its_own_serializer(temporary: list[Any]) -> None:
    @mcp_viewset(name="shelves", actions=["publish", "rename"])
    class Shelves(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.all()
        serializer_class = CategorySerializer

        @action(detail=True, methods=["post"])
        def publish(self, request: Any, pk: Any = None) -> Response:
            """Publish a shelf."""
            return Response({"published": True})

        @action(detail=True, methods=["post"], serializer_class=RenameSerializer)
        def rename(self, request: Any, pk: Any = None) -> Response:
            """Rename a shelf."""
            return Response({})

    temporary.append(Shelves)
    (warning,) = mcp_checks("drf_mcp_bridge.W041")
    assert warning.msg.startswith("Shelves.publish is a POST @action without a serializer")
    assert "@extend_schema(request=None)" in (warning.hint or "")
    assert "serializer_class=" in (warning.hint or "")
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    # The ViewSet's fields are offered, none is required: nothing says publish reads them.
    publish = tools["shelves_publish"]["inputSchema"]
    assert publish["required"] == ["pk"] and "name" in publish["properties"]
    # An action's own serializer is described as before.
    assert tools["shelves_rename"]["inputSchema"]["required"] == ["pk", "name"]
    category = Category.objects.create(name="fiction")
    called = MCPClient().call_tool("shelves_publish", {"pk": category.pk})
    assert not called.is_error and called.json() == {"published": True}


@pytest.mark.parametrize("schema_class", ["drf", "spectacular"])
def test_extend_schema_request_none_means_no_body(
    temporary: list[Any], settings: Any, schema_class: str
) -> None:
    spectacular = pytest.importorskip("drf_spectacular.utils")
    if schema_class == "spectacular":  # extend_schema builds on DEFAULT_SCHEMA_CLASS
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
        }

    @mcp_viewset(name="racks", actions=["archive", "label"])
    class Racks(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.all()
        serializer_class = CategorySerializer

        @spectacular.extend_schema(request=None)
        @action(detail=True, methods=["post"])
        def archive(self, request: Any, pk: Any = None) -> Response:
            """Archive a rack."""
            return Response({"archived": True})

        @spectacular.extend_schema(request=RenameSerializer)
        @action(detail=True, methods=["post"])
        def label(self, request: Any, pk: Any = None) -> Response:
            """Label a rack."""
            return Response({})

    temporary.append(Racks)
    assert mcp_checks("drf_mcp_bridge.W041") == []
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    assert tools["racks_archive"]["inputSchema"]["properties"] == {"pk": {"type": "integer"}}
    assert tools["racks_label"]["inputSchema"]["required"] == ["pk", "name"]
    category = Category.objects.create(name="rack")
    refused = MCPClient().call_tool("racks_archive", {"pk": category.pk, "name": "x"})
    assert refused.is_error and "Unknown argument(s): name" in refused.text
    called = MCPClient().call_tool("racks_archive", {"pk": category.pk})
    assert not called.is_error and called.json() == {"archived": True}


# f. visibility on a faithful request ---------------------------------------------------


class TokenSuperusers(permissions.BasePermission):
    """Reads what the authentication found, as real permission classes do."""

    def has_permission(self, request: Any, view: Any) -> bool:
        return (
            isinstance(request.successful_authenticator, TokenAuthentication)
            and request.auth is not None
            and bool(request.user and request.user.is_superuser)
        )


def test_permissions_see_the_authenticator_and_auth(
    temporary: list[Any], settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": True}

    @mcp_viewset(name="vault", actions=["list"])
    class Vault(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.all()
        serializer_class = CategorySerializer
        permission_classes = [TokenSuperusers]

    temporary.append(Vault)
    root = User.objects.create_superuser("root")
    token = Token.objects.create(user=root).key
    client = MCPClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert "vault_list" in client.tool_names()
    with caplog.at_level(logging.DEBUG, logger="drf_mcp_bridge"):
        assert "vault_list" not in MCPClient().tool_names()
    assert (
        "Tool vault_list hidden from anonymous: TokenSuperusers.has_permission() refused GET."
        in caplog.messages
    )


# g. tool names of two routers ----------------------------------------------------------


class GroupSerializer(ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Group
        fields = ["id", "name"]


def test_same_prefix_on_two_routers_is_resolved_by_the_rule(
    temporary: list[Any], urlconf: list[Any]
) -> None:
    class CategoryInterfaces(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    class GroupInterfaces(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Group.objects.order_by("id")
        serializer_class = GroupSerializer

    class MoreCategoryInterfaces(CategoryInterfaces):
        pass

    first, second, third = MCPRouter(), MCPRouter(), MCPRouter()
    first.register("interfaces", CategoryInterfaces, basename="cat-interface")
    second.register("interfaces", GroupInterfaces, basename="group-interface")
    third.register("interfaces", MoreCategoryInterfaces, basename="more-interface")
    temporary.extend([CategoryInterfaces, GroupInterfaces, MoreCategoryInterfaces])
    urlconf.extend(
        [
            path("dcim/", include(first.urls)),
            path("people/", include(second.urls)),
            path("extra/", include(third.urls)),
        ]
    )
    registry.invalidate()
    names = [n for n in registry.tools() if "interfaces" in n]
    # The first keeps its names; a later one gets the first qualifier that frees them:
    # the URL segment its router is mounted under, else its model's app label, else its
    # module's app.
    assert names == [
        "interfaces_list",
        "interfaces_retrieve",
        "people_interfaces_list",
        "people_interfaces_retrieve",
        "extra_interfaces_list",
        "extra_interfaces_retrieve",
    ]
    assert mcp_checks("drf_mcp_bridge.E001") == []
    Group.objects.create(name="admins")
    result = MCPClient().call_tool("people_interfaces_list")
    assert not result.is_error and result.json()["results"][0]["name"] == "admins"
    # Names the user chose are never changed: their collision stays an error.
    registry.register_viewset(
        ViewSetRegistration(viewset=type("Chosen", (CategoryInterfaces,), {}), name="interfaces")
    )
    chosen = registry.viewset_registrations[-1].viewset
    temporary.append(chosen)
    assert {m.id for m in mcp_checks("drf_mcp_bridge.E001")} == {"drf_mcp_bridge.E001"}


def test_the_qualifier_falls_back_to_the_app_label(
    temporary: list[Any], urlconf: list[Any]
) -> None:
    class Racks(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    class SiteRacks(Racks):
        pass

    class RegionRacks(Racks):
        pass

    routers = [MCPRouter() for _ in range(3)]
    for router, viewset, segment in zip(
        routers, (Racks, SiteRacks, RegionRacks), ("dcim", "sites", "old/sites"), strict=True
    ):
        router.register("racks", viewset, basename=f"{segment.replace('/', '-')}-rack")
        urlconf.append(path(f"{segment}/", include(router.urls)))
        temporary.append(viewset)
    registry.invalidate()
    lists = [n for n in registry.tools() if n.endswith("racks_list")]
    # The second takes its URL segment; the third's ("sites") is taken, so it gets its
    # model's app label.
    assert lists == ["racks_list", "sites_racks_list", "testapp_racks_list"]
