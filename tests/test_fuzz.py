"""Fuzzing the endpoint: generated bodies never give a 500, a traceback or a write."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzzing import bodies, check_response, headers
from tests.parity import database_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def atomic_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    """ATOMIC_REQUESTS, as production sites should run: the test app's views that write
    and then fail on purpose leave nothing behind, over REST and MCP alike (without it
    both keep the half-done write; tests/test_regression.py compares that case)."""
    from django.db import connections

    # The flag is read from the connection handler's settings and the connection's own.
    monkeypatch.setitem(connections.settings["default"], "ATOMIC_REQUESTS", True)
    monkeypatch.setitem(connections["default"].settings_dict, "ATOMIC_REQUESTS", True)


#: The test command sends this many; bench/fuzz.py sends 10,000 and more.
EXAMPLES = 400


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(body=bodies, extra=headers)
def test_generated_bodies(
    client: Any, data: dict[str, Any], atomic_requests: None, body: bytes, extra: dict[str, str]
) -> None:
    before = database_state()
    content_type = extra.pop("CONTENT_TYPE", "application/json")
    extra.setdefault("HTTP_ACCEPT", "application/json, text/event-stream")
    response = client.post("/mcp/", data=body, content_type=content_type, **extra)
    check_response(response)
    # An anonymous client may change nothing: every write is refused or rolled back.
    assert database_state() == before
