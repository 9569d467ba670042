"""Limits on arguments and results, call records and signals, risky-setting checks."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks

from drf_mcp_bridge.core.signals import tool_called, tool_failed
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db


def deep(levels: int) -> Any:
    value: Any = "x"
    for _ in range(levels):
        value = [value]
    return value


def test_deeply_nested_arguments_are_refused_before_the_view(
    mcp: MCPClient, alice: User, settings: Any
) -> None:
    mcp.force_authenticate(alice)
    result = mcp.call_tool("customers_create", {"name": "Deep", "notes": deep(40)})
    assert result.is_error and "nested more than 32 levels" in result.text
    assert not Customer.objects.filter(name="Deep").exists()
    ok = mcp.call_tool("customers_create", {"name": "Shallow", "notes": "fine"})
    assert not ok.is_error


def test_overlong_strings_are_refused(mcp: MCPClient, alice: User, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "MAX_ARGUMENT_STRING_LENGTH": 100}
    mcp.force_authenticate(alice)
    result = mcp.call_tool("customers_create", {"name": "Long", "notes": "y" * 101})
    assert result.is_error and "101 characters long; the limit is 100" in result.text
    assert not Customer.objects.filter(name="Long").exists()


def test_oversized_results_are_cut_with_a_note(
    mcp: MCPClient, data: dict[str, Any], settings: Any
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "MAX_RESULT_SIZE": 200}
    result = mcp.call_tool("customers_list", {"page_size": 50})
    assert result.is_error
    assert "over the limit of 200; it was cut" in result.content[0]["text"]
    assert "filter, search or use smaller pages" in result.content[0]["text"]
    assert len(result.content[1]["text"]) == 200
    assert result.structured is None


def test_one_log_record_per_call_without_arguments_or_secrets(
    mcp: MCPClient, alice: User, alice_token: str, caplog: Any
) -> None:
    logger = logging.getLogger("drf_mcp_bridge.calls")
    logger.propagate = True  # the test settings silence it
    try:
        mcp.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
        with caplog.at_level(logging.INFO):
            mcp.call_tool("customers_create", {"name": "Logged", "secret": "hunter2"})
            mcp.call_tool("customers_retrieve", {"pk": 999})
    finally:
        logger.propagate = False
    # pytest may attach its capture handler at two levels: one record can show up twice.
    unique = {id(r): r for r in caplog.records if r.name == "drf_mcp_bridge.calls"}
    records = list(unique.values())
    assert [(r.mcp_tool, r.mcp_status, r.mcp_outcome) for r in records] == [  # type: ignore[attr-defined]
        ("customers_create", 201, "ok"),
        ("customers_retrieve", 404, "error"),
    ]
    assert records[0].mcp_user_id == alice.pk  # type: ignore[attr-defined]
    assert all(r.mcp_duration_ms >= 0 for r in records)  # type: ignore[attr-defined]
    everything = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert "hunter2" not in everything and alice_token not in everything


def test_signals(mcp: MCPClient, data: dict[str, Any], alice: User) -> None:
    mcp.force_authenticate(alice)
    called: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []

    def on_called(sender: Any, **kwargs: Any) -> None:
        called.append(kwargs)

    def on_failed(sender: Any, **kwargs: Any) -> None:
        failed.append(kwargs)

    tool_called.connect(on_called)
    tool_failed.connect(on_failed)
    try:
        mcp.call_tool("customers_retrieve", {"pk": data["a1"].pk})
        mcp.call_tool("customers_retrieve", {"pk": 999})
    finally:
        tool_called.disconnect(on_called)
        tool_failed.disconnect(on_failed)
    assert [c["status"] for c in called] == [200, 404]
    assert [f["status"] for f in failed] == [404]
    assert called[0]["tool"] == "customers_retrieve"
    assert called[0]["arguments"] == {"pk": data["a1"].pk}
    assert called[0]["result"]["structuredContent"]["name"] == "Ann"


def test_risky_settings_are_reported(settings: Any) -> None:
    settings.DEBUG = False
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "ALLOWED_ORIGINS": ["*"],
        "MAX_REQUEST_BODY_SIZE": 1000,
        "MAX_FILE_SIZE": 1000,
    }
    ids = {m.id for m in checks.run_checks()}
    assert {"drf_mcp_bridge.W010", "drf_mcp_bridge.W011"} <= ids
    settings.DEBUG = True
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "MAX_REQUEST_BODY_SIZE": 2000}
    ids = {m.id for m in checks.run_checks()}
    assert not {"drf_mcp_bridge.W010", "drf_mcp_bridge.W011"} & ids
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "AUTHENTICATION_REQUIRED": True,
        "AUTHENTICATION_CLASSES": [],
    }
    assert "drf_mcp_bridge.E012" in {m.id for m in checks.run_checks()}
