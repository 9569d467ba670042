"""Shape of the package (issue 15): JSON-RPC methods are dispatched by name, so a
subclass's override runs; the URLconf is walked once per tool set, for ViewSets and views
alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import path

from drf_mcp_bridge.protocol.server import MCPServer
from drf_mcp_bridge.test import MCPClient
from drf_mcp_bridge.transport.http import MCPView
from tests.test_apiviews import exposed  # noqa: F401  (fixture)
from tests.test_user_expectations import urlconf  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

#: Where the package walked the URLconf (apiviews.py had a walker of its own, run on every
#: APIView tool call).
WALKER_MODULES = (
    "drf_mcp_bridge/invocation/routes.py",
    "drf_mcp_bridge/catalogue/apiviews.py",
)


class PoliteServer(MCPServer):
    def ping(self, params: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"polite": True}


def _echo(server: MCPServer, params: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"echo": params.get("say"), "server": type(server).__name__}


def test_a_subclass_override_runs_and_added_methods_are_served(
    urlconf: list[Any],  # noqa: F811
) -> None:
    server = PoliteServer()
    server.methods["x-example/echo"] = _echo  # an extension, as docs/transport.md shows
    urlconf.append(path("polite/mcp/", MCPView.as_view(server=server)))
    client = MCPClient(mcp_path="/polite/mcp/")
    assert client.request_mcp("ping") == {"polite": True}
    assert client.request_mcp("x-example/echo", {"say": "hi"}) == {
        "echo": "hi",
        "server": "PoliteServer",
    }
    # The default endpoint still answers MCPServer's own ping.
    assert MCPClient().request_mcp("ping") == {}


@pytest.mark.usefixtures("exposed")
def test_the_urlconf_is_walked_once_per_tool_set() -> None:
    import sys

    from drf_mcp_bridge.catalogue.registry import registry

    registry.invalidate()
    walks: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        # Any URLconf walker of the package, entered from outside itself (a walk from the
        # root), whatever module defines it.
        code = frame.f_code
        walker = code.co_name == "_walk" and code.co_filename.endswith(WALKER_MODULES)
        from_outside = frame.f_back is None or frame.f_back.f_code.co_name != "_walk"
        if event == "call" and walker and from_outside:
            walks.append(code.co_filename)

    client = MCPClient()
    sys.setprofile(profile)
    try:
        client.tools_list()
        for _ in range(3):
            assert not client.call_tool("status_get").is_error  # an APIView tool
            assert not client.call_tool("categories_list").is_error  # a ViewSet tool
    finally:
        sys.setprofile(None)
    assert len(walks) == 1, walks


def test_router_options_for_a_decorated_viewset_are_reported_not_dropped() -> None:
    from django.core import checks
    from rest_framework import viewsets

    from drf_mcp_bridge import MCPRouter, mcp_viewset
    from drf_mcp_bridge.catalogue.registry import registry
    from tests.testapp.models import Category
    from tests.testapp.serializers import CategorySerializer

    @mcp_viewset(name="shelves", actions=["list"])
    class Shelves(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer

    try:
        router = MCPRouter()
        router.register("shelves", Shelves, basename="shelf", actions=["list"])  # agrees
        router.register("racks", Shelves, basename="rack", name="racks")  # conflicts
        found = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W050"]
        assert [m.msg for m in found] == [
            "Shelves: MCPRouter.register('racks') gives name='racks', but the ViewSet's own "
            "registration (@mcp_viewset) keeps name='shelves'."
        ]
        assert registry.get_tool("shelves_list") is not None  # the decorator's options won
    finally:
        registry.unregister(Shelves)
        registry.option_conflicts.clear()


def test_every_setting_is_validated(settings: Any) -> None:
    from django.core import checks

    def found(**configured: Any) -> list[tuple[str, str]]:
        settings.REST_FRAMEWORK_MCP = configured
        return [
            (str(m.id), str(m.msg))
            for m in checks.run_checks()
            if m.id in {"drf_mcp_bridge.W015", "drf_mcp_bridge.E015"}
        ]

    assert found(PER_USER_TOOLS=False, INPUT_TIMEOUT=0.5, LIST_TTL_MS=0) == []
    typo = found(PER_USER_TOOL=False)
    assert typo == [
        (
            "drf_mcp_bridge.W015",
            "REST_FRAMEWORK_MCP['PER_USER_TOOL'] is not a setting; it is ignored.",
        )
    ]
    assert [m for i, m in found(PER_USER_TOOLS="yes") if i.endswith("E015")] == [
        "REST_FRAMEWORK_MCP['PER_USER_TOOLS'] must be True or False, got 'yes'."
    ]
    messages = [m for i, m in found(MAX_STREAMS=0, STREAMING="always", GET_STREAM_SECONDS=-1)]
    assert messages == [
        "REST_FRAMEWORK_MCP['MAX_STREAMS'] must be an integer of at least 1, got 0.",
        "REST_FRAMEWORK_MCP['STREAMING'] must be one of 'auto', 'never', got 'always'.",
        "REST_FRAMEWORK_MCP['GET_STREAM_SECONDS'] must be a number of seconds over 0, got -1.",
    ]


def test_stdio_calls_the_protocol_directly_not_the_http_view(
    alice: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import json

    from drf_mcp_bridge.transport.http import MCPView
    from drf_mcp_bridge.transport.stdio import serve

    def no_http(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("stdio went through the HTTP view")

    monkeypatch.setattr(MCPView, "dispatch", no_http)
    lines = [
        {"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        {
            "jsonrpc": "2.0",
            "id": 2,
            "method": "tools/call",
            "params": {"name": "customers_list", "arguments": {}},
        },
    ]
    stdout = io.StringIO()
    serve(io.StringIO("".join(json.dumps(m) + "\n" for m in lines)), stdout, alice, {})
    answers = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [a["id"] for a in answers] == [1, 2]
    assert "customers_list" in [t["name"] for t in answers[0]["result"]["tools"]]
    assert answers[1]["result"].get("isError") is not True


def test_no_state_travels_as_attributes_on_django_requests() -> None:
    """Who is calling is a Caller (core/context.py), the session is the context's; the
    only marks left on Django requests are the transport's own ``mcp_endpoint`` (read by
    the OAuth authenticator) and the inner request's ``mcp_context`` (is_mcp_request)."""
    package = Path(__file__).resolve().parents[1] / "src" / "drf_mcp_bridge"
    for module in package.rglob("*.py"):
        text = module.read_text()
        for name in (
            "mcp_drf_request",
            "mcp_session =",
            "mcp_caller",
            'getattr(request, "mcp_session',
        ):
            assert name not in text, (module.name, name)
