"""Route-by-caller matrix: what each caller gets over MCP equals what the same caller gets
over REST — which tools, resources and prompts it sees, the rows and fields it reads, and
whether it is refused, with which HTTP status.

The REST side is asked in the same test, with the same credentials (a DRF token, or none),
against the same data, so the expectation is never written down by hand.

Callers: anonymous, the owner (alice, who owns customers a1 and a2), another user (bob,
who owns b1), staff; OAuth tokens for alice with the read scope only or with the write
scope as well. Resources:

* ``customers``: IsAuthenticatedOrReadOnly + IsOwnerOrStaff. Not row-scoped: the list shows
  everyone's customers; only retrieve/update/destroy check the owner (object permission).
* ``invoices``: TokenAuthentication + IsAuthenticated.
* ``categories``: no permission classes.
* ``admin_only``: IsAdminUser (tests/testapp/guarded.py, registered here).
* ``scoped``: a filter backend limits rows to the requesting user
  (tests/testapp/scoped.py, registered here).

Discovery of what a caller may use is probed over REST: the action's request with a
lookup value that exists nowhere (999999) and an empty body, so only the view's
``has_permission`` can refuse it (401/403); an object permission never runs.

This module is the specification of the access gate: on code without one, some cases fail.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient, MCPError, ToolResult
from drf_mcp_bridge.transport.streaming import event_data
from tests.conftest import rpc, tool_call
from tests.testapp.guarded import AdminCategories
from tests.testapp.models import Category, Customer, Invoice
from tests.testapp.scoped import ScopedCustomers

pytestmark = pytest.mark.django_db

MISSING = 999999  # a lookup value no row has
CALLERS = ["anonymous", "owner", "other", "staff"]
PER_USER = [pytest.param(True, id="per_user_on"), pytest.param(False, id="per_user_off")]

#: resource → its REST prefix.
PREFIX = {
    "customers": "/api/customers/",
    "invoices": "/api/invoices/",
    "categories": "/api/categories/",
    "admin_only": "/api/guarded-admin-only/",
    "scoped": "/api/scoped-customers/",
}
RESOURCES = list(PREFIX)

_CRUD = {
    "list": ("get", ""),
    "retrieve": ("get", "{pk}/"),
    "create": ("post", ""),
    "update": ("put", "{pk}/"),
    "partial_update": ("patch", "{pk}/"),
    "destroy": ("delete", "{pk}/"),
}


def _crud(resource: str, actions: list[str]) -> dict[str, tuple[str, str]]:
    return {f"{resource}_{a}": _CRUD[a] for a in actions}


_ALL = list(_CRUD)
#: resource → {tool name: (HTTP method, path under the prefix)}: every tool of the resource.
TOOLS: dict[str, dict[str, tuple[str, str]]] = {
    "customers": {
        **_crud("customers", _ALL),
        "customers_flag_get": ("get", "{pk}/flag/"),
        "customers_flag_post": ("post", "{pk}/flag/"),
        "customers_unflag": ("delete", "{pk}/flag/"),
        "customers_rename": ("post", "{pk}/rename/"),
        "customer_stats": ("get", "stats/summary/"),
        "customers_vips": ("get", "vips/"),
    },
    "invoices": _crud("invoices", ["list", "retrieve", "create", "update", "partial_update"]),
    "categories": {
        **_crud("categories", ["list", "retrieve"]),
        "categories_recount": ("post", "recount/"),
    },
    "admin_only": _crud("admin_only", _ALL),
    "scoped": _crud("scoped", _ALL),
}


# fixtures ------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def exposed() -> Iterator[None]:
    """The IsAdminUser and the filter-backend ViewSets, exposed over MCP."""
    mcp_viewset(name="admin_only")(AdminCategories)
    mcp_viewset(name="scoped")(ScopedCustomers)
    yield
    registry.unregister(AdminCategories)
    registry.unregister(ScopedCustomers)


def _mcp_settings(settings: Any, **values: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, **values}


@pytest.fixture
def per_user(request: Any, settings: Any) -> bool:
    value = bool(request.param)
    _mcp_settings(settings, PER_USER_TOOLS=value)
    return value


@pytest.fixture
def per_user_on(settings: Any) -> None:
    _mcp_settings(settings, PER_USER_TOOLS=True)


@pytest.fixture
def discovery(settings: Any) -> None:
    _mcp_settings(settings, TOOL_DISCOVERY=True)


@pytest.fixture
def world(data: dict[str, Any], staff: User) -> dict[str, Any]:
    """The shared data plus one DRF token per signed-in caller."""
    tokens = {
        "owner": Token.objects.create(user=data["a1"].owner).key,
        "other": Token.objects.create(user=data["b1"].owner).key,
        "staff": Token.objects.create(user=staff).key,
    }
    return {**data, "tokens": tokens}


@pytest.fixture
def headers(caller: str, world: dict[str, Any]) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    return {"HTTP_AUTHORIZATION": f"Token {world['tokens'][caller]}"}


# helpers -------------------------------------------------------------------------------


def rest_client(headers: dict[str, str]) -> APIClient:
    client = APIClient()
    client.credentials(**headers)
    return client


def mcp_client(headers: dict[str, str]) -> MCPClient:
    client = MCPClient()
    client.credentials(**headers)
    return client


def rest(headers: dict[str, str], method: str, path: str, body: Any = None) -> Any:
    client = rest_client(headers)
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, body if body is not None else {}, format="json")


def rest_allows(headers: dict[str, str], tool: str) -> bool:
    """Whether the caller's REST request for the tool's action passes the view's permission
    check (anything but 401/403 with a lookup value no row has)."""
    resource = next(r for r, tools in TOOLS.items() if tool in tools)
    method, suffix = TOOLS[resource][tool]
    path = PREFIX[resource] + suffix.format(pk=MISSING)
    with rolled_back():
        status = rest(headers, method, path).status_code
    return status not in (401, 403)


def rest_visible(headers: dict[str, str], resource: str) -> set[str]:
    return {tool for tool in TOOLS[resource] if rest_allows(headers, tool)}


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo every write made inside (REST and MCP runs start from the same data)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def as_object(body: Any) -> Any:
    """REST JSON as structuredContent carries it: an object; a bare list is wrapped in
    ``{"results": [...]}`` (the package's documented form, structuredContent must be an
    object)."""
    return body if isinstance(body, dict) else {"results": body}


def status_in(text: str) -> int | None:
    found = re.search(r"\bHTTP (\d{3})\b", text)
    return int(found.group(1)) if found else None


def raw_call(client: MCPClient, name: str, arguments: dict[str, Any]) -> ToolResult:
    """tools/call without the conftest's outputSchema check (meta tools are not in the
    registry)."""
    result = client.request_mcp("tools/call", {"name": name, "arguments": arguments})
    return ToolResult(
        raw=result,
        is_error=bool(result.get("isError", False)),
        structured=result.get("structuredContent"),
        content=list(result.get("content", [])),
    )


def listed_names(client: MCPClient) -> set[str]:
    return set(client.tool_names())


def rows_of(headers: dict[str, str], resource: str) -> list[dict[str, Any]] | None:
    """Every row of the caller's REST list (all pages), or None when REST refuses it."""
    client = rest_client(headers)
    response = client.get(PREFIX[resource])
    if response.status_code >= 400:
        return None
    rows: list[dict[str, Any]] = []
    while True:
        body = response.json()
        if isinstance(body, list):
            return rows + body
        rows += body["results"]
        if not body.get("next"):
            return rows
        response = client.get(body["next"])


