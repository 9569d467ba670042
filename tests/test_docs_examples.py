"""The Python examples in the docs run as written and do what the text says."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework import serializers

from drf_mcp_bridge.schema import extensions
from drf_mcp_bridge.schema.fields import serializer_schema
from tests.test_user_expectations import urlconf  # noqa: F401  (fixture)

DOCS = Path(__file__).resolve().parent.parent / "docs"


def python_blocks(page: str) -> list[str]:
    text = (DOCS / page).read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def run_block(code: str) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "docs_example"}
    exec(compile(code, "<docs example>", "exec"), namespace)
    return namespace


@pytest.fixture
def isolated_extensions() -> Any:
    before = list(extensions.FieldExtension.registry)
    yield
    extensions.FieldExtension.registry[:] = before


def test_schemas_page_customisation_example(isolated_extensions: Any) -> None:
    code = python_blocks("schemas.md")[1]
    ns = run_block(code)
    schema = serializer_schema(ns["BookingSerializer"](), "input")
    p = schema["properties"]
    assert p["colour"]["pattern"] == "^#[0-9a-f]{6}$"
    assert p["day"]["format"] == "date"
    assert "Must be a weekday." in p["day"]["description"]
    assert p["room"] == {"type": "string", "enum": ["A", "B"]}
    assert p["notes"] == {"type": "string", "maxLength": 200}
    # The validator really does what the instruction says.
    saturday = datetime.date(2026, 11, 28)
    with pytest.raises(serializers.ValidationError):
        ns["not_weekend"](saturday)
    # The extension is registered under its dotted path; without django-money installed
    # it simply matches nothing.
    assert ns["MoneyFieldExtension"] in extensions.FieldExtension.registry
    assert ns["MoneyFieldExtension"].resolved_target() is None


@pytest.mark.django_db
def test_schemas_page_declared_output_of_an_own_handler() -> None:
    from drf_mcp_bridge.catalogue.registry import registry
    from drf_mcp_bridge.test import MCPClient

    ns = run_block(python_blocks("schemas.md")[0])
    try:
        tool = registry.get_tool("groups_create")
        assert tool is not None
        output = tool.output_schema()
        assert output is not None and set(output["properties"]) == {"id", "name"}
        client = MCPClient()
        client.force_authenticate(User.objects.create_superuser("root", password="pw"))
        made = client.call_tool("groups_create", {"name": "editors"})
        assert made.structured == {"id": made.structured["id"], "name": "editors"}
    finally:
        registry.unregister(ns["GroupViewSet"])


def test_oauth_page_settings_are_the_ones_the_flow_test_runs() -> None:
    pytest.importorskip("oauth2_provider")
    (code,) = python_blocks("oauth.md")
    documented = run_block(code.replace("    # ...\n", ""))
    from tests.interop import oauth_settings

    for name in ("REST_FRAMEWORK_MCP", "REST_FRAMEWORK", "LOGIN_URL"):
        actual = getattr(oauth_settings, name)
        if isinstance(actual, dict):
            assert {k: actual[k] for k in documented[name]} == documented[name], name
        else:
            assert actual == documented[name], name
    ran = oauth_settings.OAUTH2_PROVIDER
    assert {k: ran[k] for k in documented["OAUTH2_PROVIDER"]} == documented["OAUTH2_PROVIDER"]
    assert "oauth2_provider" in oauth_settings.INSTALLED_APPS


@pytest.mark.django_db
def test_resources_page_examples_register_and_answer() -> None:
    from drf_mcp_bridge.catalogue.prompts import unregister_prompt
    from drf_mcp_bridge.catalogue.resources import unregister_resource
    from drf_mcp_bridge.test import MCPClient

    resources_block, prompt_block = python_blocks("resources.md")
    run_block(resources_block)
    run_block(prompt_block)
    try:
        client = MCPClient()
        text = client.request_mcp("resources/read", {"uri": "docs://returns-policy"})
        assert text["contents"][0]["text"].startswith("# Returns")
        report = client.request_mcp("resources/read", {"uri": "reports://2026/sales"})
        assert '"for": "AnonymousUser"' in report["contents"][0]["text"]
        letter = client.request_mcp(
            "prompts/get", {"name": "write_letter", "arguments": {"name": "Ann"}}
        )
        assert letter["messages"][0]["content"]["text"] == "Write a friendly letter to Ann."
    finally:
        unregister_resource("docs://returns-policy")
        unregister_resource("reports://{year}/{kind}")
        unregister_prompt("write_letter")


@pytest.mark.django_db(transaction=True)
def test_streaming_page_examples_run_as_written() -> None:
    from drf_mcp_bridge.catalogue.registry import registry

    tools, viewset, testing = python_blocks("streaming.md")
    try:
        run_block(tools)
        assert "ShelfViewSet" in run_block(viewset)
        run_block(testing)  # its asserts are the test
    finally:
        registry.unregister("reindex_books")
        registry.unregister("archive_shelf")


def test_security_page_settings_pass_the_deployment_checks(settings: Any) -> None:
    """docs/security.md's deployment settings, applied over the test settings: every key is
    a real setting and no deployment check fires (W010, W012-W014, E012-E014)."""
    from django.core import checks

    from drf_mcp_bridge.conf.settings import DEFAULTS

    (code,) = python_blocks("security.md")
    documented = run_block(code)
    assert set(documented["REST_FRAMEWORK_MCP"]) <= set(DEFAULTS)
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = documented["ALLOWED_HOSTS"]
    settings.CACHES = documented["CACHES"]
    settings.REST_FRAMEWORK_MCP = documented["REST_FRAMEWORK_MCP"]
    deployment = {f"drf_mcp_bridge.{i}" for i in ("W010", "W012", "W013", "W014")} | {
        f"drf_mcp_bridge.{i}" for i in ("E012", "E013", "E014")
    }
    assert [m.id for m in checks.run_checks() if m.id in deployment] == []
    settings.ALLOWED_HOSTS = [*documented["ALLOWED_HOSTS"], "*"]  # the check does look
    assert [m.id for m in checks.run_checks() if m.id in deployment] == ["drf_mcp_bridge.W014"]


def _documented_defaults(page: str) -> dict[str, str]:
    """``KEY -> default`` from the rows of a page's tables that start with a setting name
    and its default in backticks: | `KEY` | `default` | ... |"""
    import ast

    from drf_mcp_bridge.conf.settings import DEFAULTS

    found: dict[str, str] = {}
    for key, default in re.findall(
        r"^\| `([A-Z_]+)` \| `([^`]*)` \|", (DOCS / page).read_text(), re.M
    ):
        if key in DEFAULTS:
            assert ast.literal_eval(default) == DEFAULTS[key], (page, key, default)
            found[key] = default
    return found


def test_settings_page_documents_every_setting_with_its_default() -> None:
    from drf_mcp_bridge.conf.settings import DEFAULTS

    documented = _documented_defaults("settings.md")
    assert sorted(set(DEFAULTS) - set(documented)) == []


def test_security_page_limits_state_the_defaults() -> None:
    documented = _documented_defaults("security.md")
    assert len(documented) >= 19  # the limits table


def test_adopting_page_settings_are_real_and_pass_the_checks(settings: Any) -> None:
    from django.core import checks

    from drf_mcp_bridge.conf.settings import DEFAULTS

    (code,) = python_blocks("adopting.md")
    configured = run_block(code)["REST_FRAMEWORK_MCP"]
    assert set(configured) <= set(DEFAULTS)
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **configured}
    errors = [m for m in checks.run_checks() if m.is_serious() and m.id.startswith("rest_fr")]
    assert errors == []


@pytest.mark.django_db
def test_transport_page_extending_example(urlconf: list[Any]) -> None:  # noqa: F811
    from drf_mcp_bridge.test import MCPClient

    (code,) = [b for b in python_blocks("transport.md") if "PoliteServer" in b]
    urlconf.extend(run_block(code)["urlpatterns"])
    client = MCPClient(mcp_path="/polite/mcp/")
    assert client.request_mcp("ping") == {"polite": True}
    assert client.request_mcp("x-example/echo", {"say": "hi"}) == {"echo": "hi"}


@pytest.mark.django_db
def test_architecture_page_filter_backend_extension() -> None:
    from rest_framework import viewsets

    from drf_mcp_bridge import mcp_viewset
    from drf_mcp_bridge.catalogue.registry import registry
    from drf_mcp_bridge.schema import sources
    from tests.testapp.models import Category
    from tests.testapp.serializers import CategorySerializer

    (code,) = python_blocks("architecture.md")
    ns = run_block(code)

    class TagFilter:
        def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
            tag = request.query_params.get("tag")
            return queryset.filter(name=tag) if tag else queryset

    @mcp_viewset(name="tagged", actions=["list"])
    class Tagged(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
        queryset = Category.objects.order_by("id")
        serializer_class = CategorySerializer
        filter_backends = [TagFilter]

    try:
        tool = registry.get_tool("tagged_list")
        assert tool is not None
        assert tool.input_schema()["properties"]["tag"] == {
            "type": "string",
            "description": "Only rows with this tag.",
        }
    finally:
        registry.unregister(Tagged)
        sources._filter_backends[:] = [
            e for e in sources._filter_backends if type(e) is not ns["TagFilterExtension"]
        ]


@pytest.mark.django_db
def test_calls_page_result_renderer_example(settings: Any, monkeypatch: Any) -> None:
    """docs/calls.md "Customising results": the renderer, named by its dotted path, changes
    the 404 message and the empty answer of tool results."""
    import sys
    import types

    from drf_mcp_bridge.conf.settings import DEFAULTS
    from drf_mcp_bridge.invocation import renderers
    from drf_mcp_bridge.test import MCPClient
    from tests.testapp.models import Customer

    (code,) = [b for b in python_blocks("calls.md") if "ResultRenderer" in b]
    ns = run_block(code)
    assert set(ns["REST_FRAMEWORK_MCP"]) <= set(DEFAULTS)
    module = types.ModuleType("shop.mcp")
    module.ShopResults = ns["ShopResults"]  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "shop", types.ModuleType("shop"))
    monkeypatch.setitem(sys.modules, "shop.mcp", module)
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **ns["REST_FRAMEWORK_MCP"]}
    try:
        alice = User.objects.create_user("alice", password="pw")
        client = MCPClient()
        client.force_authenticate(alice)
        missing = client.call_tool("customers_retrieve", {"pk": 999999})
        assert missing.is_error
        assert missing.content[0]["text"] == (
            "Error: HTTP 404 Not Found. No such customer; call customers_list to find the id."
        )
        gone = Customer.objects.create(owner=alice, name="Cy")
        assert client.call_tool("customers_destroy", {"pk": gone.pk}).text == "Done."
    finally:
        renderers._imported.cache_clear()


def _settings_block(page_blocks: list[str]) -> dict[str, Any]:
    """The ``REST_FRAMEWORK_MCP`` of a page's only Python block, every key a real setting."""
    from drf_mcp_bridge.conf.settings import DEFAULTS

    (code,) = page_blocks
    configured: dict[str, Any] = run_block(code)["REST_FRAMEWORK_MCP"]
    assert set(configured) <= set(DEFAULTS)
    return configured


