"""expose_urls: every DRF view under a URL prefix on MCP in one line, routers or not."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from rest_framework.test import APIClient

from drf_mcp_bridge import expose_urls
from drf_mcp_bridge.catalogue.registrations import PORTABLE_TOOL_NAME
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient, ToolResult
from tests import expose_urls_conf as conf
from tests.testapp.models import Category, Customer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.expose_urls_conf")]

VIEWS = [
    conf.PartList,
    conf.PartDetail,
    conf.ArchivedParts,
    conf.PingView,
    conf.AuditLog,
    conf.GadgetDetail,
    conf.OutsideView,
    conf.ShelfViewSet,
]
SHOP_TOOLS = [
    "shelves_list",
    "shelves_retrieve",
    "parts_list",
    "parts_create",
    "parts_retrieve",
    "parts_update",
    "parts_partial_update",
    "parts_destroy",
    "archive_parts_list",  # "parts" again, under shop/archive/: the qualifier rule
    "ping_get",
    "audit_log_list",
    "gadgets_retrieve",  # a regex route in a namespace
]


@pytest.fixture
def cleanup() -> Iterator[None]:
    before = set(registry.tools())
    yield
    for view in VIEWS:
        registry.unregister(view)
    assert set(registry.tools()) == before


def new_tools(before: set[str]) -> list[str]:
    return [n for n in registry.tools() if n not in before]


def test_every_view_under_the_prefix_becomes_tools(cleanup: None) -> None:
    before = set(registry.tools())
    made = expose_urls("shop/")
    assert [getattr(r, "viewset", None) or getattr(r, "view_class", None) for r in made] == [
        conf.ShelfViewSet,
        conf.PartList,
        conf.PartDetail,
        conf.ArchivedParts,
        conf.PingView,
        conf.AuditLog,
        conf.GadgetDetail,
    ]
    assert new_tools(before) == SHOP_TOOLS
    assert all(PORTABLE_TOOL_NAME.match(n) for n in SHOP_TOOLS)
    # Views under other prefixes are not exposed; the MCP endpoint never is.
    assert not [n for n in registry.tools() if n.startswith(("outside", "status_", "mcp"))]
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    assert tools["parts_list"]["description"] == "Parts in stock."
    assert tools["parts_retrieve"]["inputSchema"]["required"] == ["pk"]
    assert tools["parts_list"]["annotations"]["readOnlyHint"] is True
    assert tools["parts_destroy"]["annotations"]["destructiveHint"] is True
    assert "outputSchema" not in tools["parts_destroy"]


def same_as_rest(result: ToolResult, response: Any) -> None:
    """The tool answered what the REST request answered: its status and its body."""
    if 200 <= response.status_code < 300:
        assert not result.is_error, result.text
        if response.status_code == 204:
            assert "HTTP 204" in result.text
        elif isinstance(response.json(), list):  # an unpaginated list, as list tools say it
            assert result.json() == {"results": response.json()}
        else:
            assert result.json() == response.json()
    else:
        assert result.is_error and f"HTTP {response.status_code}" in result.text, result.text
        assert result.json() == response.json()


def test_each_call_equals_the_rest_request(cleanup: None, alice: User) -> None:
    expose_urls("shop/")
    mcp, rest = MCPClient(), APIClient()
    mcp.force_authenticate(alice)
    rest.force_authenticate(alice)
    created = mcp.call_tool("parts_create", {"name": "Bolt", "vip": True})
    assert not created.is_error, created.text
    pk = created.json()["id"]
    assert Customer.objects.get(pk=pk).owner == alice
    Category.objects.create(name="top")
    shelf = Category.objects.get().pk
    for name, arguments, method, url, body in [
        ("parts_list", {}, "get", "/shop/parts/", None),
        ("parts_retrieve", {"pk": pk}, "get", f"/shop/parts/{pk}/", None),
        ("parts_retrieve", {"pk": 999}, "get", "/shop/parts/999/", None),
        (
            "parts_partial_update",
            {"pk": pk, "tier": "pro"},
            "patch",
            f"/shop/parts/{pk}/",
            {"tier": "pro"},
        ),
        ("parts_update", {"pk": pk, "name": "Nut"}, "put", f"/shop/parts/{pk}/", {"name": "Nut"}),
        (
            "parts_partial_update",
            {"pk": pk, "tier": "x"},
            "patch",
            f"/shop/parts/{pk}/",
            {"tier": "x"},
        ),
        ("archive_parts_list", {}, "get", "/shop/archive/parts/", None),
        ("ping_get", {}, "get", "/shop/ping/", None),
        ("audit_log_list", {}, "get", "/shop/audit-log/", None),
        ("shelves_list", {}, "get", "/shop/shelves/", None),
        ("gadgets_retrieve", {"pk": shelf}, "get", f"/shop/v3/gadgets/{shelf}/", None),
        ("shelves_retrieve", {"pk": shelf}, "get", f"/shop/shelves/{shelf}/", None),
    ]:
        result = mcp.call_tool(name, arguments)
        response = getattr(rest, method)(url, body, format="json")
        same_as_rest(result, response)
    deleted = mcp.call_tool("parts_destroy", {"pk": pk})
    assert "HTTP 204" in deleted.text and not Customer.objects.filter(pk=pk).exists()
    same_as_rest(mcp.call_tool("parts_destroy", {"pk": pk}), rest.delete(f"/shop/parts/{pk}/"))


def test_include_exclude_and_options(cleanup: None) -> None:
    before = set(registry.tools())
    expose_urls(
        "shop/",
        include=["parts", conf.PingView, "audit-log", "shelf-list", "v3:gadget"],
        exclude=["archived-parts", conf.PingView],  # by URL name or class
        tool_prefix="shop_",
        options={
            "part-detail": {"exclude": ["destroy"], "titles": {"retrieve": "Look a part up"}},
            "audit-log": {"name": "audit", "tool_names": {"list": "read_audit_log"}},
            conf.ShelfViewSet: {"actions": ["list"]},
        },
    )
    assert new_tools(before) == [
        "shop_shelves_list",
        "shop_parts_list",
        "shop_parts_create",
        "shop_parts_retrieve",
        "shop_parts_update",
        "shop_parts_partial_update",
        "read_audit_log",
        "shop_gadgets_retrieve",
    ]
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    assert tools["shop_parts_retrieve"]["title"] == "Look a part up"


def test_unknown_options_and_viewset_only_options(cleanup: None) -> None:
    with pytest.raises(TypeError, match="expose_urls options for 'parts': unknown \\['colour'\\]"):
        expose_urls("shop/", options={"parts": {"colour": "red"}})
    with pytest.raises(TypeError, match="only apply to ViewSets"):
        expose_urls("shop/", include=["ping"], options={"ping": {"metadata": True}})


def test_calling_twice_registers_nothing_new(cleanup: None) -> None:
    expose_urls("shop/")
    tools = {n: t.definition() for n, t in registry.tools().items()}
    assert expose_urls("shop/") == []
    assert expose_urls("shop/", tool_prefix="again_") == []
    assert {n: t.definition() for n, t in registry.tools().items()} == tools


def test_views_that_already_have_tools_keep_them(cleanup: None) -> None:
    from drf_mcp_bridge import mcp_view

    mcp_view({"get": "ping"})(conf.PingView)
    try:
        expose_urls("shop/", include=["ping"])
        assert "ping" in registry.tools() and "ping_get" not in registry.tools()
    finally:
        registry.unregister("ping")


def test_a_route_without_a_name_is_skipped_with_a_warning(
    cleanup: None, caplog: pytest.LogCaptureFixture
) -> None:
    expose_urls("shop/", include=[conf.UnnamedView])
    assert not [n for n in registry.tools() if n.startswith("unnamed")]
    assert "UnnamedView is routed at 'shop/unnamed/' without a name" in caplog.text


def test_the_check_suite_has_no_errors(cleanup: None) -> None:
    expose_urls("shop/")
    ours = [m for m in checks.run_checks() if m.id and m.id.startswith("drf_mcp_bridge")]
    assert [m for m in ours if m.level >= checks.ERROR] == []
    exposed = {conf.PartList, conf.PartDetail, conf.ArchivedParts, conf.AuditLog, conf.PingView}
    exposed |= {conf.GadgetDetail, conf.ShelfViewSet}
    assert [m for m in ours if m.obj in exposed] == []


def test_the_documented_example_runs_as_written(cleanup: None) -> None:
    """docs/tools.md, "Exposing every view under a URL prefix": the AppConfig.ready()."""
    import tests.testapp
    from tests.test_docs_examples import python_blocks, run_block

    (code,) = [block for block in python_blocks("tools.md") if "expose_urls" in block]
    before = set(registry.tools())
    config = run_block(code)["ShopConfig"]("tests.testapp", tests.testapp)
    config.ready()
    assert new_tools(before) == [
        "shelves_list",
        "shelves_retrieve",
        "parts_list",
        "parts_create",
        "parts_retrieve",
        "parts_update",
        "parts_partial_update",
        "ping_get",
        "read_audit_log",
        "gadgets_retrieve",
    ]
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    assert tools["parts_retrieve"]["title"] == "Look a part up"