# tools/list ----------------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("per_user", PER_USER, indirect=True)
@pytest.mark.parametrize("caller", CALLERS)
def test_tools_list(caller: str, per_user: bool, resource: str, headers: dict[str, str]) -> None:
    listed = listed_names(mcp_client(headers)) & set(TOOLS[resource])
    expected = rest_visible(headers, resource) if per_user else set(TOOLS[resource])
    assert listed == expected, {
        "listed but REST refuses": sorted(listed - expected),
        "REST allows but not listed": sorted(expected - listed),
    }


# tools/call ----------------------------------------------------------------------------

#: (tool, row whose primary key is the lookup or None, body). REST's method and path come
#: from TOOLS; the MCP arguments are the body plus ``pk``. Reads compare rows and fields.
CALLS: list[tuple[str, str | None, dict[str, Any]]] = [
    ("customers_list", None, {}),
    ("customers_retrieve", "a1", {}),
    ("customers_retrieve", "b1", {}),
    ("customer_stats", None, {}),
    ("invoices_list", None, {}),
    ("invoices_retrieve", "invoice", {}),
    ("categories_list", None, {}),
    ("categories_retrieve", "books", {}),
    ("admin_only_list", None, {}),
    ("admin_only_retrieve", "books", {}),
    ("scoped_list", None, {}),
    ("scoped_retrieve", "a1", {}),
    ("scoped_retrieve", "b1", {}),
    ("customers_partial_update", "a1", {"name": "Re"}),
    ("customers_destroy", "b1", {}),
    ("customers_create", None, {"name": "New"}),
    ("customers_rename", "a1", {"name": "Re"}),
    ("invoices_create", None, {"customer": "{a1}", "number": "I-2", "amount": "1.00",
                               "due": "2027-01-01"}),
    ("admin_only_create", None, {"name": "new-cat"}),
    ("scoped_partial_update", "b1", {"name": "Re"}),
    ("scoped_destroy", "a1", {}),
]  # fmt: skip
CALL_CASES = [
    pytest.param(tool, row, body, id=f"{tool}_{row}" if row else tool) for tool, row, body in CALLS
]