def test_explorer_page_setting_turns_the_explorer_off(settings: Any, client: Any) -> None:
    browser = "text/html,application/xhtml+xml"
    assert client.get("/mcp/", HTTP_ACCEPT=browser).status_code == 200
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        **_settings_block(python_blocks("explorer.md")),
    }
    refused = client.get("/mcp/", HTTP_ACCEPT=browser)
    assert refused.status_code == 405 and refused["Allow"] == "POST"  # "the transport's 405"


def test_skills_page_setting_declares_the_extension(settings: Any) -> None:
    from drf_mcp_bridge.test import MCPClient

    def extensions() -> Any:
        return MCPClient().initialize("2025-11-25")["capabilities"].get("extensions")

    assert extensions() is None
    settings.REST_FRAMEWORK_MCP = {
        **settings.REST_FRAMEWORK_MCP,
        **_settings_block(python_blocks("skills.md")),
    }
    assert extensions() == {"io.modelcontextprotocol/skills": {}}


def test_settings_page_example_is_what_the_server_says(settings: Any) -> None:
    from django.core import checks

    from drf_mcp_bridge.test import MCPClient

    configured = _settings_block(python_blocks("settings.md"))
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **configured}
    errors = [m for m in checks.run_checks() if m.is_serious() and m.id.startswith("rest_fr")]
    assert errors == []
    answer = MCPClient().initialize("2025-11-25")
    assert answer["serverInfo"]["name"] == "my-shop"
    assert answer["instructions"].startswith(configured["INSTRUCTIONS"])


