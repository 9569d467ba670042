"""REUSE_AUTHENTICATION: a tool call's view takes the user and token the endpoint
authenticated from the same headers instead of looking the token up again, only when its
authentication classes would give the same answer; otherwise (other classes, a session
login, the setting off) the view authenticates itself, and the answers are REST's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import include, path
from rest_framework import authentication, permissions, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry

pytestmark = pytest.mark.django_db

LOOKUPS: list[str] = []


class CountingToken(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> Any:
        LOOKUPS.append(key)
        return super().authenticate_credentials(key)


class Whoami(viewsets.ViewSet):
    permission_classes = [permissions.IsAuthenticated]

    def list(self, request: Any) -> Response:
        return Response(
            {
                "user": request.user.username,
                "token": getattr(request.auth, "key", None),
                "authenticator": type(request.successful_authenticator).__name__,
            }
        )


class SameClasses(Whoami):
    authentication_classes = [authentication.SessionAuthentication, CountingToken]


class OtherClasses(Whoami):
    authentication_classes = [authentication.SessionAuthentication]


urlpatterns = [
    path("whoami-same/", SameClasses.as_view({"get": "list"}), name="whoami-same"),
    path("whoami-other/", OtherClasses.as_view({"get": "list"}), name="whoami-other"),
    path("", include("tests.urls")),
]


@pytest.fixture
def views(settings: Any) -> Iterator[None]:
    settings.ROOT_URLCONF = __name__  # the test app's URLs and the two views above
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_CLASSES": [
            "rest_framework.authentication.SessionAuthentication",
            "tests.test_reuse_authentication.CountingToken",
        ],
    }
    mcp_viewset(name="same")(SameClasses)
    mcp_viewset(name="other")(OtherClasses)
    LOOKUPS.clear()
    yield
    registry.unregister(SameClasses)
    registry.unregister(OtherClasses)


def call(client: Client, tool: str, **headers: str) -> dict[str, Any]:
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "tools/call",
        "params": {"name": tool, "arguments": {}},
    }
    response = client.post(
        "/mcp/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        **headers,
    )
    found: dict[str, Any] = response.json()["result"]
    if "structuredContent" not in found and not found.get("isError"):
        found["structuredContent"] = json.loads(found["content"][0]["text"])
    return found


def test_the_same_classes_reuse_the_endpoints_lookup(
    client: Client, views: None, alice: User
) -> None:
    token = Token.objects.create(user=alice).key
    answer = call(client, "same_list", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer.get("structuredContent", {}).get("user") == "alice", answer
    assert answer["structuredContent"]["token"] == token
    assert answer["structuredContent"]["authenticator"] == "ForcedAuthentication"
    assert [token] == LOOKUPS  # once, by the endpoint
    # REST: one lookup too, by the view's own class.
    LOOKUPS.clear()
    rest = client.get("/whoami-same/", HTTP_AUTHORIZATION=f"Token {token}")
    assert rest.json()["user"] == "alice" and [token] == LOOKUPS


def test_off_the_view_authenticates_again(
    client: Client, views: None, alice: User, settings: Any
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "REUSE_AUTHENTICATION": False}
    token = Token.objects.create(user=alice).key
    answer = call(client, "same_list", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer["structuredContent"]["authenticator"] == "CountingToken"
    assert [token, token] == LOOKUPS


def test_other_classes_decide_for_themselves(client: Client, views: None, alice: User) -> None:
    """The view takes no token: the endpoint's lookup must not let the caller in."""
    token = Token.objects.create(user=alice).key
    answer = call(client, "other_list", HTTP_AUTHORIZATION=f"Token {token}")
    assert answer["isError"] is True
    assert "401" in answer["content"][0]["text"] or "403" in answer["content"][0]["text"]
    rest = client.get("/whoami-other/", HTTP_AUTHORIZATION=f"Token {token}")
    assert rest.status_code in (401, 403)


def test_a_session_login_is_checked_by_the_view(client: Client, views: None, alice: User) -> None:
    client.force_login(alice)
    answer = call(client, "same_list")
    # The view's SessionAuthentication ran (and with it DRF's CSRF check, which a GET
    # passes): not the endpoint's session class.
    assert answer["structuredContent"]["authenticator"] == "SessionAuthentication"
    assert LOOKUPS == []


class ComputedClasses(Whoami):
    """Classes computed per instance (Nautobot's token views do this)."""

    @property
    def authentication_classes(self) -> list[Any]:  # type: ignore[override]
        return [authentication.SessionAuthentication, CountingToken]


urlpatterns.insert(
    0, path("whoami-computed/", ComputedClasses.as_view({"get": "list"}), name="whoami-computed")
)


def test_classes_computed_per_instance_authenticate_themselves(
    client: Client, views: None, alice: User
) -> None:
    mcp_viewset(name="computed")(ComputedClasses)
    try:
        token = Token.objects.create(user=alice).key
        answer = call(client, "computed_list", HTTP_AUTHORIZATION=f"Token {token}")
    finally:
        registry.unregister(ComputedClasses)
    assert answer.get("structuredContent", {}).get("authenticator") == "CountingToken", answer
    assert [token, token] == LOOKUPS  # the endpoint's, then the view's own
