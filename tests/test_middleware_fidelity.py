"""A tool call's inner request goes through the project's middleware, so request-scoped
state set there (django-simple-history's request, django-crum's current user, a change-log
middleware's thread-local user and request id) is the tool call's own, as over REST."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not getattr(django_settings, "HISTORY", False),
        reason="django-simple-history and django-crum are test dependencies",
    ),
]


@pytest.fixture
def ledgers() -> Iterator[None]:
    from tests.historyapp.views import LedgerViewSet

    mcp_viewset(name="ledgers")(LedgerViewSet)
    yield
    registry.unregister(LedgerViewSet)


def audit(pk: int) -> list[tuple[str, str | None, str, str]]:
    """(history type, history user, change-log action, crum user) per change of ``pk``."""
    from tests.historyapp.models import ChangeLogEntry, Ledger

    history = [
        (h.history_type, getattr(h.history_user, "username", None))
        for h in Ledger.history.filter(id=pk).order_by("history_id")
    ]
    log = [
        (e.action, e.crum_user) for e in ChangeLogEntry.objects.filter(object_id=pk).order_by("id")
    ]
    assert all(e.request_id for e in ChangeLogEntry.objects.filter(object_id=pk))
    assert all(
        e.user.username == (h[1] or "")
        for e, h in zip(
            ChangeLogEntry.objects.filter(object_id=pk).order_by("id"), history, strict=True
        )
    )
    return [(h[0], h[1], entry[0], entry[1]) for h, entry in zip(history, log, strict=True)]


def test_writes_are_attributed_to_the_callers_user_as_over_rest(
    ledgers: None, alice: User, alice_token: str
) -> None:
    mcp = MCPClient()
    mcp.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    created = mcp.call_tool("ledgers_create", {"name": "Rent", "amount": 5})
    assert not created.is_error, created.text
    pk = created.structured["id"]
    assert not mcp.call_tool("ledgers_partial_update", {"pk": pk, "amount": 7}).is_error
    assert not mcp.call_tool("ledgers_destroy", {"pk": pk}).is_error

    rest = APIClient()
    rest.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    rest_pk = rest.post("/api/ledgers/", {"name": "Rent", "amount": 5}, format="json").json()["id"]
    assert rest.patch(f"/api/ledgers/{rest_pk}/", {"amount": 7}, format="json").status_code == 200
    assert rest.delete(f"/api/ledgers/{rest_pk}/").status_code == 204

    expected = [
        ("+", "alice", "create", "alice"),
        ("~", "alice", "update", "alice"),
        ("-", "alice", "delete", "alice"),
    ]
    assert audit(rest_pk) == expected
    assert audit(pk) == expected


def test_without_the_middleware_the_change_log_refuses_the_write(
    ledgers: None, alice: User, alice_token: str, settings: Any
) -> None:
    """What a real application did before: its change log saw the outer, anonymous request
    of /mcp and raised; the tool call is an internal error and nothing is written."""
    from tests.historyapp.models import Ledger

    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "INNER_MIDDLEWARE": []}
    mcp = MCPClient()
    mcp.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    result = mcp.call_tool("ledgers_create", {"name": "Lost", "amount": 1})
    assert result.is_error and "HTTP 500" in result.text
    assert not Ledger.objects.filter(name="Lost").exists()


def test_the_chain_is_the_projects_middleware_minus_the_outer_exchange(settings: Any) -> None:
    from drf_mcp_bridge.invocation.middleware import chain, inner_middleware

    assert inner_middleware() == [
        "simple_history.middleware.HistoryRequestMiddleware",
        "crum.CurrentRequestUserMiddleware",
        "tests.historyapp.middleware.ChangeLogMiddleware",
    ]
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "INNER_MIDDLEWARE_EXCLUDE": ["crum.CurrentRequestUserMiddleware"],
    }
    assert "crum.CurrentRequestUserMiddleware" not in inner_middleware()
    assert "django.contrib.sessions.middleware.SessionMiddleware" in inner_middleware()
    assert len(chain().paths) == len(inner_middleware())


def test_a_view_error_reaches_the_middleware_as_a_500_response(
    ledgers: None, alice: User, alice_token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.historyapp import middleware
    from tests.historyapp.views import LedgerViewSet

    seen: list[int] = []
    original = middleware.ChangeLogMiddleware.__call__

    def watching(self: Any, request: Any) -> Any:
        response = original(self, request)
        seen.append(response.status_code)
        return response

    monkeypatch.setattr(middleware.ChangeLogMiddleware, "__call__", watching)

    def broken(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        raise ZeroDivisionError("a bug in the view")

    monkeypatch.setattr(LedgerViewSet, "list", broken)
    mcp = MCPClient()
    mcp.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    result = mcp.call_tool("ledgers_list")
    assert result.is_error and "HTTP 500" in result.text and "ZeroDivision" not in result.text
    assert 500 in seen  # the middleware got a response, as Django's handler would give it


def test_the_docs_example_skips_one_more_middleware(settings: Any) -> None:
    from drf_mcp_bridge.invocation.middleware import inner_middleware
    from tests.test_docs_examples import python_blocks, run_block

    (code,) = [b for b in python_blocks("calls.md") if "INNER_MIDDLEWARE_EXCLUDE" in b]
    configured = run_block(code)["REST_FRAMEWORK_MCP"]
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "myproject.middleware.Timing"]
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **configured}
    chosen = inner_middleware()
    assert "myproject.middleware.Timing" not in chosen
    assert "django.contrib.sessions.middleware.SessionMiddleware" not in chosen
    assert "crum.CurrentRequestUserMiddleware" in chosen