@pytest.mark.django_db
def test_testing_page_example_passes(django_user_model: Any) -> None:
    """docs/testing.md's test, run as written against the test app's customers."""
    (code,) = python_blocks("testing.md")
    run_block(code)["test_customer_round_trip"](django_user_model)


@pytest.mark.django_db
def test_tools_page_function_tools_do_what_the_text_says(alice: User) -> None:
    """docs/tools.md's plain function tools: the schema from the signature, a dict as
    structured content, arguments checked before the function runs, ``request`` the
    outer Django request with the user Django's middleware set."""
    from drf_mcp_bridge.catalogue.registry import registry
    from drf_mcp_bridge.test import MCPClient

    (code,) = [b for b in python_blocks("tools.md") if "def add(" in b]
    run_block(code)
    try:
        client = MCPClient()
        listed = {t["name"]: t for t in client.tools_list()}
        schema = listed["add"]["inputSchema"]
        assert schema["required"] == ["a"] and schema["properties"]["b"]["default"] == 2
        assert listed["whoami"]["annotations"]["readOnlyHint"] is True
        added = client.call_tool("add", {"a": 1})
        assert added.structured == {"sum": 3} and not added.is_error
        refused = client.call_tool("add", {"a": "one"})
        assert refused.is_error
        assert client.call_tool("whoami", {}).text == "AnonymousUser"
        # Django's user, as the text says: a session login, not a DRF token's user.
        from rest_framework.authtoken.models import Token

        token = Token.objects.create(user=alice).key
        by_token = client.call_tool("whoami", {}, HTTP_AUTHORIZATION=f"Token {token}")
        assert by_token.text == "AnonymousUser"
        client.force_login(alice)
        assert client.call_tool("whoami", {}).text == "alice"
    finally:
        registry.unregister("add")
        registry.unregister("whoami")