def _fill(value: Any, world: dict[str, Any]) -> Any:
    """``"{a1}"`` → a1's primary key."""
    if isinstance(value, dict):
        return {k: _fill(v, world) for k, v in value.items()}
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        if whole:
            return world[whole.group(1)].pk
    return value


class Call:
    """One CALLS case, with the shared data's keys filled in."""

    def __init__(
        self, tool: str, row: str | None, body: dict[str, Any], world: dict[str, Any]
    ) -> None:
        resource = next(r for r, tools in TOOLS.items() if tool in tools)
        method, suffix = TOOLS[resource][tool]
        pk = world[row].pk if row else None
        self.tool = tool
        self.method = method
        self.path = PREFIX[resource] + suffix.format(pk=pk)
        self.body = _fill(body, world)
        self.arguments = {**self.body, **({"pk": pk} if pk is not None else {})}
        self.reads = method == "get"


def rest_outcome(headers: dict[str, str], call: Call) -> tuple[int, Any]:
    """The REST status and JSON, with its writes undone."""
    with rolled_back():
        response = rest(headers, call.method, call.path, call.body)
        status = response.status_code
        payload = response.json() if response.content and status < 500 else None
    return status, payload


def assert_answers_as_rest(
    result: ToolResult, status: int, payload: Any, reads_rows: bool, what: str
) -> None:
    if status >= 400:
        assert result.is_error, f"{what}: REST {status}, MCP succeeded: {result.text[:300]}"
        assert status_in(result.text) == status, f"{what}: REST {status}, MCP: {result.text[:300]}"
        return
    assert not result.is_error, f"{what}: REST {status}, MCP refused: {result.text[:300]}"
    if reads_rows:
        assert result.structured == as_object(payload), what


@pytest.mark.parametrize(("tool", "row", "body"), CALL_CASES)
@pytest.mark.parametrize("per_user", PER_USER, indirect=True)
@pytest.mark.parametrize("caller", CALLERS)
def test_tools_call(
    caller: str,
    per_user: bool,
    tool: str,
    row: str | None,
    body: dict[str, Any],
    headers: dict[str, str],
    world: dict[str, Any],
) -> None:
    call = Call(tool, row, body, world)
    status, payload = rest_outcome(headers, call)
    result = mcp_client(headers).call_tool(tool, call.arguments)
    assert_answers_as_rest(result, status, payload, call.reads, f"{caller} {tool}")


# discovery (TOOL_DISCOVERY) ------------------------------------------------------------


