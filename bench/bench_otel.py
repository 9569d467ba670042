"""What contrib.otel costs per tool call, in one run: the test app's customers_list (20
rows) over MCP with no observer registered (what a project without the ``[otel]`` extra
runs), with the observer on OpenTelemetry's API alone (no SDK: no-op spans), and with the
SDK recording every span and the duration histogram in memory; REST for the same list as
the yardstick. Rounds interleave the modes, so drift hits them alike.

Without the extra, the only code on a call's path is the observation points' test of an
empty list (three per tool call, one per other request): timed on its own, below.

    python bench/bench_otel.py [--rounds 40] [--calls 50]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--calls", type=int, default=50)
    options = parser.parse_args(argv)
    sys.path[:0] = [str(ROOT / "bench")]
    from test_app import test_app

    with test_app():
        from django.contrib.auth.models import User
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import InMemoryMetricReader
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import SimpleSpanProcessor
        from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
            InMemorySpanExporter,
        )
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from drf_mcp_bridge.contrib import otel
        from drf_mcp_bridge.core import observe
        from drf_mcp_bridge.test import MCPClient
        from tests.testapp.models import Customer

        user = User.objects.create_user("bench")
        token = Token.objects.create(user=user).key
        Customer.objects.bulk_create(Customer(owner=user, name=f"c{i}") for i in range(20))
        mcp, rest = MCPClient(), APIClient()
        mcp.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        rest.credentials(HTTP_AUTHORIZATION=f"Token {token}")

        exporter = InMemorySpanExporter()
        tracer_provider = TracerProvider()
        tracer_provider.add_span_processor(SimpleSpanProcessor(exporter))
        meter_provider = MeterProvider(metric_readers=[InMemoryMetricReader()])

        class Recording(otel.OpenTelemetryObserver):
            """The observer on SDK providers of its own (the process's global ones stay
            the API's no-op proxies, for the "API only" mode)."""

            def tracer(self) -> Any:
                return tracer_provider.get_tracer(otel.SCOPE)

            def duration(self) -> Any:
                if self._duration is None:
                    self._duration = meter_provider.get_meter(otel.SCOPE).create_histogram(
                        "mcp.server.operation.duration", unit="s"
                    )
                return self._duration

        api_only = otel.OBSERVER or otel.OpenTelemetryObserver()
        recording = Recording()
        observe.OBSERVERS.clear()

        def mcp_call() -> None:
            assert not mcp.call_tool("customers_list").is_error

        def rest_call() -> None:
            assert rest.get("/api/customers/").status_code == 200

        modes: dict[str, tuple[Any, list[observe.Observer]]] = {
            "REST GET /api/customers/": (rest_call, []),
            "MCP, no observer (no [otel] extra)": (mcp_call, []),
            "MCP, observer, API only (no SDK)": (mcp_call, [api_only]),
            "MCP, observer, SDK recording": (mcp_call, [recording]),
        }
        samples: dict[str, list[float]] = {label: [] for label in modes}
        for _round in range(options.rounds + 2):
            for label, (call, observers) in modes.items():
                observe.OBSERVERS[:] = observers
                started = time.perf_counter()
                for _ in range(options.calls):
                    call()
                if _round >= 2:  # two warm-up rounds
                    samples[label].append((time.perf_counter() - started) / options.calls)
                exporter.clear()
        observe.OBSERVERS[:] = [api_only] if otel.OBSERVER else []

        checks = 10_000_000
        empty: list[observe.Observer] = []
        per_check = (
            timeit.timeit("if empty: pass", globals={"empty": empty}, number=checks) / checks
        )

    median = {label: statistics.median(values) * 1000 for label, values in samples.items()}
    rest_ms = median["REST GET /api/customers/"]
    bare_ms = median["MCP, no observer (no [otel] extra)"]
    print(f"customers_list (20 rows), median over {options.rounds} rounds of {options.calls} calls")
    print(f"  {'mode':40s} {'ms/call':>8s} {'/ REST':>7s} {'/ no observer':>14s}")
    for label, value in median.items():
        print(f"  {label:40s} {value:8.3f} {value / rest_ms:6.2f}x {value / bare_ms:13.3f}x")
    three = 3 * per_check * 1e9
    print(
        f"  without the extra: 3 empty-list tests per tool call = {three:.0f} ns "
        f"= {three / (bare_ms * 1e6) * 100:.4f}% of an MCP call"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