@pytest.mark.django_db
def test_access_page_audit_receiver_takes_what_the_signals_send(alice: User) -> None:
    """docs/access.md's audit receiver, connected as written: its signature takes every
    keyword the two signals send (a receiver missing one breaks the call: shown below)."""
    from drf_mcp_bridge.core.signals import tool_called, tool_failed
    from drf_mcp_bridge.test import MCPClient, MCPError

    (code,) = [b for b in python_blocks("access.md") if "tool_called" in b]
    audit = run_block(code)["audit"]
    try:
        client = MCPClient()
        client.force_authenticate(alice)
        assert not client.call_tool("customers_list", {}).is_error  # tool_called
        assert client.call_tool("customers_retrieve", {"pk": 999999}).is_error  # both

        def too_strict(sender: Any, tool: Any, arguments: Any, missing: Any, **kwargs: Any) -> None:
            """Not the page's: it names a keyword the signals do not send."""

        tool_called.connect(too_strict)
        try:
            with pytest.raises((MCPError, TypeError)):
                client.call_tool("customers_list", {})
        finally:
            tool_called.disconnect(too_strict)
        # The page's receiver was connected to both signals (disconnect says whether).
        assert tool_called.disconnect(audit) and tool_failed.disconnect(audit)
    finally:
        tool_called.disconnect(audit)
        tool_failed.disconnect(audit)


