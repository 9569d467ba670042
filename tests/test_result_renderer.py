"""The result renderer: a ResultRenderer subclass, chosen by the RESULT_RENDERER setting or
by a tool's (or its registration's) ``result_renderer``, changes just the hooked part of
the tool result; the REST response stays the view's own."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from rest_framework.test import APIClient

from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.core import jsonrpc
from drf_mcp_bridge.invocation import renderers
from drf_mcp_bridge.invocation.renderers import ResultRenderer, renderer_for
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Customer

MISSING = 999999
DEFAULT_404 = "Error: HTTP 404 Not Found. Nothing matches these arguments; list the resource"


class FriendlyNotFound(ResultRenderer):
    status_hints = {**ResultRenderer.status_hints, 404: "No such thing here."}


class TerseEmpty(ResultRenderer):
    def empty_result(self, response: Any) -> Any:
        return {"content": [{"type": "text", "text": "Done."}]}


class TextOnly(ResultRenderer):
    def json_result(self, response: Any, data: Any, raw: bytes) -> Any:
        result = super().json_result(response, data, raw)
        result.pop("structuredContent")
        return result


class NotARenderer:
    pass


def configure(settings: Any, **values: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **values}


def missing(mcp: MCPClient, name: str = "categories_retrieve") -> str:
    result = mcp.call_tool(name, {"pk": MISSING})
    assert result.is_error
    return result.content[0]["text"]


@pytest.mark.django_db
def test_the_default_renderer_is_the_setting(settings: Any) -> None:
    tool = registry.get_tool("categories_retrieve")
    assert renderer_for(tool) is ResultRenderer
    configure(settings, RESULT_RENDERER=f"{__name__}.FriendlyNotFound")
    assert renderer_for(tool) is FriendlyNotFound


@pytest.mark.django_db
def test_a_renderer_from_the_setting_changes_only_the_hooked_message(
    settings: Any, mcp: MCPClient, api: APIClient, data: dict[str, Any]
) -> None:
    rest_before = api.get(f"/api/categories/{MISSING}/")
    assert missing(mcp).startswith(DEFAULT_404)
    listed = mcp.call_tool("categories_list").raw

    configure(settings, RESULT_RENDERER=f"{__name__}.FriendlyNotFound")
    assert missing(mcp) == "Error: HTTP 404 Not Found. No such thing here."
    # The other answers are the default renderer's, and REST is untouched.
    assert mcp.call_tool("categories_list").raw == listed
    assert "The current user is not allowed" in mcp.call_tool("customers_create", {}).text
    rest_after = api.get(f"/api/categories/{MISSING}/")
    assert rest_after.status_code == rest_before.status_code == 404
    assert rest_after.json() == rest_before.json()


@pytest.mark.django_db
def test_a_tools_own_renderer_wins_over_the_setting(
    settings: Any, mcp: MCPClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(settings, RESULT_RENDERER=f"{__name__}.TerseEmpty")
    tool = registry.get_tool("categories_retrieve")
    monkeypatch.setattr(tool, "result_renderer", FriendlyNotFound, raising=False)
    assert missing(mcp) == "Error: HTTP 404 Not Found. No such thing here."
    # Other tools keep the setting's renderer, whose 404 is the default one.
    assert missing(mcp, "customers_retrieve").startswith("Error: HTTP 404 Not Found. Nothing")


@pytest.mark.django_db
def test_a_registrations_renderer_as_a_dotted_path(
    mcp: MCPClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = registry.get_tool("categories_retrieve")
    assert tool is not None
    if getattr(tool, "result_renderer", None) is not None:  # pragma: no cover
        pytest.skip("the tool carries its own renderer")
    registration = tool.registration
    monkeypatch.setattr(
        registration, "result_renderer", f"{__name__}.FriendlyNotFound", raising=False
    )
    assert missing(mcp) == "Error: HTTP 404 Not Found. No such thing here."


@pytest.mark.django_db
def test_the_empty_and_json_hooks(settings: Any, alice: User) -> None:
    mcp = MCPClient()
    mcp.force_authenticate(alice)
    gone = Customer.objects.create(owner=alice, name="Cy")
    default = mcp.call_tool("customers_destroy", {"pk": gone.pk})
    assert default.text == "Done (HTTP 204, no content)."
    configure(settings, RESULT_RENDERER=f"{__name__}.TerseEmpty")
    second = Customer.objects.create(owner=alice, name="Di")
    assert mcp.call_tool("customers_destroy", {"pk": second.pk}).text == "Done."

    kept = Customer.objects.create(owner=alice, name="Ed")
    shown = mcp.call_tool("customers_retrieve", {"pk": kept.pk})
    assert shown.structured is not None and shown.structured["name"] == "Ed"
    configure(settings, RESULT_RENDERER=f"{__name__}.TextOnly")
    text_only = mcp.call_tool("customers_retrieve", {"pk": kept.pk})
    assert text_only.structured is None
    assert text_only.json() == shown.structured


def test_error_message_hook_keeps_retry_after() -> None:
    throttled = HttpResponse(status=429)
    throttled["Retry-After"] = "7"
    assert FriendlyNotFound().error_message(throttled) == (
        "Error: HTTP 429 Too Many Requests. Too many requests; wait 7 seconds before retrying."
    )
    assert FriendlyNotFound().error_message(HttpResponse(status=599)) == "Error: HTTP 599."


def test_dotted_paths_are_imported_once(monkeypatch: pytest.MonkeyPatch) -> None:
    imported: list[str] = []
    real = renderers.import_string

    def counting(path: str) -> Any:
        imported.append(path)
        return real(path)

    renderers._imported.cache_clear()
    monkeypatch.setattr(renderers, "import_string", counting)
    tool = type("Tool", (), {"result_renderer": f"{__name__}.TerseEmpty"})()
    assert [renderer_for(tool) for _ in range(3)] == [TerseEmpty] * 3
    assert imported == [f"{__name__}.TerseEmpty"]
    renderers._imported.cache_clear()


def test_a_wrong_renderer_is_improperly_configured() -> None:
    for wrong in (NotARenderer, f"{__name__}.NotARenderer", f"{__name__}.Nowhere", 3):
        tool = type("Tool", (), {"result_renderer": wrong})()
        with pytest.raises(ImproperlyConfigured):
            renderer_for(tool)


def test_check_e016_reports_a_wrong_result_renderer(settings: Any) -> None:
    def e016(value: Any) -> list[str]:
        configure(settings, RESULT_RENDERER=value)
        return [str(m.msg) for m in checks.run_checks() if m.id == "drf_mcp_bridge.E016"]

    assert e016(f"{__name__}.FriendlyNotFound") == []
    assert e016(FriendlyNotFound) == []
    (unimportable,) = e016("shop.nowhere.Results")
    assert unimportable.startswith(
        "REST_FRAMEWORK_MCP['RESULT_RENDERER']: Result renderer 'shop.nowhere.Results' "
        "cannot be imported"
    )
    (not_one,) = e016(f"{__name__}.NotARenderer")
    assert "is not a subclass of drf_mcp_bridge.invocation.renderers.ResultRenderer" in (not_one)


class AddsAField(ResultRenderer):
    def json_result(self, response: Any, data: Any, raw: bytes) -> Any:
        result = super().json_result(response, data, raw)
        result["structuredContent"] = {**data, "seen_by": "renderer"}
        return result


@pytest.mark.django_db
def test_the_answer_carries_the_views_own_json_as_structured_content(
    mcp: MCPClient, api: APIClient, data: dict[str, Any]
) -> None:
    """The view's rendered body is spliced into the answer (not parsed and encoded
    again): the wire has REST's exact bytes as structuredContent and as the text."""
    pk = data["books"].pk
    rest = api.get(f"/api/categories/{pk}/").content.decode()
    answer = mcp.mcp_post(
        jsonrpc.request(1, "tools/call", {"name": "categories_retrieve", "arguments": {"pk": pk}})
    )
    wire = answer.content.decode()
    assert f'"structuredContent":{rest}' in wire
    result = json.loads(wire)["result"]
    assert result["structuredContent"] == json.loads(rest)
    assert result["content"][0]["text"] == rest


