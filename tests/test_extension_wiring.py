"""The describer and the result renderer reach APIView tools (``@mcp_view(describer=,
result_renderer=)``), and a wrong TOOL_DESCRIBER is a system check error (E017)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import checks
from django.http import HttpResponseBase

from drf_mcp_bridge import mcp_view
from drf_mcp_bridge.catalogue.describe import ToolDescriber
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.invocation.renderers import ResultRenderer
from drf_mcp_bridge.test import MCPClient
from tests.testapp.apiviews import CustomerDetail, StatusView

pytestmark = pytest.mark.django_db


class TerseDescriber(ToolDescriber):
    def description(self) -> str:
        return f"{self.tool.name}: terse."


class PlainNotFound(ResultRenderer):
    def error_message(self, response: HttpResponseBase) -> str:
        return f"No such thing (HTTP {response.status_code})."


@pytest.fixture
def wired() -> Any:
    mcp_view({"get": "wired_status"}, describer=TerseDescriber)(StatusView)
    mcp_view({"get": "wired_customer"}, result_renderer=PlainNotFound)(CustomerDetail)
    yield
    for name in ("wired_status", "wired_customer"):
        registry.unregister(name)


def test_mcp_view_takes_a_describer_and_a_result_renderer(wired: None) -> None:
    client = MCPClient()
    listed = {t["name"]: t for t in client.tools_list()}
    assert listed["wired_status"]["description"] == "wired_status: terse."
    assert listed["wired_customer"]["description"] != "wired_customer: terse."
    missing = client.call_tool("wired_customer", {"pk": 999999})
    assert missing.is_error
    assert missing.text.startswith("No such thing (HTTP 404).")
    # Other tools keep the default renderer.
    default = client.call_tool("customers_retrieve", {"pk": 999999})
    assert default.is_error and default.text.startswith("Error: HTTP 404 Not Found.")


def test_a_wrong_tool_describer_is_a_check_error(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "TOOL_DESCRIBER": "tests.nowhere.Describer",
    }
    found = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.E017"]
    assert len(found) == 1 and "cannot be imported" in found[0].msg
    # The tools are still listed, with the default descriptions.
    listed = {t["name"]: t for t in MCPClient().tools_list()}
    assert listed["customers_list"]["description"].startswith("List customers.")
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        "TOOL_DESCRIBER": "drf_mcp_bridge.invocation.renderers.ResultRenderer",
    }
    found = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.E017"]
    assert len(found) == 1 and "ToolDescriber" in found[0].msg


def test_every_setting_has_a_check_that_refuses_a_wrong_kind_of_value(settings: Any) -> None:
    """Point 5 of the architecture issue: no setting takes any value in silence."""
    from drf_mcp_bridge.conf.settings import DEFAULTS

    configured = dict(settings.REST_FRAMEWORK_MCP)
    unchecked = []
    for key, default in DEFAULTS.items():
        wrong: Any = 42 if isinstance(default, dict) else {"not": "this"}
        settings.REST_FRAMEWORK_MCP = {**configured, key: wrong}
        found = [
            m
            for m in checks.run_checks()
            if (m.id or "").startswith("drf_mcp_bridge.E") and repr(key) in m.msg
        ]
        if not found:
            unchecked.append(key)
    assert unchecked == []