def test_access_page_viewset_options_give_the_assistant_less(
    data: dict[str, Any], alice: User, admin_user: User, monkeypatch: Any
) -> None:
    """docs/access.md's decorated ViewSet, as written (its ``...`` body is the project's
    queryset and serializer: here the test app's full read-write customers ViewSet)."""
    import types

    from rest_framework import throttling

    from drf_mcp_bridge.catalogue.registry import registry
    from drf_mcp_bridge.test import MCPClient
    from tests.test_overrides import PublicCustomerSerializer
    from tests.testapp.models import Customer
    from tests.testapp.views import PlainCustomerViewSet

    # The comment's "assistant": "30/minute", at 3 a minute so the test reaches it.
    monkeypatch.setattr(
        throttling.SimpleRateThrottle,
        "THROTTLE_RATES",
        {"user": "1000/minute", "assistant": "3/minute"},
    )
    before = set(MCPClient().tool_names())
    (code,) = [b for b in python_blocks("access.md") if "@mcp_viewset(" in b and "overrides=" in b]
    namespace = {
        "__name__": "docs_example",
        "viewsets": types.SimpleNamespace(ModelViewSet=PlainCustomerViewSet),
        "PublicCustomerSerializer": PublicCustomerSerializer,
    }
    exec(compile(code, "<docs example>", "exec"), namespace)
    viewset = namespace["CustomerViewSet"]
    try:
        cache.clear()
        alice_client = MCPClient()
        alice_client.force_authenticate(alice)
        added = set(alice_client.tool_names()) - before
        # Read-write over REST, three actions here.
        assert {name.rsplit("_", 1)[-1] for name in added} == {"list", "retrieve", "update"}
        [listed] = [n for n in added if n.endswith("_list")]
        [retrieve] = [n for n in added if n.endswith("_retrieve")]
        [update] = [n for n in added if n.endswith("_partial_update")]
        # Fewer fields, in and out.
        tools = {t["name"]: t for t in alice_client.tools_list()}
        assert set(tools[retrieve]["outputSchema"]["properties"]) == {"id", "name", "tier"}
        # filter_queryset narrows get_queryset(): no VIP customers.
        Customer.objects.filter(pk=data["a2"].pk).update(vip=True)
        rows = alice_client.call_tool(listed).structured
        assert rows is not None
        ids = [row["id"] for row in rows["results"]]
        assert data["a2"].pk not in ids and data["a1"].pk in ids
        # The per-action override: partial_update is for admins only.
        refused = alice_client.call_tool(update, {"pk": data["a1"].pk, "name": "Renamed"})
        assert refused.is_error and "HTTP 403" in refused.text
        assert Customer.objects.get(pk=data["a1"].pk).name != "Renamed"
        # The throttle (after the permission check, as in DRF: the refused call did not
        # count): list, two retrieves, and the fourth call within the minute is refused.
        for _ in range(2):
            assert not alice_client.call_tool(retrieve, {"pk": data["a1"].pk}).is_error
        throttled = alice_client.call_tool(retrieve, {"pk": data["a1"].pk})
        assert throttled.is_error and "HTTP 429" in throttled.text
        # IsAuthenticated: an anonymous caller runs none of them.
        anonymous = MCPClient().call_tool(listed)
        assert anonymous.is_error
        cache.clear()
        admin = MCPClient()
        admin.force_authenticate(admin_user)
        changed = admin.call_tool(update, {"pk": data["a1"].pk, "name": "Renamed"})
        assert not changed.is_error, changed.text
        assert Customer.objects.get(pk=data["a1"].pk).name == "Renamed"
    finally:
        registry.unregister(viewset)
        cache.clear()


