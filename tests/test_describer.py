"""The tool describer (issue 15, point 5): ``ToolDescriber`` gives DRF-backed tools their
title, description and annotations; ``TOOL_DESCRIBER`` chooses it for the project, a
registration's ``describer`` for its tools; overriding one method changes only that part,
and for MCP only."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from rest_framework.test import APIClient

from drf_mcp_bridge.catalogue.apiviews import APIViewTool
from drf_mcp_bridge.catalogue.describe import ToolDescriber, describer_class
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.conf.settings import DEFAULTS
from drf_mcp_bridge.test import MCPClient
from tests.testapp.apiviews import StatusView
from tests.testapp.views import CategoryViewSet

pytestmark = pytest.mark.django_db


class ShortDescriber(ToolDescriber):
    """Only the description changes: the method and the tool name."""

    def description(self) -> str:
        return f"{self.tool.method.upper()} via {self.tool.name}."


class ResourceTitles(ToolDescriber):
    """Only the title changes, for ViewSet actions (a view's method keeps the default)."""

    def title(self) -> str:
        if self.action is None:
            return super().title()
        return f"{self.action.resource}: {self.action.action}"


class Broken(ToolDescriber):
    def description(self) -> str:
        raise RuntimeError("describer bug")


def listing() -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool for tool in MCPClient().tools_list()}


def mcp_settings_with(**changes: Any) -> Any:
    from django.conf import settings

    return override_settings(REST_FRAMEWORK_MCP={**settings.REST_FRAMEWORK_MCP, **changes})


@pytest.fixture
def describe_categories(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Sets the ``describer`` of CategoryViewSet's registration (undone afterwards)."""
    registration = registry.registration_for(CategoryViewSet)
    assert registration is not None

    def choose(describer: Any) -> None:
        monkeypatch.setattr(registration, "describer", describer, raising=False)
        registry.invalidate()

    yield choose
    monkeypatch.undo()
    registry.invalidate()


def test_the_default_is_the_setting_s_dotted_path() -> None:
    assert DEFAULTS["TOOL_DESCRIBER"] == "drf_mcp_bridge.catalogue.describe.ToolDescriber"
    assert describer_class() is ToolDescriber
    tool = registry.get_tool("customers_list")
    assert type(tool.describer) is ToolDescriber  # type: ignore[union-attr]


def test_a_describer_from_the_setting_changes_only_the_description() -> None:
    before = listing()
    with mcp_settings_with(TOOL_DESCRIBER="tests.test_describer.ShortDescriber"):
        after = listing()
    assert after["customers_list"]["description"] == "GET via customers_list."
    assert after["invoices_create"]["description"] == "POST via invoices_create."
    for name, tool in before.items():
        changed = after[name]
        assert {k: v for k, v in changed.items() if k != "description"} == {
            k: v for k, v in tool.items() if k != "description"
        }, name
    assert listing() == before  # the setting gone, the default again


def test_a_describer_class_in_the_setting() -> None:
    with mcp_settings_with(TOOL_DESCRIBER=ResourceTitles):
        after = listing()
    assert after["categories_list"]["title"] == "categories: list"
    # The annotations' title follows the tool's title.
    assert after["categories_list"]["annotations"]["title"] == "categories: list"
    assert after["categories_list"]["annotations"]["readOnlyHint"] is True


def test_a_registration_s_describer_wins_over_the_setting(describe_categories: Any) -> None:
    before = listing()
    describe_categories("tests.test_describer.ShortDescriber")
    with mcp_settings_with(TOOL_DESCRIBER=ResourceTitles):
        after = listing()
    assert after["categories_list"]["description"] == "GET via categories_list."
    assert after["categories_list"]["title"] == before["categories_list"]["title"]
    # The other registrations follow the setting.
    assert after["customers_list"]["title"] == "customers: list"
    assert after["customers_list"]["description"] == before["customers_list"]["description"]


def test_a_registration_s_describer_class(describe_categories: Any) -> None:
    before = listing()
    describe_categories(ShortDescriber)
    after = listing()
    assert after["categories_retrieve"]["description"] == "GET via categories_retrieve."
    assert after["customers_list"] == before["customers_list"]


def test_rest_is_untouched(data: dict[str, Any]) -> None:
    rest = APIClient()
    listed = rest.get("/api/categories/").json()
    options = rest.options("/api/categories/").json()
    with mcp_settings_with(TOOL_DESCRIBER="tests.test_describer.ShortDescriber"):
        assert rest.get("/api/categories/").json() == listed
        assert rest.options("/api/categories/").json() == options


def test_a_view_s_method_takes_its_describer_from_options_or_registration() -> None:
    default = APIViewTool(StatusView, "get", "status_get", {})
    assert default.description == "Whether the service is up, and who is asking."
    from_options = APIViewTool(StatusView, "get", "status_get", {"describer": ShortDescriber})
    assert from_options.description == "GET via status_get."
    assert from_options.title == default.title
    assert from_options.annotations() == default.annotations()

    class Registration:
        describer = "tests.test_describer.ShortDescriber"

    from_registration = APIViewTool(StatusView, "post", "status_echo", {}, Registration())
    assert from_registration.description == "POST via status_echo."


def test_a_failing_describer_leaves_the_default(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="drf_mcp_bridge"):
        tool = APIViewTool(StatusView, "get", "status_get", {"describer": Broken})
    assert tool.description == "Whether the service is up, and who is asking."
    assert "test_describer.Broken.description() failed for tool status_get" in caplog.text


@pytest.mark.parametrize(
    ("chosen", "message"),
    [
        ("tests.test_describer.Nowhere", "cannot be imported"),
        ("tests.test_describer.listing", "must be a subclass of"),
        (object, "must be a subclass of"),
    ],
)
def test_a_wrong_describer_is_a_configuration_error(chosen: Any, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        describer_class(chosen)
    with mcp_settings_with(TOOL_DESCRIBER=chosen), pytest.raises(ImproperlyConfigured):
        describer_class()


def test_the_tools_page_example_runs_as_written() -> None:
    from tests.test_docs_examples import python_blocks, run_block

    (code,) = [block for block in python_blocks("tools.md") if "ToolDescriber" in block]
    ns = run_block(code)
    assert set(ns["REST_FRAMEWORK_MCP"]) <= set(DEFAULTS)
    before = listing()
    with mcp_settings_with(TOOL_DESCRIBER=ns["FirstSentence"]):
        after = listing()
    assert before["customers_list"]["description"].startswith("List customers. ")
    assert after["customers_list"]["description"] == "List customers."
    assert after["invoices_list"]["description"] == "All invoices, newest last."
    assert after["customers_list"]["title"] == before["customers_list"]["title"]


def test_the_registration_s_describer_is_gone_with_the_test() -> None:
    registration = registry.registration_for(CategoryViewSet)
    assert getattr(registration, "describer", None) is None