def _find_tools_description(client: MCPClient) -> str:
    tools = {t["name"]: t for t in client.tools_list()}
    description: str = tools["find_tools"]["description"]
    return description


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("caller", CALLERS)
def test_discovery_find_tools(
    caller: str, resource: str, per_user_on: None, discovery: None, headers: dict[str, str]
) -> None:
    client = mcp_client(headers)
    expected = rest_visible(headers, resource)
    found = raw_call(client, "find_tools", {"resource": resource, "limit": 50})
    assert not found.is_error, found.text
    names = {t["name"] for t in (found.structured or {})["tools"]}
    assert names == expected, {
        "found but REST refuses": sorted(names - expected),
        "REST allows but not found": sorted(expected - names),
    }
    # find_tools' description names the resources: only those with a tool the caller sees.
    named = re.search(rf"\b{re.escape(resource)}\b", _find_tools_description(client))
    assert bool(named) == bool(expected), (
        f"find_tools description {'names' if named else 'omits'} {resource!r}; "
        f"the caller may use {sorted(expected)}"
    )


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("caller", CALLERS)
def test_discovery_get_tool_schema(
    caller: str, resource: str, per_user_on: None, discovery: None, headers: dict[str, str]
) -> None:
    client = mcp_client(headers)
    expected = rest_visible(headers, resource)
    answered: dict[str, bool] = {}
    for tool in TOOLS[resource]:
        result = raw_call(client, "get_tool_schema", {"name": tool})
        if result.is_error:
            assert "Unknown tool" in result.text, result.text
        else:
            assert result.json().get("name") == tool  # the definition, as JSON text
        answered[tool] = not result.is_error
    shown = {tool for tool, ok in answered.items() if ok}
    assert shown == expected, {
        "schema given but REST refuses": sorted(shown - expected),
        "REST allows but unknown": sorted(expected - shown),
    }


@pytest.mark.parametrize(("tool", "row", "body"), CALL_CASES)
@pytest.mark.parametrize("per_user", PER_USER, indirect=True)
@pytest.mark.parametrize("caller", CALLERS)
def test_discovery_call_tool(
    caller: str,
    per_user: bool,
    tool: str,
    row: str | None,
    body: dict[str, Any],
    discovery: None,
    headers: dict[str, str],
    world: dict[str, Any],
) -> None:
    client = mcp_client(headers)
    call = Call(tool, row, body, world)
    # Each run starts from the same data: the writes of every run are undone.
    status, payload = rest_outcome(headers, call)
    with rolled_back():
        direct = client.call_tool(tool, call.arguments)  # a tool stays callable by name
    with rolled_back():
        via = raw_call(client, "call_tool", {"name": tool, "arguments": call.arguments})
    what = f"{caller} call_tool({tool})"
    assert via.is_error == direct.is_error, (what, direct.text[:200], via.text[:200])
    assert status_in(via.text) == status_in(direct.text), (what, direct.text[:200], via.text[:200])
    if call.reads:
        assert via.structured == direct.structured, what
    # And both are what REST answers.
    assert_answers_as_rest(via, status, payload, call.reads, what)


# resources/list and resources/templates/list ---------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
def test_resource_lists(caller: str, per_user_on: None, headers: dict[str, str]) -> None:
    client = mcp_client(headers)
    uris = {r["uri"] for r in client.request_mcp("resources/list")["resources"]}
    templates = {
        t["uriTemplate"]
        for t in client.request_mcp("resources/templates/list")["resourceTemplates"]
    }
    for resource in RESOURCES:
        may_list = rest_allows(headers, f"{resource}_list")
        may_retrieve = rest_allows(headers, f"{resource}_retrieve")
        assert (f"drf://{resource}" in uris) == may_list, (resource, may_list)
        assert (f"drf://{resource}/{{pk}}" in templates) == may_retrieve, (resource, may_retrieve)


# resources/read ------------------------------------------------------------------------

READS = [
    ("customers", None),
    ("customers", "a1"),
    ("customers", "b1"),
    ("invoices", None),
    ("invoices", "invoice"),
    ("categories", None),
    ("categories", "books"),
    ("admin_only", None),
    ("admin_only", "books"),
    ("scoped", None),
    ("scoped", "a1"),
    ("scoped", "b1"),
]


@pytest.mark.parametrize(
    ("resource", "row"), [pytest.param(r, k, id=f"{r}/{k or ''}") for r, k in READS]
)
@pytest.mark.parametrize("per_user", PER_USER, indirect=True)
@pytest.mark.parametrize("caller", CALLERS)
def test_resources_read(
    caller: str,
    per_user: bool,
    resource: str,
    row: str | None,
    headers: dict[str, str],
    world: dict[str, Any],
) -> None:
    pk = world[row].pk if row else None
    uri = f"drf://{resource}" + (f"/{pk}" if pk is not None else "")
    response = rest(headers, "get", PREFIX[resource] + (f"{pk}/" if pk is not None else ""))
    try:
        contents = mcp_client(headers).request_mcp("resources/read", {"uri": uri})["contents"]
    except MCPError as error:
        assert response.status_code >= 400, f"REST {response.status_code}, MCP {error}"
        if response.status_code == 404:
            assert error.code == -32002, str(error)
        else:
            assert error.code == -32001, str(error)
            assert (error.data or {}).get("status") == response.status_code, error.data
        return
    assert response.status_code < 400, f"REST {response.status_code}, MCP read {contents}"
    (item,) = contents
    assert item["uri"] == uri
    body = json.loads(item["text"])
    assert body in (response.json(), as_object(response.json()))