# docs/drf.md: its blocks are written for the example project's and a shop's models; they
# run here as written on stand-ins from the test app (the ``viewsets.ModelViewSet`` they
# subclass gives each a model and serializer of the test app), with the page's ViewSets alone
# in the registry.


@pytest.fixture
def only_the_page() -> Any:
    from drf_mcp_bridge.catalogue.registry import registry

    saved = (registry._viewsets, registry._views, registry._function_tools)
    registry._viewsets, registry._views, registry._function_tools = [], [], []
    registry.invalidate()
    yield registry
    registry._viewsets, registry._views, registry._function_tools = saved
    registry.invalidate()


def drf_page_namespace(**extra: Any) -> dict[str, Any]:
    import types

    from rest_framework import viewsets

    from tests.testapp import models, serializers

    #: The model and serializer standing in for each of the page's ViewSets (a router
    #: names its routes after the model, so each needs one of its own).
    stand_ins = {
        "BookViewSet": (models.Customer, serializers.CustomerSerializer),
        "LoanViewSet": (models.Invoice, serializers.InvoiceSerializer),
        "ShelfViewSet": (models.Category, serializers.CategorySerializer),
        "CustomerViewSet": (models.Customer, serializers.CustomerSerializer),
        "InvoiceViewSet": (models.Invoice, serializers.InvoiceSerializer),
        "AuditLogViewSet": (models.Note, serializers.NoteSerializer),
    }

    class ModelViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
        def __init_subclass__(cls, **kwargs: Any) -> None:
            super().__init_subclass__(**kwargs)
            model, serializer = stand_ins[cls.__name__]
            cls.queryset = model.objects.order_by("pk")
            cls.serializer_class = serializer

    return {
        "__name__": "docs_example",
        "viewsets": types.SimpleNamespace(ModelViewSet=ModelViewSet),
        **extra,
    }


def run_drf_block(first_line: str, **extra: Any) -> dict[str, Any]:
    (code,) = [b for b in python_blocks("drf.md") if b.startswith(first_line)]
    namespace = drf_page_namespace(**extra)
    exec(compile(code, "<docs/drf.md>", "exec"), namespace)
    return namespace


@pytest.mark.django_db
def test_drf_page_actions_are_tools_named_and_described_as_the_text_says(
    only_the_page: Any,
) -> None:
    from drf_mcp_bridge import MCPRouter
    from drf_mcp_bridge.test import MCPClient

    page = run_drf_block("from rest_framework.decorators import action")
    router = MCPRouter()
    router.register("books", page["BookViewSet"])
    router.register("loans", page["LoanViewSet"])
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    # <resource>_<function name>; the docstring is the description; detail=True: the lookup.
    availability = tools["books_availability"]
    assert availability["description"].startswith("How many copies of the book")
    assert availability["inputSchema"]["required"] == ["pk"]
    # @mcp_action(input_schema={"type": "object"}): no body, only the loan's id.
    returned = tools["loans_return_book"]
    assert returned["description"].startswith("Mark the loan as returned.")
    assert set(returned["inputSchema"]["properties"]) == {"pk"}
    # An @action has no output schema unless declared.
    assert "outputSchema" not in availability and "outputSchema" not in returned
    # The CRUD tools of the two ViewSets are there too, with the serializer's output.
    assert {"books_list", "books_create", "loans_destroy"} <= set(tools)


