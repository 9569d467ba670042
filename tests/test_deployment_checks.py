"""Deployment mistakes the system checks report (a per-process or dummy cache behind
sessions and subscriptions, ALLOWED_HOSTS = ["*"]), and the explorer page refusing to
be framed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks
from django.http import HttpResponse
from django.test import Client, RequestFactory

from drf_mcp_bridge.transport.explorer import forbid_framing

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
DUMMY = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "c"}


#: The checks this module is about (other tests may leave registrations that others report).
DEPLOYMENT = {
    "drf_mcp_bridge.W013",
    "drf_mcp_bridge.E013",
    "drf_mcp_bridge.E014",
    "drf_mcp_bridge.W014",
}


def ids() -> list[str]:
    return sorted(m.id for m in checks.run_checks() if m.id in DEPLOYMENT)


def mcp(settings: Any, **values: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **values}


@pytest.mark.parametrize("feature", ["SESSIONS", "SUBSCRIPTIONS"])
def test_a_per_process_cache_behind_shared_state_is_reported(settings: Any, feature: str) -> None:
    settings.CACHES = {"default": LOCMEM}
    assert ids() == []  # nothing keeps state in the cache yet
    mcp(settings, **{feature: True})
    assert ids() == ["drf_mcp_bridge.W013"]
    (message,) = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W013"]
    assert "LocMemCache" in message.msg and "each worker process" in message.msg
    settings.DEBUG = True  # runserver: one process
    assert ids() == []


def test_a_dummy_cache_cannot_keep_sessions(settings: Any) -> None:
    settings.CACHES = {"default": LOCMEM, "mcp": DUMMY}
    mcp(settings, SESSIONS=True, SUBSCRIPTIONS=True, CACHE_ALIAS="mcp")
    assert ids() == ["drf_mcp_bridge.E013"]
    settings.DEBUG = True  # it cannot work even in one process
    assert ids() == ["drf_mcp_bridge.E013"]
    (message,) = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.E013"]
    assert "SESSIONS and SUBSCRIPTIONS" in message.msg and "'mcp'" in message.msg


def test_an_unknown_cache_alias_and_a_shared_cache(settings: Any) -> None:
    settings.CACHES = {"default": LOCMEM, "shared": DATABASE_CACHE}
    mcp(settings, SESSIONS=True, CACHE_ALIAS="nowhere")
    assert ids() == ["drf_mcp_bridge.E014"]
    mcp(settings, CACHE_ALIAS="shared")
    assert ids() == []


@pytest.mark.parametrize("debug", [False, True])
def test_allowed_hosts_wildcard_is_reported(settings: Any, debug: bool) -> None:
    """Reported under DEBUG too: a local development server is what DNS rebinding aims at."""
    settings.DEBUG = debug
    settings.ALLOWED_HOSTS = ["api.example.com", "*"]
    assert ids() == ["drf_mcp_bridge.W014"]
    (message,) = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W014"]
    assert "DNS-rebinding" in message.msg
    assert "List the host names" in str(message.hint)
    settings.ALLOWED_HOSTS = ["api.example.com"]
    assert ids() == []


@pytest.mark.django_db
def test_the_explorer_refuses_to_be_framed(client: Client) -> None:
    response = client.get("/mcp/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
    # The transport's answers are not pages: they carry no such headers.
    assert "Content-Security-Policy" not in client.get("/mcp/", HTTP_ACCEPT="application/json")


def test_framing_rule_joins_the_policy_the_page_has() -> None:
    """A second policy in the same header: the browser enforces both, so the first one
    keeps everything it says."""
    response = HttpResponse()
    response["Content-Security-Policy"] = "default-src 'self'; frame-ancestors 'self'"
    forbid_framing(RequestFactory().get("/mcp/"), response)
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; frame-ancestors 'self', frame-ancestors 'none'"
    )
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_projects_csp_is_kept_on_the_explorer(client: Client, settings: Any) -> None:
    """Django 6's CSP middleware never overwrites a header the view set: the page's header
    carries the project's SECURE_CSP as well."""
    pytest.importorskip("django.utils.csp")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE,
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
    ]
    settings.SECURE_CSP = {"default-src": ["'self'"], "img-src": ["'self'", "data:"]}
    response = client.get("/mcp/", HTTP_ACCEPT=BROWSER)
    assert response["Content-Security-Policy"] == (
        "default-src 'self'; img-src 'self' data:, frame-ancestors 'none'"
    )