# completion/complete -------------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("per_user", PER_USER, indirect=True)
@pytest.mark.parametrize("caller", CALLERS)
def test_completion_of_lookups(
    caller: str, per_user: bool, resource: str, headers: dict[str, str], world: dict[str, Any]
) -> None:
    ref = {"type": "ref/resource", "uri": f"drf://{resource}/{{pk}}"}
    completion = mcp_client(headers).request_mcp(
        "completion/complete", {"ref": ref, "argument": {"name": "pk", "value": ""}}
    )["completion"]
    offered = set(completion["values"])
    rows = rows_of(headers, resource)
    if rows is None:
        assert offered == set(), f"REST refuses the list; completion offers {sorted(offered)}"
        return
    allowed = {str(r["id"]) for r in rows}
    assert offered <= allowed, f"offered beyond the caller's REST list: {sorted(offered - allowed)}"


# prompts -------------------------------------------------------------------------------


def _guide_text(client: MCPClient, name: str) -> str:
    got = client.request_mcp("prompts/get", {"name": name})
    return "\n".join(
        m["content"].get("text", "") for m in got["messages"] if isinstance(m["content"], dict)
    )


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("caller", CALLERS)
def test_guide_prompts(
    caller: str, resource: str, per_user_on: None, headers: dict[str, str]
) -> None:
    client = mcp_client(headers)
    visible = rest_visible(headers, resource)
    guide = f"{resource}_guide"
    listed = guide in {p["name"] for p in client.request_mcp("prompts/list")["prompts"]}
    assert listed == bool(visible), (guide, sorted(visible))
    if visible:
        assert f"drf://{resource}" in _guide_text(client, guide)
        return
    with pytest.raises(MCPError):
        _guide_text(client, guide)


@pytest.mark.parametrize("caller", CALLERS)
def test_guide_texts_name_no_hidden_resource(
    caller: str, per_user_on: None, headers: dict[str, str]
) -> None:
    """No guide the caller can read names a tool, a field line or a URI of a resource
    whose tools the caller cannot see."""
    client = mcp_client(headers)
    hidden = [r for r in RESOURCES if not rest_visible(headers, r)]
    names = [p["name"] for p in client.request_mcp("prompts/list")["prompts"]]
    texts = {name: _guide_text(client, name) for name in names if name.endswith("_guide")}
    invoice_fields = [f"- {f} (" for f in ("number", "amount", "due", "paid")]
    leaks = []
    for name, text in texts.items():
        for resource in hidden:
            leaks += [(name, t) for t in TOOLS[resource] if re.search(rf"\b{t}\b", text)]
            if re.search(rf"drf://{resource}\b", text):
                leaks.append((name, f"drf://{resource}"))
            if resource == "invoices" and name in {f"{r}_guide" for r in RESOURCES}:
                leaks += [(name, f) for f in invoice_fields if f in text]
    assert not leaks, leaks


@pytest.mark.parametrize("caller", CALLERS)
def test_guide_texts_name_only_visible_tools(
    caller: str, per_user_on: None, headers: dict[str, str]
) -> None:
    """Beyond resources: a guide does not name a tool that tools/list hides from the caller
    (e.g. customers_create for an anonymous caller)."""
    client = mcp_client(headers)
    hidden = {t for r in RESOURCES for t in TOOLS[r]} - {
        t for r in RESOURCES for t in rest_visible(headers, r)
    }
    leaks = []
    for resource in RESOURCES:
        guide = f"{resource}_guide"
        try:
            text = _guide_text(client, guide)
        except MCPError:
            continue
        leaks += [(guide, t) for t in sorted(hidden) if re.search(rf"\b{t}\b", text)]
    assert not leaks, leaks


