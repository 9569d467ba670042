"""DRF's permission classes and throttles decide the same over MCP as over REST.

A matrix of users x actions x permission classes, each pair run from the same data; and
throttles that count REST and MCP calls in one bucket.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.parity import assert_same_outcome, in_rollback
from tests.testapp.guarded import VIEWSETS
from tests.testapp.models import Category

pytestmark = pytest.mark.django_db

ACTIONS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    "list": ("get", "", None),
    "retrieve": ("get", "{pk}/", None),
    "create": ("post", "", {"name": "new"}),
    "update": ("put", "{pk}/", {"name": "put"}),
    "partial_update": ("patch", "{pk}/", {"name": "patched"}),
    "destroy": ("delete", "{pk}/", None),
}
USERS = ["anonymous", "plain", "with_model_perms", "staff", "superuser"]


@pytest.fixture
def exposed() -> Iterator[None]:
    for name, viewset in VIEWSETS.items():
        mcp_viewset(name=name)(viewset)
    yield
    for viewset in VIEWSETS.values():
        registry.unregister(viewset)


@pytest.fixture
def users(db: Any) -> dict[str, User | None]:
    with_perms = User.objects.create_user("perms")
    with_perms.user_permissions.set(Permission.objects.filter(content_type__model="category"))
    return {
        "anonymous": None,
        "plain": User.objects.create_user("plain"),
        "with_model_perms": with_perms,
        "staff": User.objects.create_user("staffer", is_staff=True),
        "superuser": User.objects.create_superuser("root"),
    }


@pytest.mark.parametrize("prefix", ["model_perms", "object_perms", "admin_only"])
@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("user_name", USERS)
def test_permission_matrix(
    exposed: None,
    users: dict[str, User | None],
    prefix: str,
    action: str,
    user_name: str,
) -> None:
    category = Category.objects.create(name="books")
    user = users[user_name]
    method, suffix, payload = ACTIONS[action]
    url = f"/api/guarded-{prefix.replace('_', '-')}/" + suffix.format(pk=category.pk)
    arguments = dict(payload or {})
    if "{pk}" in suffix:
        arguments["pk"] = category.pk

    def over_rest() -> tuple[int, str]:
        client = APIClient()
        if user:
            client.force_authenticate(user)
        if payload is None:
            response = getattr(client, method)(url)
        else:
            response = getattr(client, method)(url, payload, format="json")
        return response.status_code, response.content.decode()

    def over_mcp() -> Any:
        client = MCPClient()
        if user:
            client.force_authenticate(user)
        return client.call_tool(f"{prefix}_{action}", arguments)

    (status, body), rest_state = in_rollback(over_rest)
    result, mcp_state = in_rollback(over_mcp)
    assert mcp_state == rest_state
    assert_same_outcome(f"{prefix}_{action}", status, body, result)


def test_the_matrix_is_not_all_one_answer(exposed: None, users: dict[str, User | None]) -> None:
    """Sanity: the classes really allow some and deny others (so the matrix compares
    real decisions)."""
    category = Category.objects.create(name="books")
    outcomes = {}
    for user_name in USERS:
        client = MCPClient()
        if users[user_name]:
            client.force_authenticate(users[user_name])
        for prefix in ("model_perms", "object_perms", "admin_only"):
            result = client.call_tool(f"{prefix}_partial_update", {"pk": category.pk, "name": "x"})
            outcomes[(user_name, prefix)] = result.is_error
    assert outcomes[("with_model_perms", "model_perms")] is False
    assert outcomes[("plain", "model_perms")] is True
    assert outcomes[("with_model_perms", "object_perms")] is True  # no object permission
    assert outcomes[("superuser", "object_perms")] is False
    assert outcomes[("staff", "admin_only")] is False
    assert outcomes[("with_model_perms", "admin_only")] is True


@pytest.fixture
def three_per_minute(settings: Any) -> Iterator[None]:
    rest_framework = dict(settings.REST_FRAMEWORK)
    rates = dict(rest_framework.get("DEFAULT_THROTTLE_RATES", {}))
    rates["categories"] = "3/minute"
    rest_framework["DEFAULT_THROTTLE_RATES"] = rates
    settings.REST_FRAMEWORK = rest_framework
    from rest_framework.throttling import ScopedRateThrottle

    # DRF reads the rates once, at import; point the class at the test's rates.
    original = ScopedRateThrottle.THROTTLE_RATES
    ScopedRateThrottle.THROTTLE_RATES = rates
    cache.clear()
    yield
    ScopedRateThrottle.THROTTLE_RATES = original
    cache.clear()


def test_rest_and_mcp_calls_share_the_throttle_bucket(
    exposed: None, three_per_minute: None
) -> None:
    rest, mcp = APIClient(), MCPClient()
    assert rest.get("/api/guarded-throttled/").status_code == 200
    assert rest.get("/api/guarded-throttled/").status_code == 200
    assert not mcp.call_tool("throttled_list").is_error  # the third call of the minute
    throttled = mcp.call_tool("throttled_list")
    assert throttled.is_error
    assert "HTTP 429" in throttled.text
    assert "Too many requests; wait" in throttled.text and "seconds" in throttled.text
    assert rest.get("/api/guarded-throttled/").status_code == 429  # the same bucket


def test_throttle_wait_time_is_the_retry_after(exposed: None, three_per_minute: None) -> None:
    mcp = MCPClient()
    for _ in range(3):
        assert not mcp.call_tool("throttled_list").is_error
    throttled = mcp.call_tool("throttled_list")
    rest = APIClient().get("/api/guarded-throttled/")
    wait = int(rest["Retry-After"])
    assert 0 < wait <= 60
    assert f"wait {wait} seconds" in throttled.text or f"wait {wait + 1} seconds" in throttled.text