@pytest.mark.django_db
def test_a_renderer_that_changes_the_json_is_encoded_as_it_returns_it(
    settings: Any, mcp: MCPClient, data: dict[str, Any]
) -> None:
    configure(settings, RESULT_RENDERER=f"{__name__}.AddsAField")
    result = mcp.call_tool("categories_retrieve", {"pk": data["books"].pk})
    assert result.raw["structuredContent"] == {
        "id": data["books"].pk,
        "name": "books",
        "seen_by": "renderer",
    }


def test_an_encoded_object_forgets_its_text_when_its_keys_change() -> None:
    def wire(value: Any) -> Any:
        return json.loads(jsonrpc.dumps({"result": {"structuredContent": value}}))["result"][
            "structuredContent"
        ]

    made = jsonrpc.EncodedObject({"a": 1}, '{"a":1}')
    assert jsonrpc.dumps({"result": {"structuredContent": made}}).endswith('{"a":1}}}')
    for change in (
        lambda o: o.__setitem__("b", 2),
        lambda o: o.update(b=2),
        lambda o: o.setdefault("b", 2),
        lambda o: o.pop("a"),
        lambda o: o.clear(),
    ):
        value = jsonrpc.EncodedObject({"a": 1}, '{"a":1}')
        change(value)
        assert value.text is None
        assert wire(value) == dict(value)
    assert pickle.loads(pickle.dumps(made)) == {"a": 1}
    assert type(pickle.loads(pickle.dumps(made))) is dict
