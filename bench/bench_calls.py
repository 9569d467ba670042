"""Tool calls vs plain DRF, and tools/list, measured in one run. Not a timed test.

    python bench/bench_calls.py [--rounds 5] [--calls 100]

Prints calls/s for the same operations on the same model through
- REST: DRF's APIClient against the router's URL,
- MCP: drf_mcp_bridge.test.MCPClient.call_tool (and a raw JSON-RPC POST),
- REF: the reference implementation (django-rest-framework-mcp 0.1.0a4), when installed,
and the ratios: MCP time / REST time (target <= 1.10) and our calls/s / REF calls/s
(target >= 2). Rounds interleave the implementations to reduce drift on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from rest_framework import viewsets  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from bench.benchapp.models import Item  # noqa: E402
from bench.benchapp.views import ItemSerializer  # noqa: E402
from drf_mcp_bridge import mcp_viewset  # noqa: E402
from drf_mcp_bridge.catalogue.registry import registry  # noqa: E402
from drf_mcp_bridge.test import MCPClient  # noqa: E402

Op = Callable[[], Any]


def rpc(name: str, arguments: dict[str, Any]) -> str:
    return json.dumps(
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "tools/call",
            "params": {"name": name, "arguments": arguments},
        }
    )


def seed() -> None:
    Item.objects.all().delete()
    Item.objects.bulk_create(
        Item(name=f"Item {i}", sku=f"SKU-{i:04d}", price=f"{i}.50") for i in range(20)
    )


def trim() -> None:
    """Keep the list at 20 objects after create rounds."""
    keep = list(Item.objects.order_by("id").values_list("id", flat=True)[:20])
    Item.objects.exclude(id__in=keep).delete()


def operations() -> dict[str, dict[str, Op]]:
    api = APIClient()
    mcp = MCPClient()
    raw = Client()
    first = Item.objects.order_by("id").first()
    assert first is not None
    pk = first.pk
    new = {"name": "New", "sku": "SKU-NEW", "price": "9.99"}
    headers = {
        "content_type": "application/json",
        "HTTP_ACCEPT": "application/json, text/event-stream",
        "HTTP_MCP_PROTOCOL_VERSION": "2025-11-25",
    }
    ops: dict[str, dict[str, Op]] = {
        "list (20 objects)": {
            "REST": lambda: api.get("/api/items/"),
            "MCP": lambda: mcp.call_tool("items_list"),
            "MCP raw": lambda: raw.post("/mcp/", rpc("items_list", {}), **headers),
            "floor": lambda: raw.post("/floor-mcp/", rpc("items_list", {}), **headers),
        },
        "retrieve": {
            "REST": lambda: api.get(f"/api/items/{pk}/"),
            "MCP": lambda: mcp.call_tool("items_retrieve", {"pk": pk}),
            "MCP raw": lambda: raw.post("/mcp/", rpc("items_retrieve", {"pk": pk}), **headers),
            "floor": lambda: raw.post("/floor-mcp/", rpc("items_retrieve", {"pk": pk}), **headers),
        },
        "create": {
            "REST": lambda: api.post("/api/items/", new, format="json"),
            "MCP": lambda: mcp.call_tool("items_create", new),
            "MCP raw": lambda: raw.post("/mcp/", rpc("items_create", new), **headers),
            "floor": lambda: raw.post("/floor-mcp/", rpc("items_create", new), **headers),
        },
    }
    if settings.HAVE_REFERENCE:
        ref = Client()
        ref_body = {
            "list (20 objects)": rpc("list_items", {}),
            "retrieve": rpc("retrieve_items", {"kwargs": {"pk": pk}}),
            "create": rpc("create_items", {"body": new}),
        }
        for op_name, body in ref_body.items():
            ops[op_name]["REF raw"] = lambda body=body: ref.post(
                "/ref-mcp/", body, content_type="application/json"
            )
    return ops


def check(ops: dict[str, dict[str, Op]]) -> None:
    """Every implementation must succeed and return the same data before it is timed."""
    for op_name, impls in ops.items():
        for impl, op in impls.items():
            response = op()
            if hasattr(response, "is_error"):
                assert not response.is_error, (op_name, impl, response.text)
                continue
            assert response.status_code in {200, 201}, (op_name, impl, response.content[:300])
            body = response.json()
            if isinstance(body, dict) and "result" in body:
                assert not body["result"].get("isError"), (op_name, impl, body)
                body = body["result"].get("structuredContent", body)
            if op_name.startswith("list"):
                items = body["results"] if isinstance(body, dict) else body
                assert len(items) == 20, (op_name, impl, len(items))
        trim()


def measure(ops: dict[str, dict[str, Op]], rounds: int, calls: int) -> dict[str, dict[str, float]]:
    """calls/s per (operation, implementation): the median over rounds."""
    samples: dict[str, dict[str, list[float]]] = {
        op: {impl: [] for impl in impls} for op, impls in ops.items()
    }
    for round_index in range(rounds):
        for op_name, impls in ops.items():
            names = list(impls)
            shift = round_index % len(names)
            for impl in names[shift:] + names[:shift]:
                op = impls[impl]
                started = time.perf_counter()
                for _ in range(calls):
                    op()
                elapsed = time.perf_counter() - started
                samples[op_name][impl].append(calls / elapsed)
                if op_name == "create":
                    trim()
    return {
        op: {impl: statistics.median(values) for impl, values in impls.items()}
        for op, impls in samples.items()
    }


def tools_list_ms(repeat: int = 200) -> tuple[float, float]:
    """(endpoint view, full test-client round trip) warm tools/list time in milliseconds.

    The first number calls the endpoint view directly with a RequestFactory request
    (server side only: decode, dispatch, encode); the second adds Django's test client
    and MCPClient's decoding of the answer.
    """
    from django.test import RequestFactory

    from drf_mcp_bridge.transport.http import MCPView

    view = MCPView.as_view()
    factory = RequestFactory()
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"})

    def direct() -> None:
        request = factory.post("/mcp/", data=body, content_type="application/json")
        response = view(request)
        assert response.status_code == 200

    direct()  # warm: schemas built and cached
    started = time.perf_counter()
    for _ in range(repeat):
        direct()
    server_side = (time.perf_counter() - started) / repeat * 1000
    client = MCPClient()
    client.tools_list()
    started = time.perf_counter()
    for _ in range(repeat):
        client.tools_list()
    full = (time.perf_counter() - started) / repeat * 1000
    return server_side, full


def generate_tools(viewsets_count: int = 34) -> None:
    """Register 34 more ModelViewSets (6 tools each): 204 generated tools + the app's 6."""
    for index in range(viewsets_count):
        viewset = type(
            f"Generated{index}ViewSet",
            (viewsets.ModelViewSet,),
            {"queryset": Item.objects.all(), "serializer_class": ItemSerializer},
        )
        mcp_viewset(name=f"generated{index}")(viewset)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument(
        "--only",
        nargs=3,
        metavar=("IMPL", "OP", "CALLS"),
        help="run CALLS calls of one implementation of OP after the warm-up, nothing else "
        "(bench/bench_instructions.py --app bare counts their instructions)",
    )
    args = parser.parse_args()

    setup_test_environment()
    call_command("migrate", run_syncdb=True, verbosity=0)
    seed()
    ops = operations()
    if args.only:
        impl, op_name, calls = args.only
        for _ in range(30 + int(calls)):
            ops[op_name][impl]()
        return
    check(ops)
    results = measure(ops, args.rounds, args.calls)

    print(f"django-rest-framework-mcp benchmark: {args.rounds} rounds x {args.calls} calls")
    print(f"Python {sys.version.split()[0]}, Django {django.get_version()}")
    impls = ["REST", "MCP", "MCP raw", "floor", "REF raw"]
    print(f"{'operation':<20}" + "".join(f"{name + ' calls/s':>18}" for name in impls))
    ok = True
    for op_name, by_impl in results.items():
        row = "".join(
            f"{by_impl[name]:>18.0f}" if name in by_impl else f"{'-':>18}" for name in impls
        )
        print(f"{op_name:<20}{row}")
    print()
    print(
        f"{'operation':<20}{'MCP/REST time':>16}{'target':>10}"
        f"{'ours/REF calls/s':>20}{'target':>10}"
    )
    for op_name, by_impl in results.items():
        ratio = by_impl["REST"] / by_impl["MCP"]  # time ratio = inverse of calls/s ratio
        verdict = "PASS" if ratio <= 1.10 else "MISS"
        ok &= ratio <= 1.10
        if "REF raw" in by_impl:
            speedup = by_impl["MCP raw"] / by_impl["REF raw"]
            ref_verdict = "PASS" if speedup >= 2 else "MISS"
            ref_text = f"{speedup:>19.2f}x{ref_verdict:>10}"
        else:
            ref_text = f"{'(reference not installed)':>30}"
        print(f"{op_name:<20}{ratio:>15.3f}x{verdict:>10}{ref_text}")
    print()
    print("The floor (bench/floor.py: parse, build the view's request, run the view, answer")
    print("with the result as text and structuredContent; nothing else) against REST, and")
    print("what this package's envelope costs over it (raw JSON-RPC POSTs both):")
    print(f"{'operation':<20}{'floor/REST time':>17}{'MCP raw/REST':>15}{'MCP raw - floor':>18}")
    for op_name, by_impl in results.items():
        rest_s, floor_s, raw_s = (1 / by_impl[k] for k in ("REST", "floor", "MCP raw"))
        print(
            f"{op_name:<20}{floor_s / rest_s:>16.3f}x{raw_s / rest_s:>14.3f}x"
            f"{(raw_s - floor_s) * 1e6:>14.0f} µs"
        )

    app_dispatch, app_full = tools_list_ms()
    generate_tools()
    count = len(registry.tools())
    big_dispatch, big_full = tools_list_ms()
    print()
    print("tools/list, warm (target <= 5 ms):")
    print(
        f"  bench app (6 tools): endpoint view {app_dispatch:.3f} ms, "
        f"through MCPClient {app_full:.3f} ms"
    )
    verdict = "PASS" if big_full <= 5 else "MISS"
    print(
        f"  generated app ({count} tools): endpoint view {big_dispatch:.3f} ms, "
        f"through MCPClient {big_full:.3f} ms  {verdict}"
    )


if __name__ == "__main__":
    main()