# subscriptions -------------------------------------------------------------------------

#: (caller, resource, row): URIs the caller may not read over REST (401/403/404).
UNREADABLE = [
    ("anonymous", "invoices", None),
    ("anonymous", "customers", "a1"),
    ("other", "customers", "a1"),
    ("other", "scoped", "a1"),
    ("owner", "scoped", "b1"),
    ("owner", "admin_only", None),
    ("staff", "scoped", "a1"),
]
UNREADABLE_CASES = [pytest.param(c, r, k, id=f"{c}-{r}/{k or ''}") for c, r, k in UNREADABLE]
STREAM_SECONDS = 1.0
INTERNAL_ERROR = -32603


@pytest.fixture
def short_streams(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from drf_mcp_bridge.transport import streaming

    monkeypatch.setattr(streaming, "GET_STREAM_SECONDS", STREAM_SECONDS, raising=False)
    _mcp_settings(settings, GET_STREAM_SECONDS=STREAM_SECONDS, LISTEN_STREAM_SECONDS=STREAM_SECONDS)


def _uri(resource: str, row: str | None, world: dict[str, Any]) -> tuple[str, str]:
    pk = world[row].pk if row else None
    suffix = f"{pk}/" if pk is not None else ""
    return f"drf://{resource}" + (f"/{pk}" if pk is not None else ""), PREFIX[resource] + suffix


def _change(resource: str, row: str | None, world: dict[str, Any]) -> None:
    """A change the server announces for the URI (a post_save of its model)."""
    if row is not None:
        world[row].save()
    elif resource == "invoices":
        Invoice.objects.create(
            customer=world["a1"], number="INV-9", amount="1.00", due="2027-01-01"
        )
    elif resource in ("categories", "admin_only"):
        Category.objects.create(name=f"changed-{time.monotonic_ns()}")
    else:
        Customer.objects.create(owner=world["a1"].owner, name="Changed")


def _messages(response: Any) -> Iterator[dict[str, Any]]:
    for data in event_data(response.streaming_content):
        yield json.loads(data)


def _initialize(client: APIClient, headers: dict[str, str]) -> str:
    message = {
        "jsonrpc": "2.0",
        "id": 0,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "matrix", "version": "1"},
        },
    }
    response = rpc(client, message, **headers)
    assert response.status_code == 200, response.content
    session: str = response["Mcp-Session-Id"]
    return session


def _subscribe_2025(
    headers: dict[str, str], uri: str, resource: str, row: str | None, world: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """resources/subscribe's answer, and what the session's GET stream then delivers after a
    change of the resource."""
    client = APIClient()
    session = _initialize(client, headers)
    answer = rpc(
        client,
        {"jsonrpc": "2.0", "id": 1, "method": "resources/subscribe", "params": {"uri": uri}},
        HTTP_MCP_SESSION_ID=session,
        **headers,
    ).json()
    _change(resource, row, world)
    extra: dict[str, Any] = {
        "HTTP_MCP_SESSION_ID": session,
        "HTTP_ACCEPT": "text/event-stream",
        **headers,
    }
    stream = client.get("/mcp/", **extra)
    delivered = list(_messages(stream)) if stream.status_code == 200 else []
    return answer, delivered


def _updates_for(messages: list[dict[str, Any]], uri: str) -> list[dict[str, Any]]:
    return [
        m
        for m in messages
        if m.get("method") == "notifications/resources/updated"
        and (m.get("params") or {}).get("uri") == uri
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("caller", "resource", "row"), UNREADABLE_CASES)
def test_resources_subscribe_2025(
    caller: str,
    resource: str,
    row: str | None,
    settings: Any,
    short_streams: None,
    headers: dict[str, str],
    world: dict[str, Any],
) -> None:
    _mcp_settings(settings, SESSIONS=True)
    uri, path = _uri(resource, row, world)
    status = rest(headers, "get", path).status_code
    assert status in (401, 403, 404), f"precondition: REST answers {status} for {path}"
    answer, delivered = _subscribe_2025(headers, uri, resource, row, world)
    assert "error" in answer, f"subscribe to {uri} accepted ({answer}); REST answers {status}"
    assert answer["error"]["code"] != INTERNAL_ERROR, answer  # a refusal, not a crash
    assert not _updates_for(delivered, uri), delivered


LISTEN_VERSION = "2026-07-28"
LISTEN_META = {
    "io.modelcontextprotocol/protocolVersion": LISTEN_VERSION,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "matrix", "version": "1"},
}


