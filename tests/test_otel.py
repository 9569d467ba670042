"""contrib.otel: spans and the duration metric per the OpenTelemetry semantic conventions
for MCP, read back with the OpenTelemetry SDK's in-memory span exporter and metric reader
(the project's providers), through the real endpoint and the test app's views."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

pytest.importorskip("opentelemetry.sdk")

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from opentelemetry.trace import SpanKind, StatusCode

from drf_mcp_bridge.contrib import otel
from drf_mcp_bridge.core import observe
from tests.testapp import views

pytestmark = pytest.mark.django_db

EXPORTER = InMemorySpanExporter()
READER = InMemoryMetricReader()
_PROVIDERS: list[Any] = []


def install_providers() -> None:
    """The project's providers, as a settings module or a wsgi.py sets them (once per
    process: OpenTelemetry's globals cannot be set twice)."""
    if _PROVIDERS:
        return
    tracer_provider = TracerProvider()
    tracer_provider.add_span_processor(SimpleSpanProcessor(EXPORTER))
    trace.set_tracer_provider(tracer_provider)
    metrics.set_meter_provider(MeterProvider(metric_readers=[READER]))
    _PROVIDERS.append(tracer_provider)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    install_providers()
    assert otel.OBSERVER is not None and otel.OBSERVER in observe.OBSERVERS
    READER.get_metrics_data()  # drop what earlier tests recorded (cumulative: see below)
    EXPORTER.clear()
    yield EXPORTER
    EXPORTER.clear()


def rpc(client: Client, method: str, params: dict[str, Any] | None = None, **headers: Any) -> Any:
    body = {"jsonrpc": "2.0", "id": 7, "method": method, "params": params or {}}
    return client.post(
        "/mcp/",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        **headers,
    )


def by_name(found: tuple[ReadableSpan, ...], name: str) -> ReadableSpan:
    [span] = [s for s in found if s.name == name]
    return span