@pytest.mark.django_db
def test_drf_page_extend_schema_request_none_means_no_body(only_the_page: Any) -> None:
    pytest.importorskip("drf_spectacular")
    from drf_mcp_bridge import MCPRouter
    from drf_mcp_bridge.catalogue.checks import check_schemas
    from drf_mcp_bridge.test import MCPClient

    page = run_drf_block("from drf_spectacular.utils import extend_schema")
    router = MCPRouter()
    router.register("shelves", page["ShelfViewSet"])
    tools = {t["name"]: t for t in MCPClient().tools_list()}
    assert set(tools["shelves_publish"]["inputSchema"]["properties"]) == {"pk"}
    # An argument sent anyway is refused, as any unknown one, before the view runs.
    refused = MCPClient().call_tool("shelves_publish", {"pk": 1, "number": "X"})
    assert refused.is_error and "number" in refused.text
    # And W041 (a body nothing describes) is not reported for it.
    assert not [m for m in check_schemas() if m.id.endswith("W041") and "publish" in m.msg]


@pytest.mark.django_db
def test_drf_page_apiviews_are_one_tool_per_method(
    only_the_page: Any,
    urlconf: list[Any],  # noqa: F811
    alice: User,
) -> None:
    from django.urls import path
    from rest_framework.views import APIView

    from drf_mcp_bridge.test import MCPClient
    from tests.testapp.models import Customer, Invoice
    from tests.testapp.serializers import InvoiceSerializer

    page = run_drf_block(
        "from rest_framework import generics",
        Order=Invoice,
        OrderSerializer=InvoiceSerializer,
        APIView=APIView,
    )
    # "The view must be in the URLconf under a named route."
    urlconf.append(path("shop/orders/", page["OrderList"].as_view(), name="order-list"))
    urlconf.append(path("shop/echo/", page["EchoView"].as_view(), name="status-echo"))
    only_the_page.invalidate()
    client = MCPClient()
    client.force_authenticate(alice)
    tools = {t["name"]: t for t in client.tools_list()}
    assert {"orders_list", "orders_create", "status_echo"} <= set(tools)
    assert tools["orders_list"]["description"].startswith("Orders of the shop.")
    assert tools["status_echo"]["inputSchema"]["properties"] == {"message": {"type": "string"}}
    customer = Customer.objects.create(owner=alice, name="Ann")
    made = client.call_tool(
        "orders_create",
        {"customer": customer.pk, "number": "INV-9", "amount": "10.00", "due": "2026-12-31"},
    )
    assert not made.is_error, made.text
    listed = client.call_tool("orders_list").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["number"] for row in rows] == ["INV-9"]


@pytest.mark.django_db
def test_drf_page_expose_router_in_one_line(only_the_page: Any) -> None:
    from drf_mcp_bridge.test import MCPClient

    base = drf_page_namespace()["viewsets"].ModelViewSet
    stand_ins = {
        name: type(name, (base,), {"__module__": "docs_example"})
        for name in ("CustomerViewSet", "InvoiceViewSet", "AuditLogViewSet")
    }
    run_drf_block("from rest_framework.routers import DefaultRouter", **stand_ins)
    names = set(MCPClient().tool_names())
    crud = {"list", "retrieve", "create", "update", "partial_update", "destroy"}
    # Names from the router prefixes; audit-log left out; invoices without destroy.
    assert {f"customers_{a}" for a in crud} <= names
    assert {f"invoices_{a}" for a in crud - {"destroy"}} <= names
    assert "invoices_destroy" not in names
    assert not [n for n in names if n.startswith("audit")]
    # "metadata": True gives invoices the OPTIONS tool, and customers none.
    assert "invoices_metadata" in names and "customers_metadata" not in names


