"""MCP vs REST on a realistic app, in process, measured in one run. Not a timed test.

    python bench/bench_realistic.py [--rounds 7] [--calls 300] [--profile OP]

The app (bench/realistic.py, bench/realistic_settings.py): Django's default middleware
plus django-crum's (which the tool calls' inner requests run too), token authentication,
orders with a foreign key, two related-field sources and a method field, 20 to a page.
Each operation runs through Django's test client both ways — REST (GET/POST on the router
URL) and MCP (a JSON-RPC POST to /mcp/ with MCP-Protocol-Version 2025-11-25) — and both
answers are decoded. Rounds interleave REST and MCP (the order alternates) and the table
shows medians over the rounds. ``ping`` is a JSON-RPC ping through the same stack: the
fixed cost of the envelope. ``--profile retrieve`` prints where the MCP call's time goes
(cProfile, cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.realistic_settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.benchapp.models import Customer, Order  # noqa: E402

Op = Callable[[], Any]
VERSION = "2025-11-25"


def seed() -> tuple[str, int, int]:
    """A user with a token, customers, 30 orders (20 to a page); (token, order, customer)."""
    user = User.objects.create_user("bench")
    other = User.objects.create_user("other")
    token = Token.objects.create(user=user).key
    customers = [Customer.objects.create(owner=user, name=f"Customer {i}") for i in range(3)]
    Customer.objects.create(owner=other, name="Not mine")
    Order.objects.bulk_create(
        Order(
            customer=customers[i % 3],
            number=f"N-{i:04d}",
            amount=f"{i}.25",
            due=f"2026-{1 + i % 12:02d}-15",
            paid=i % 2 == 0,
        )
        for i in range(30)
    )
    first = Order.objects.order_by("id").first()
    assert first is not None
    return token, first.pk, customers[0].pk


def operations(token: str, pk: int, customer: int) -> dict[str, tuple[Op, Op]]:
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    body = {"customer": customer, "number": "NEW", "amount": "9.99", "due": "2026-12-31"}

    def rest(method: str, path: str, data: Any = None, status: int = 200) -> Op:
        def call() -> Any:
            if method == "get":
                response = client.get(path)
            else:
                response = client.post(path, data=json.dumps(data), content_type="application/json")
            assert response.status_code == status, response.content
            return json.loads(response.content)

        return call

    def mcp(method: str, params: dict[str, Any], endpoint: str = "/mcp/") -> Op:
        payload = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})

        def call() -> Any:
            response = client.post(
                endpoint,
                data=payload,
                content_type="application/json",
                HTTP_ACCEPT="application/json, text/event-stream",
                HTTP_MCP_PROTOCOL_VERSION=VERSION,
            )
            answer = json.loads(response.content)
            assert "result" in answer and not answer["result"].get("isError"), answer
            return answer

        return call

    def tool(name: str, arguments: dict[str, Any]) -> Op:
        return mcp("tools/call", {"name": name, "arguments": arguments})

    def floor(name: str, arguments: dict[str, Any]) -> Op:
        """The floor of the same call (bench/floor.py), POSTed as the MCP call is."""
        return mcp("tools/call", {"name": name, "arguments": arguments}, "/floor-mcp/")

    def unchecked(call: Op) -> Op:
        """``call`` with OUTPUT_CHECK off (set on the settings object, as a reload would)."""
        from drf_mcp_bridge.conf.settings import mcp_settings

        def run() -> Any:
            mcp_settings.__dict__["OUTPUT_CHECK"] = False
            try:
                return call()
            finally:
                del mcp_settings.__dict__["OUTPUT_CHECK"]

        return run

    return {
        "retrieve": (rest("get", f"/api/orders/{pk}/"), tool("orders_retrieve", {"pk": pk})),
        "list (20)": (rest("get", "/api/orders/"), tool("orders_list", {})),
        "list (20), OUTPUT_CHECK off": (
            rest("get", "/api/orders/"),
            unchecked(tool("orders_list", {})),
        ),
        "create": (rest("post", "/api/orders/", body, 201), tool("orders_create", body)),
        "ping": (rest("get", f"/api/orders/{pk}/"), mcp("ping", {})),
        # (floor, floor): bench/bench_instructions.py counts them as the "floor" side.
        "floor retrieve": (floor("orders_retrieve", {"pk": pk}),) * 2,
        "floor list (20)": (floor("orders_list", {}),) * 2,
        "floor create": (floor("orders_create", body),) * 2,
    }


def timed(call: Op, calls: int) -> float:
    """Seconds per call over ``calls`` calls."""
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls


def measure(ops: dict[str, tuple[Op, Op]], rounds: int, calls: int) -> dict[str, dict[str, float]]:
    for rest_call, mcp_call in ops.values():  # warm: catalogue, routes, querysets
        timed(rest_call, 20)
        timed(mcp_call, 20)
    samples: dict[str, dict[str, list[float]]] = {op: {"rest": [], "mcp": []} for op in ops}
    for index in range(rounds):
        for op, (rest_call, mcp_call) in ops.items():
            pair = [("rest", rest_call), ("mcp", mcp_call)]
            for kind, call in pair if index % 2 == 0 else reversed(pair):
                samples[op][kind].append(timed(call, calls))
        trim()
    return {
        op: {kind: statistics.median(values) for kind, values in found.items()}
        for op, found in samples.items()
    }


def trim() -> None:
    """Keep 30 orders after the create rounds."""
    keep = list(Order.objects.order_by("id").values_list("id", flat=True)[:30])
    Order.objects.exclude(id__in=keep).delete()


def profile(call: Op, calls: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        call()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
    return out.getvalue()


#: Stages of a call, as (label, file, function) of the function whose cumulative time
#: is the stage's (cProfile), for --attribute.
STAGES = [
    ("whole request (test client)", "django/test/client.py", "request"),
    ("Django handler + outer middleware", "core/handlers/base.py", "get_response"),
    ("MCP endpoint (MCPView.post)", "transport/http.py", "post"),
    ("  endpoint authentication", "transport/http.py", "authenticated"),
    ("  JSON body read and parsed", "transport/http.py", "read_json"),
    ("  JSON-RPC dispatch (server.handle)", "protocol/server.py", "handle"),
    ("    inner request built", "invocation/run.py", "build_inner_request"),
    ("    inner middleware + view", "invocation/middleware.py", "run"),
    ("    result conversion + output check", "invocation/results.py", "response_to_result"),
    ("    call record (log, signals)", "protocol/tools.py", "record_call"),
    ("  answer encoded (JSON response)", "transport/rules.py", "json_response"),
    ("DRF view dispatch (both)", "rest_framework/views.py", "dispatch"),
    (
        "  DRF initial (authentication, permissions, throttles)",
        "rest_framework/views.py",
        "initial",
    ),
    ("  response rendered (JSONRenderer)", "rest_framework/response.py", "rendered_content"),
]


def attribute(ops: dict[str, tuple[Op, Op]], op: str, calls: int) -> None:
    """Where the time of one call of ``op`` goes, REST and MCP: cProfile's cumulative
    time of each stage, scaled to the unprofiled time of the call (profiling inflates
    every Python call alike; the scale puts the stages back in real microseconds)."""
    for kind, call in zip(("REST", "MCP"), ops[op], strict=True):
        timed(call, 50)
        real = timed(call, calls)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(calls):
            call()
        profiler.disable()
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        total = sum(v[2] for v in stats.values()) / calls
        scale = real / total
        print(f"{kind} {op}: {real * 1e6:.0f} µs a call (profiled {total * 1e6:.0f} µs)")
        for label, where, function in STAGES:
            cumulative = sum(v[3] for k, v in stats.items() if where in k[0] and k[2] == function)
            if cumulative:
                print(f"  {label:56s} {cumulative / calls * scale * 1e6:7.0f} µs")


TARGETS = {"retrieve": 1.05, "create": 1.05, "list (20)": 1.10}


def check_floor(ops: dict[str, tuple[Op, Op]]) -> int:
    """1 unless the floor's structured content is this package's for each target call
    (a create's new row differs in its id and creation time only)."""
    for op in TARGETS:
        floor = ops[f"floor {op}"][0]()["result"]["structuredContent"]
        ours = ops[op][1]()["result"]["structuredContent"]
        if op == "create":
            own = {"id", "created"}
            floor = {k: v for k, v in floor.items() if k not in own}
            ours = {k: v for k, v in ours.items() if k not in own}
        if floor != ours:
            print(f"{op}: the floor answered {floor!r}, MCP {ours!r}")
            return 1
        print(f"{op}: the same structured content ({len(json.dumps(ours))} bytes)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--profile", choices=["retrieve", "list (20)", "create", "ping"])
    parser.add_argument("--attribute", choices=["retrieve", "list (20)", "create"])
    parser.add_argument(
        "--only",
        nargs=3,
        metavar=("SIDE", "OP", "CALLS"),
        help="run CALLS calls of one side (rest or mcp) of OP after the warm-up, nothing "
        "else (bench/bench_instructions.py counts their instructions)",
    )
    parser.add_argument(
        "--check-floor",
        action="store_true",
        help="check that the floor answers what MCP answers (tests/test_bench_floor.py)",
    )
    options = parser.parse_args(argv)
    setup_test_environment()
    call_command("migrate", run_syncdb=True, verbosity=0)
    ops = operations(*seed())
    if options.only:
        side, op, calls = options.only
        call = ops[f"floor {op}"][0] if side == "floor" else ops[op][0 if side == "rest" else 1]
        timed(call, 30)
        timed(call, int(calls))
        return 0
    if options.check_floor:
        return check_floor(ops)
    if options.profile:
        print(profile(ops[options.profile][1], options.calls * options.rounds))
        return 0
    if options.attribute:
        attribute(ops, options.attribute, options.calls * options.rounds)
        return 0
    found = measure(
        {op: pair for op, pair in ops.items() if not op.startswith("floor ")},
        options.rounds,
        options.calls,
    )
    print(
        f"Realistic app, median of {options.rounds} rounds x {options.calls} calls "
        "(Django test client, token auth, default middleware + crum)"
    )
    print("| operation | REST calls/s | MCP calls/s | MCP/REST time | MCP - REST | target |")
    print("|---|---|---|---|---|---|")
    for op, times in found.items():
        rest_s, mcp_s = times["rest"], times["mcp"]
        ratio = mcp_s / rest_s
        target = TARGETS.get(op)
        verdict = f"<= {target:.2f}: {'met' if ratio <= target else 'missed'}" if target else "-"
        label = "ping vs REST retrieve" if op == "ping" else op
        print(
            f"| {label} | {1 / rest_s:.0f} | {1 / mcp_s:.0f} | {ratio:.3f}x "
            f"| {(mcp_s - rest_s) * 1e6:+.0f} µs | {verdict} |"
        )
    print(f"\nA JSON-RPC ping through the same stack: {found['ping']['mcp'] * 1e6:.0f} µs a call.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