def _listen(
    headers: dict[str, str], uri: str, resource: str, row: str | None, world: dict[str, Any]
) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """subscriptions/listen for ``uri``: the acknowledgment (None when the request was
    refused), and every message of the stream after a change of the resource."""
    params = {
        "_meta": dict(LISTEN_META),
        "notifications": {"resourceSubscriptions": [uri]},
    }
    response = rpc(
        APIClient(),
        {"jsonrpc": "2.0", "id": 7, "method": "subscriptions/listen", "params": params},
        HTTP_MCP_PROTOCOL_VERSION=LISTEN_VERSION,
        HTTP_MCP_METHOD="subscriptions/listen",
        **headers,
    )
    if not response.streaming:
        body = response.json()
        assert "error" in body, body  # a plain JSON answer to listen is a refusal
        assert body["error"]["code"] != INTERNAL_ERROR, body  # a refusal, not a crash
        return None, []
    stream = _messages(response)
    first = next(stream)
    if first.get("method") != "notifications/subscriptions/acknowledged":
        assert "error" in first, first
        assert first["error"]["code"] != INTERNAL_ERROR, first
        return None, []
    time.sleep(0.2)  # the listener is registered right after the acknowledgment
    _change(resource, row, world)
    return first, list(stream)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("caller", "resource", "row"), UNREADABLE_CASES)
def test_subscriptions_listen_2026(
    caller: str,
    resource: str,
    row: str | None,
    settings: Any,
    short_streams: None,
    headers: dict[str, str],
    world: dict[str, Any],
) -> None:
    _mcp_settings(settings, SUBSCRIPTIONS=True)
    uri, path = _uri(resource, row, world)
    status = rest(headers, "get", path).status_code
    assert status in (401, 403, 404), f"precondition: REST answers {status} for {path}"
    ack, delivered = _listen(headers, uri, resource, row, world)
    if ack is not None:
        promised = ack["params"]["notifications"].get("resourceSubscriptions", [])
        assert uri not in promised, f"listen acknowledged {uri}; REST answers {status}"
    assert not _updates_for(delivered, uri), delivered


@pytest.mark.django_db(transaction=True)
def test_subscriptions_deliver_what_the_caller_may_read(
    settings: Any, short_streams: None, world: dict[str, Any]
) -> None:
    """Control for the two tests above: a URI the owner may read is subscribed to and its
    update delivered, by both routes (so their 'nothing delivered' is not vacuous)."""
    _mcp_settings(settings, SESSIONS=True, SUBSCRIPTIONS=True)
    headers = {"HTTP_AUTHORIZATION": f"Token {world['tokens']['owner']}"}
    uri, path = _uri("scoped", "a1", world)
    assert rest(headers, "get", path).status_code == 200
    answer, delivered = _subscribe_2025(headers, uri, "scoped", "a1", world)
    assert answer.get("result") == {}, answer
    assert _updates_for(delivered, uri), delivered
    ack, streamed = _listen(headers, uri, "scoped", "a1", world)
    assert ack is not None
    assert ack["params"]["notifications"].get("resourceSubscriptions") == [uri]
    assert _updates_for(streamed, uri), streamed


# OAuth scopes --------------------------------------------------------------------------

ENDPOINT = "http://testserver/mcp/"
OAUTH_CLASS = "drf_mcp_bridge.contrib.oauth.OAuth2Authentication"


@pytest.fixture
def oauth(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("oauth2_provider")
    from rest_framework.authentication import SessionAuthentication, TokenAuthentication

    from drf_mcp_bridge.contrib.oauth import OAuth2Authentication
    from tests.testapp.views import CustomerViewSet

    _mcp_settings(
        settings,
        AUTHENTICATION_CLASSES=[OAUTH_CLASS],
        AUTHENTICATION_REQUIRED=True,
        OAUTH={"SCOPES": ["mcp"], "WRITE_SCOPES": ["mcp:write"]},
    )
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_AUTHENTICATION_CLASSES": [
            OAUTH_CLASS,
            "rest_framework.authentication.SessionAuthentication",
            "rest_framework.authentication.TokenAuthentication",
        ],
    }
    # A view reads DEFAULT_AUTHENTICATION_CLASSES when its class is defined.
    monkeypatch.setattr(
        CustomerViewSet,
        "authentication_classes",
        [OAuth2Authentication, SessionAuthentication, TokenAuthentication],
    )