def test_operations_page_logging_writes_one_line_per_call(alice: User) -> None:
    """docs/operations.md's LOGGING, applied as Django applies it (dictConfig), writes one
    JSON line per tool call."""
    import io
    import json
    import logging
    import logging.config

    from drf_mcp_bridge.test import MCPClient

    (code,) = [b for b in python_blocks("operations.md") if "LOGGING = {" in b]
    config = run_block(code)["LOGGING"]
    calls = logging.getLogger("drf_mcp_bridge.calls")
    saved = (calls.handlers[:], calls.level, calls.propagate)
    logging.config.dictConfig(config)
    try:
        [handler] = calls.handlers
        stream = io.StringIO()
        handler.setStream(stream)  # type: ignore[attr-defined]
        client = MCPClient()
        client.force_authenticate(alice)
        client.call_tool("customers_list")
        client.call_tool("customers_retrieve", {"pk": 999999})
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        calls.handlers[:], calls.level, calls.propagate = saved
    assert [(r["tool"], r["status"], r["outcome"]) for r in lines] == [
        ("customers_list", "200", "ok"),
        ("customers_retrieve", "404", "error"),
    ]
    assert all(r["user"] == str(alice.pk) and r["ms"] > 0 for r in lines)
    # Other loggers are left as they were (the block keeps existing loggers).
    assert not logging.getLogger("django").disabled


OTLP_SCRIPT = """
import os, sys, json
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
code = open(sys.argv[1]).read()
namespace = {"__name__": "docs_example"}
exec(compile(code, "<docs/operations.md>", "exec"), namespace)
import django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "customers_list", "arguments": {}}}
answer = Client().post("/mcp/", data=json.dumps(body), content_type="application/json",
                       HTTP_ACCEPT="application/json, text/event-stream")
assert answer.status_code == 200, answer.content
namespace["tracer_provider"].shutdown()
namespace["meter_provider"].shutdown()
"""


def test_operations_page_otlp_example_exports_the_calls_spans_and_metric(
    tmp_path: Path,
) -> None:
    """docs/operations.md's OTLP set-up, run as written in a fresh interpreter with
    OTEL_EXPORTER_OTLP_ENDPOINT pointing at a collector stand-in that decodes what the
    exporters send (OTLP/HTTP protobuf)."""
    pytest.importorskip("opentelemetry.exporter.otlp.proto.http")
    import http.server
    import os
    import subprocess
    import sys
    import threading

    from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
        ExportMetricsServiceRequest,
    )
    from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
        ExportTraceServiceRequest,
    )

    received: dict[str, list[bytes]] = {}

    class Collector(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.setdefault(self.path, []).append(self.rfile.read(length))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (code,) = [b for b in python_blocks("operations.md") if "OTLPSpanExporter" in b]
    (tmp_path / "otlp.py").write_text(code)
    (tmp_path / "run.py").write_text(OTLP_SCRIPT)
    root = DOCS.parent
    try:
        completed = subprocess.run(
            [sys.executable, str(tmp_path / "run.py"), str(tmp_path / "otlp.py")],
            cwd=root,
            env={
                **os.environ,
                "PYTHONPATH": f"{root}:{root / 'src'}",
                "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{server.server_port}",
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.shutdown()
    assert completed.returncode == 0, completed.stderr
    spans = {}
    for body in received.get("/v1/traces", []):
        export = ExportTraceServiceRequest.FromString(body)
        for resource_spans in export.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
            for scope in resource_spans.scope_spans:
                for span in scope.spans:
                    spans[span.name] = (service["service.name"], span)
    assert {"tools/call customers_list", "execute_tool customers_list"} <= set(spans)
    service, server_span = spans["tools/call customers_list"]
    assert service == "shop-api"
    attributes = {a.key: a.value.string_value for a in server_span.attributes}
    assert attributes["gen_ai.tool.name"] == "customers_list"
    metric_names = {
        metric.name
        for body in received.get("/v1/metrics", [])
        for rm in ExportMetricsServiceRequest.FromString(body).resource_metrics
        for sm in rm.scope_metrics
        for metric in sm.metrics
    }
    assert "mcp.server.operation.duration" in metric_names