def test_a_tool_call_is_a_server_span_with_the_tool_span_and_the_inner_request_under_it(
    spans: InMemorySpanExporter,
    alice: User,
    alice_token: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What Django or database instrumentation would record inside the view: a span the
    # view's code opens while it runs.
    original = views.CustomerViewSet.get_queryset

    def traced_queryset(self: Any) -> Any:
        with trace.get_tracer("app").start_as_current_span("SELECT testapp_customer"):
            return original(self)

    monkeypatch.setattr(views.CustomerViewSet, "get_queryset", traced_queryset)
    response = rpc(
        Client(),
        "tools/call",
        {"name": "customers_list", "arguments": {}},
        HTTP_AUTHORIZATION=f"Token {alice_token}",
    )
    assert response.status_code == 200 and "result" in response.json()
    found = spans.get_finished_spans()
    server = by_name(found, "tools/call customers_list")
    tool = by_name(found, "execute_tool customers_list")
    # Named by the route as Django resolved it (a router's routes are regular expressions),
    # as Django's own instrumentation names its spans.
    inner = by_name(found, "GET api/customers/$")
    view_work = by_name(found, "SELECT testapp_customer")
    assert server.kind is SpanKind.SERVER and server.parent is None
    assert tool.kind is SpanKind.INTERNAL and tool.parent.span_id == server.context.span_id
    assert inner.parent.span_id == tool.context.span_id
    assert view_work.parent.span_id == inner.context.span_id
    assert {s.context.trace_id for s in (server, tool, inner, view_work)} == {
        server.context.trace_id
    }
    assert dict(server.attributes) == {
        "mcp.method.name": "tools/call",
        "jsonrpc.request.id": "7",
        "gen_ai.tool.name": "customers_list",
        "gen_ai.operation.name": "execute_tool",
        "mcp.protocol.version": "2025-03-26",
        "network.transport": "tcp",
        "network.protocol.name": "http",
        "client.address": "127.0.0.1",
        "enduser.id": str(alice.pk),
    }
    assert dict(tool.attributes) == {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": "customers_list",
    }
    assert dict(inner.attributes) == {
        "http.request.method": "GET",
        "url.path": "/api/customers/",
        "http.route": "api/customers/$",
        "http.response.status_code": 200,
    }
    assert server.status.status_code is StatusCode.UNSET
    # No secret anywhere: not the token, not a header.
    recorded = json.dumps([dict(s.attributes) for s in found])
    assert alice_token not in recorded and "Token" not in recorded


def test_the_clients_trace_context_in_meta_is_the_parent_and_the_ambient_span_a_link(
    spans: InMemorySpanExporter,
) -> None:
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    meta = {"traceparent": f"00-{trace_id}-{parent_id}-01", "tracestate": "rojo=1"}
    with trace.get_tracer("http").start_as_current_span("POST /mcp/") as ambient:
        rpc(Client(), "tools/list", {"_meta": meta})
    server = by_name(spans.get_finished_spans(), "tools/list")
    assert format(server.context.trace_id, "032x") == trace_id
    assert server.parent is not None and format(server.parent.span_id, "016x") == parent_id
    assert server.parent.is_remote
    assert [link.context.span_id for link in server.links] == [ambient.get_span_context().span_id]
    # Without _meta's context the ambient span is the parent; a malformed one is ignored.
    spans.clear()
    with trace.get_tracer("http").start_as_current_span("POST /mcp/") as ambient:
        rpc(Client(), "tools/list", {"_meta": {"traceparent": "00-not-a-trace-01"}})
    server = by_name(spans.get_finished_spans(), "tools/list")
    assert server.parent.span_id == ambient.get_span_context().span_id and not server.links


def test_errors_are_typed_as_the_conventions_say(spans: InMemorySpanExporter, alice: User) -> None:
    client = Client()
    rpc(client, "no/such/method")
    unknown = by_name(spans.get_finished_spans(), "no/such/method")
    assert unknown.attributes["error.type"] == "-32601"
    assert unknown.attributes["rpc.response.status_code"] == "-32601"
    assert unknown.status.status_code is StatusCode.ERROR
    assert unknown.status.description.startswith("Method not found")
    spans.clear()
    # A tool error (the view's 404) is a successful JSON-RPC answer: error.type tool_error.
    rpc(client, "tools/call", {"name": "customers_retrieve", "arguments": {"pk": 999999}})
    found = spans.get_finished_spans()
    server = by_name(found, "tools/call customers_retrieve")
    tool = by_name(found, "execute_tool customers_retrieve")
    [inner] = [s for s in found if s.name.startswith("GET api/customers/(?P<pk>")]
    assert server.attributes["error.type"] == "tool_error" == tool.attributes["error.type"]
    assert "rpc.response.status_code" not in server.attributes
    assert server.status.status_code is StatusCode.ERROR
    assert inner.attributes["http.response.status_code"] == 404
    assert "error.type" not in inner.attributes  # a 4xx is the client's, not a failure
    assert "enduser.id" not in server.attributes  # anonymous


def test_a_session_names_its_id(spans: InMemorySpanExporter, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "SESSIONS": True}
    client = Client()
    init = {
        "protocolVersion": "2025-11-25",
        "capabilities": {},
        "clientInfo": {"name": "t", "version": "1"},
    }
    session = rpc(client, "initialize", init)["Mcp-Session-Id"]
    spans.clear()
    rpc(client, "ping", HTTP_MCP_SESSION_ID=session, HTTP_MCP_PROTOCOL_VERSION="2025-11-25")
    ping = by_name(spans.get_finished_spans(), "ping")
    assert ping.attributes["mcp.session.id"] == session
    assert ping.attributes["mcp.protocol.version"] == "2025-11-25"


def test_the_duration_histogram(spans: InMemorySpanExporter) -> None:
    client = Client()
    for _ in range(3):
        rpc(client, "tools/call", {"name": "customers_list", "arguments": {}})
    rpc(client, "no/such/method")
    data = READER.get_metrics_data()
    [metric] = [
        m
        for rm in data.resource_metrics
        for sm in rm.scope_metrics
        if sm.scope.name == "drf_mcp_bridge"
        for m in sm.metrics
        if m.name == "mcp.server.operation.duration"
    ]
    assert metric.unit == "s"
    points = {
        (p.attributes.get("gen_ai.tool.name"), p.attributes.get("error.type")): p
        for p in metric.data.data_points
    }
    listed = points[("customers_list", None)]
    assert listed.attributes["mcp.method.name"] == "tools/call"
    assert listed.explicit_bounds == otel.DURATION_BUCKETS
    assert 0 < listed.sum < 60
    unknown = points[(None, "-32601")]
    assert unknown.attributes["rpc.response.status_code"] == "-32601"
    # Cumulative since the reader's start: at least this test's calls.
    assert listed.count >= 3 and unknown.count >= 1


def test_notifications_get_spans_and_the_stdio_transport_is_a_pipe(
    spans: InMemorySpanExporter, alice: User
) -> None:
    from drf_mcp_bridge.transport.local import LocalEndpoint

    endpoint = LocalEndpoint(alice)
    endpoint.answer({"jsonrpc": "2.0", "method": "notifications/initialized"})
    endpoint.answer({"jsonrpc": "2.0", "id": "a", "method": "tools/list"})
    found = spans.get_finished_spans()
    note = by_name(found, "notifications/initialized")
    listed = by_name(found, "tools/list")
    assert "jsonrpc.request.id" not in note.attributes
    assert listed.attributes["jsonrpc.request.id"] == "a"
    assert listed.attributes["network.transport"] == "pipe"
    assert "network.protocol.name" not in listed.attributes
    assert listed.attributes["enduser.id"] == str(alice.pk)


def test_without_the_observer_nothing_is_traced(spans: InMemorySpanExporter) -> None:
    assert otel.OBSERVER is not None
    observe.unregister_observer(otel.OBSERVER)
    try:
        rpc(Client(), "tools/call", {"name": "customers_list", "arguments": {}})
        assert spans.get_finished_spans() == ()
    finally:
        observe.register_observer(otel.OBSERVER)


def test_rest_requests_are_unchanged_and_untraced(spans: InMemorySpanExporter, alice: User) -> None:
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(alice)
    assert api.get("/api/customers/").status_code == 200
    assert spans.get_finished_spans() == ()