def oauth_token(user: User, scope: str) -> str:
    from tests.test_oauth import token_for  # imports django-oauth-toolkit: only when present

    return token_for(user, scope)


OAUTH_ROUTES = ["tools/call", "call_tool", "batch tools/call", "batch call_tool"]
SCOPES = {"read": "mcp", "write": "mcp mcp:write"}


def _oauth_request(route: str, tool: str, arguments: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    message = (
        tool_call("call_tool", {"name": tool, "arguments": arguments}, id=2)
        if route.endswith("call_tool")
        else tool_call(tool, arguments, id=2)
    )
    if route.startswith("batch"):
        return [{"jsonrpc": "2.0", "id": 1, "method": "ping"}, message], {
            "HTTP_MCP_PROTOCOL_VERSION": "2025-03-26"
        }
    return message, {}


def _result_of(response: Any) -> dict[str, Any]:
    body = response.json()
    if isinstance(body, list):
        body = next(m for m in body if m.get("id") == 2)
    assert "result" in body, body
    result: dict[str, Any] = body["result"]
    return result


@pytest.mark.parametrize("scope", list(SCOPES))
@pytest.mark.parametrize("route", OAUTH_ROUTES)
def test_oauth_write_tool_needs_the_write_scope(
    route: str, scope: str, oauth: None, settings: Any, world: dict[str, Any]
) -> None:
    if "call_tool" in route:
        _mcp_settings(settings, TOOL_DISCOVERY=True)
    alice = world["a1"].owner
    payload, extra = _oauth_request(route, "customers_create", {"name": "Zed"})
    before = list(Customer.objects.order_by("pk").values_list("pk", "name"))
    response = rpc(
        APIClient(),
        payload,
        HTTP_AUTHORIZATION=f"Bearer {oauth_token(alice, SCOPES[scope])}",
        **extra,
    )
    if scope == "read":
        assert response.status_code == 403, (response.status_code, response.content[:300])
        assert 'error="insufficient_scope"' in response.get("WWW-Authenticate", "")
        assert list(Customer.objects.order_by("pk").values_list("pk", "name")) == before
        return
    assert response.status_code == 200, response.content[:300]
    result = _result_of(response)
    assert result.get("isError") is not True, result
    assert Customer.objects.get(name="Zed").owner == alice


@pytest.mark.parametrize("scope", list(SCOPES))
@pytest.mark.parametrize("route", OAUTH_ROUTES)
def test_oauth_read_tool_works_with_the_read_scope(
    route: str, scope: str, oauth: None, settings: Any, world: dict[str, Any]
) -> None:
    if "call_tool" in route:
        _mcp_settings(settings, TOOL_DISCOVERY=True)
    alice = world["a1"].owner
    payload, extra = _oauth_request(route, "customers_list", {})
    response = rpc(
        APIClient(),
        payload,
        HTTP_AUTHORIZATION=f"Bearer {oauth_token(alice, SCOPES[scope])}",
        **extra,
    )
    assert response.status_code == 200, response.content[:300]
    result = _result_of(response)
    assert result.get("isError") is not True, result
    # The same rows as alice's REST list (with her DRF token: the MCP-bound OAuth token is
    # refused by the REST API, as django-oauth-toolkit does).
    rest_json = (
        rest_client({"HTTP_AUTHORIZATION": f"Token {world['tokens']['owner']}"})
        .get("/api/customers/")
        .json()
    )
    assert result["structuredContent"] == as_object(rest_json)


def test_the_explorer_page_carries_no_catalogue(settings: Any, client: Any) -> None:
    """The explorer is a client of the endpoint: its page holds no tool, resource or prompt
    (it lists them with JSON-RPC calls, which go through the access gate like any client's)."""
    _mcp_settings(settings, PER_USER_TOOLS=True)
    page = client.get("/mcp/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    html = page.content.decode()
    for hidden in ("invoices", "customers_create", "drf://", "_guide"):
        assert hidden not in html, hidden
