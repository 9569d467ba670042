"""OpenTelemetry traces and metrics for MCP requests (``pip install "drf-mcp-bridge[otel]"``),
following the OpenTelemetry semantic conventions for MCP (``mcp.*``, ``gen_ai.*``).

In the default ``EXTENSIONS``: when ``opentelemetry-api`` is importable this module
registers :class:`OpenTelemetryObserver` into ``core.observe``; when it is not, it registers
nothing and the server's observation points stay a list test. Spans and metrics go to the
tracer and meter providers the project configures (the SDK and an exporter, e.g. OTLP:
docs/operations.md); with the API alone they are OpenTelemetry's no-op ones.

Per request or notification, a ``SERVER`` span ``{mcp.method.name} {target}`` (the target
is the tool or prompt name); its parent is the trace context the client sent in
``params._meta`` (``traceparent``, ``tracestate``, ``baggage``), linked to the ambient span
(the HTTP server span of Django's instrumentation) when both exist, else the ambient span.
Under it, per tool run, an ``INTERNAL`` span ``execute_tool {tool}``, and under that, per
inner request, an ``INTERNAL`` span ``{METHOD} {route}`` that is current while the
project's middleware and the view run, so Django, database and HTTP-client
instrumentation nest under it. The histogram ``mcp.server.operation.duration`` (seconds)
records every request and notification.

Never recorded: arguments, results, headers, tokens. The caller is ``enduser.id`` (the
user's primary key) when the request is authenticated.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any, TypeVar

from ..core import observe

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ..core.context import RequestContext
    from ..core.jsonrpc import Message

try:
    from opentelemetry import metrics, propagate, trace
    from opentelemetry.trace import Link, SpanKind, Status, StatusCode
except ImportError:  # the [otel] extra is not installed: register nothing
    trace = None  # type: ignore[assignment]

T = TypeVar("T")

SCOPE = "drf_mcp_bridge"
#: The bucket boundaries the conventions advise for ``mcp.server.operation.duration``.
DURATION_BUCKETS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300)
#: The trace context keys read from ``params._meta`` (unprefixed, as SEP-414 says).
PROPAGATION_KEYS = ("traceparent", "tracestate", "baggage")
#: Span attributes that also label the duration metric (all of low cardinality).
METRIC_ATTRIBUTES = (
    "mcp.method.name",
    "error.type",
    "gen_ai.tool.name",
    "gen_ai.prompt.name",
    "gen_ai.operation.name",
    "mcp.protocol.version",
    "network.transport",
    "network.protocol.name",
    "rpc.response.status_code",
)


@functools.cache
def _version() -> str:
    try:
        return version("drf-mcp-bridge")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def _user_id(context: RequestContext) -> str | None:
    """The authenticated caller's primary key, without authenticating anyone."""
    outcome = context.outcome
    user = outcome.user if outcome is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        drf_request = context.caller.authenticated_request
        user = getattr(drf_request, "user", None) if drf_request is not None else None
    if user is None or not getattr(user, "is_authenticated", False):
        user = getattr(context.caller.request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return str(user.pk)
    return None


class OpenTelemetryObserver(observe.Observer):
    """Spans and the duration metric for every MCP request (see the module's docstring)."""

    def __init__(self) -> None:
        self._tracer: Any = None
        self._duration: Any = None

    # Fetched once, on first use: before the project sets its providers OpenTelemetry
    # hands out proxies, which follow the providers set later.
    def tracer(self) -> Any:
        if self._tracer is None:
            self._tracer = trace.get_tracer(SCOPE, _version())
        return self._tracer

    def duration(self) -> Any:
        if self._duration is None:
            meter = metrics.get_meter(SCOPE, _version())
            self._duration = meter.create_histogram(
                "mcp.server.operation.duration",
                unit="s",
                description="MCP request or notification duration as observed on the "
                "receiver from the time it was received until the result or ack is sent.",
                explicit_bucket_boundaries_advisory=list(DURATION_BUCKETS),
            )
        return self._duration

    def message(self, proceed: Callable[[], T], message: Message, context: RequestContext) -> T:
        method = str(message.method)
        params = message.params if isinstance(message.params, dict) else {}
        attributes = self.message_attributes(method, message, params, context)
        target = attributes.get("gen_ai.tool.name") or attributes.get("gen_ai.prompt.name")
        parent, links = self.parent(params)
        started = time.perf_counter()
        with self.tracer().start_as_current_span(
            f"{method} {target}" if target else method,
            context=parent,
            kind=SpanKind.SERVER,
            attributes=attributes,
            links=links,
            record_exception=True,
            set_status_on_exception=True,
        ) as span:
            try:
                response = proceed()
            except BaseException as exc:
                self.finish(span, attributes, started, {"error.type": type(exc).__qualname__})
                raise
            errors, description = self.outcome(method, response)
            if errors:
                span.set_status(Status(StatusCode.ERROR, description))
            user = _user_id(context)
            if user is not None:
                span.set_attribute("enduser.id", user)
            self.finish(span, attributes, started, errors)
            return response

    @staticmethod
    def message_attributes(
        method: str, message: Message, params: dict[str, Any], context: RequestContext
    ) -> dict[str, Any]:
        attributes: dict[str, Any] = {"mcp.method.name": method}
        if message.id is not None:
            attributes["jsonrpc.request.id"] = str(message.id)
        name = params.get("name")
        if method == "tools/call" and isinstance(name, str):
            attributes["gen_ai.tool.name"] = name
            attributes["gen_ai.operation.name"] = "execute_tool"
        elif method == "prompts/get" and isinstance(name, str):
            attributes["gen_ai.prompt.name"] = name
        uri = params.get("uri")
        if method.startswith("resources/") and isinstance(uri, str):
            attributes["mcp.resource.uri"] = uri
        if context.protocol_version:
            attributes["mcp.protocol.version"] = str(context.protocol_version)
        request = context.caller.request
        if getattr(request, "mcp_transport", "http") == "local":
            attributes["network.transport"] = "pipe"
        else:
            attributes["network.transport"] = "tcp"
            attributes["network.protocol.name"] = "http"
            address = request.META.get("REMOTE_ADDR")
            if address:
                attributes["client.address"] = str(address)
        session = context.session.id if context.session is not None else None
        session = session or request.headers.get("Mcp-Session-Id")
        if session:
            attributes["mcp.session.id"] = str(session)
        return attributes

    @staticmethod
    def parent(params: dict[str, Any]) -> tuple[Any, list[Any]]:
        """The client's trace context from ``_meta`` (None when it sent none), and a link
        to the ambient span when the client's context is the parent."""
        meta = params.get("_meta")
        carrier = (
            {k: meta[k] for k in PROPAGATION_KEYS if isinstance(meta.get(k), str)}
            if isinstance(meta, dict)
            else {}
        )
        if "traceparent" not in carrier:
            return None, []
        extracted = propagate.extract(carrier)
        if not trace.get_current_span(extracted).get_span_context().is_valid:
            return None, []  # a malformed traceparent: ignored, as the W3C format says
        ambient = trace.get_current_span().get_span_context()
        return extracted, [Link(ambient)] if ambient.is_valid else []

    @staticmethod
    def outcome(method: str, response: Any) -> tuple[dict[str, str], str | None]:
        """The error attributes of an answer (none for a success or a notification) and
        the span status's description."""
        if not isinstance(response, dict):
            return {}, None  # a notification: nothing answered
        error = response.get("error")
        if isinstance(error, dict):
            code = str(error.get("code"))
            errors = {"error.type": code, "rpc.response.status_code": code}
            return errors, str(error.get("message", ""))
        result = response.get("result")
        if method == "tools/call" and isinstance(result, dict) and result.get("isError"):
            return {"error.type": "tool_error"}, None
        return {}, None

    def finish(
        self, span: Any, attributes: dict[str, Any], started: float, errors: dict[str, str]
    ) -> None:
        """Put the error attributes on the span and record the duration, labelled."""
        span.set_attributes(errors)
        attributes.update(errors)
        labels = {k: attributes[k] for k in METRIC_ATTRIBUTES if k in attributes}
        self.duration().record(time.perf_counter() - started, labels)

    def tool_call(
        self,
        proceed: Callable[[], T],
        tool: Any,
        arguments: dict[str, Any],
        context: RequestContext,
    ) -> T:
        name = str(getattr(tool, "name", tool))
        with self.tracer().start_as_current_span(
            f"execute_tool {name}",
            kind=SpanKind.INTERNAL,
            attributes={"gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name},
        ) as span:
            result = proceed()
            if isinstance(result, dict) and result.get("isError"):
                span.set_attribute("error.type", "tool_error")
                span.set_status(Status(StatusCode.ERROR))
            return result

    def inner_request(
        self,
        proceed: Callable[[], T],
        request: HttpRequest,
        tool: Any,
        context: RequestContext,
    ) -> T:
        match = getattr(request, "resolver_match", None)
        route = getattr(match, "route", None) or None
        method = str(request.method)
        attributes: dict[str, Any] = {"http.request.method": method, "url.path": request.path}
        if route:
            attributes["http.route"] = route
        with self.tracer().start_as_current_span(
            f"{method} {route}" if route else method,
            kind=SpanKind.INTERNAL,
            attributes=attributes,
        ) as span:
            response = proceed()
            status = getattr(response, "status_code", None)
            if isinstance(status, int):
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_attribute("error.type", str(status))
                    span.set_status(Status(StatusCode.ERROR))
            return response


#: The registered observer (None when opentelemetry-api is not installed).
OBSERVER: OpenTelemetryObserver | None = None
if trace is not None:
    OBSERVER = OpenTelemetryObserver()
    observe.register_observer(OBSERVER)
