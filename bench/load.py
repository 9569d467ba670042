"""Load against real servers (bench/load.sh starts them): MCP vs REST on the same
gunicorn, creates at a fixed concurrency, memory over many calls, and two independent
servers answering one client alternately.

    python bench/load.py --url http://127.0.0.1:PORT --other http://127.0.0.1:PORT2 \\
        --pids 1,2,3,4 [--creates 10000] [--concurrency 64] [--memory-calls 100000] \\
        [--memory-rest]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
from typing import Any

import httpx

HEADERS = {
    "Accept": "application/json, text/event-stream",
    "Content-Type": "application/json",
    "MCP-Protocol-Version": "2025-11-25",
}
_ids = itertools.count(1)


def mcp_call(name: str, arguments: dict[str, Any]) -> bytes:
    body = {
        "jsonrpc": "2.0",
        "id": next(_ids),
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments},
    }
    return json.dumps(body).encode()


async def run(
    client: httpx.AsyncClient,
    requests: list[tuple[str, bytes]],
    concurrency: int,
    check: Any,
) -> tuple[float, list[float], int]:
    """Send (path, body) POSTs (GETs for an empty body) with at most ``concurrency`` in
    flight; returns the wall time, each latency, and how many answers ``check`` refused."""
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    latencies: list[float] = []
    errors = 0
    shown: list[str] = []  # the first few refused answers, printed after the run

    async def worker() -> None:
        nonlocal errors
        while True:
            try:
                path, body = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            started = time.perf_counter()
            try:
                if body:
                    response = await client.post(path, content=body, headers=HEADERS)
                else:
                    response = await client.get(path, headers={"Accept": "application/json"})
                ok = check(response)
                what = f"HTTP {response.status_code}: {response.text[:300]}"
            except httpx.HTTPError as exc:
                ok = False
                what = f"{type(exc).__name__}: {exc}"
            latencies.append(time.perf_counter() - started)
            if not ok:
                errors += 1
                if len(shown) < 3:
                    shown.append(what)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    for what in shown:
        print(f"    refused: {what}")
    return time.perf_counter() - started, latencies, errors


def mcp_ok(response: httpx.Response) -> bool:
    if response.status_code != 200:
        return False
    body = response.json()
    return "result" in body and not body["result"].get("isError")


def rest_created(response: httpx.Response) -> bool:
    # Parses the body like mcp_ok does: the client's own work is the same for both.
    return response.status_code == 201 and "id" in response.json()


def rest_ok(response: httpx.Response) -> bool:
    return response.status_code == 200 and "id" in response.json()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--other", required=True)
    parser.add_argument("--pids", required=True)
    parser.add_argument("--creates", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--memory-calls", type=int, default=100_000)
    parser.add_argument(
        "--memory-rest", action="store_true", help="also measure memory over REST retrieves"
    )
    parser.add_argument("--prefix", default="", help="put before the created items' names")
    options = parser.parse_args()
    prefix = options.prefix
    pids = [int(p) for p in options.pids.split(",")]
    limits = httpx.Limits(max_connections=options.concurrency)
    async with httpx.AsyncClient(base_url=options.url, limits=limits, timeout=60) as client:
        seed = await client.post(
            "/api/items/", content=b'{"name": "seed", "sku": "S", "price": "1.00"}', headers=HEADERS
        )
        first = seed.json()["id"]
        # Warm up every worker (connections, caches, tool schemas).
        warm = [("/mcp/", mcp_call("items_retrieve", {"pk": first}))] * 400
        await run(client, warm, options.concurrency, mcp_ok)
        n = options.creates
        mcp_requests = [
            (
                "/mcp/",
                mcp_call(
                    "items_create", {"name": f"{prefix}mcp {i}", "sku": f"M{i}", "price": "9.99"}
                ),
            )
            for i in range(n)
        ]
        rest_requests = [
            (
                "/api/items/",
                json.dumps({"name": f"{prefix}rest {i}", "sku": f"R{i}", "price": "9.99"}).encode(),
            )
            for i in range(n)
        ]
        print(f"creates: {n} over MCP and {n} over REST, concurrency {options.concurrency}")
        print("  (in four alternating rounds, REST-MCP-MCP-REST, so drift hits both alike)")
        results: dict[str, tuple[float, list[float], int]] = {
            "REST": (0.0, [], 0),
            "MCP": (0.0, [], 0),
        }
        quarter = n // 4
        plan = [
            ("REST", 0),
            ("MCP", 0),
            ("MCP", 1),
            ("REST", 1),
            ("REST", 2),
            ("MCP", 2),
            ("MCP", 3),
            ("REST", 3),
        ]
        for label, part in plan:
            requests = rest_requests if label == "REST" else mcp_requests
            check = rest_created if label == "REST" else mcp_ok
            chunk = requests[part * quarter : (part + 1) * quarter if part < 3 else n]
            wall, latencies, errors = await run(client, chunk, options.concurrency, check)
            total_wall, all_latencies, all_errors = results[label]
            results[label] = (total_wall + wall, all_latencies + latencies, all_errors + errors)
        for label in ("REST", "MCP"):
            wall, latencies, errors = results[label]
            print(
                f"  {label:<5} {n / wall:8.1f} calls/s   p50 {percentile(latencies, 0.5):6.1f} ms"
                f"   p99 {percentile(latencies, 0.99):6.1f} ms   errors {errors}"
            )
        ratio = (n / results["MCP"][0]) / (n / results["REST"][0])
        verdict = "PASS" if ratio >= 0.95 else "MISS"
        print(f"  MCP/REST throughput {ratio:.3f}x (target >= 0.95x) {verdict}")
        p99 = percentile(results["MCP"][1], 0.99) / percentile(results["REST"][1], 0.99)
        print(f"  MCP/REST p99 {p99:.3f}x (target <= 1.10x) {'PASS' if p99 <= 1.10 else 'MISS'}")
        # bench/load.sh counts the created rows in PostgreSQL afterwards.

        # Memory over many calls (retrieves of one item, the cheapest real call): MCP, then
        # (--memory-rest) as many REST calls, to tell the server's own growth from ours.
        mcp_batch = ("/mcp/", mcp_call("items_retrieve", {"pk": first}))
        rest_batch = (f"/api/items/{first}/", b"")
        sides = [("MCP", mcp_batch, mcp_ok)]
        if options.memory_rest:
            sides.append(("REST", rest_batch, rest_ok))
        for label, (path, body), check in sides:
            total = options.memory_calls
            samples = [rss_kib(pids)]
            step = max(total // 10, 1)
            done = 0
            while done < total:
                batch = [(path, body)] * step
                _, _, errors = await run(client, batch, options.concurrency, check)
                if errors:
                    print(f"  memory phase: {errors} errors")
                done += step
                samples.append(rss_kib(pids))
            print(
                f"memory, {label} retrieves: RSS of {len(pids)} processes, every {step} calls, KiB:"
            )
            print("  " + " ".join(str(s) for s in samples))
            growth = samples[-1] - samples[1]
            print(f"  growth after warm-up: {growth} KiB over {total - step} calls")

    # Two independent servers, one client: every request may go to either.
    async with httpx.AsyncClient(timeout=30) as client:
        urls = itertools.cycle([options.url, options.other])
        steps = [
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-11-25",
                    "capabilities": {},
                    "clientInfo": {"name": "load", "version": "1"},
                },
            },
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
            {
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {
                    "name": "items_create",
                    "arguments": {"name": "alternating", "sku": "ALT", "price": "1.00"},
                },
            },
            {
                "jsonrpc": "2.0",
                "id": 4,
                "method": "tools/call",
                "params": {"name": "items_list", "arguments": {}},
            },
        ]
        answered = []
        for step in steps * 10:
            url = next(urls)
            response = await client.post(f"{url}/mcp/", json=step, headers=HEADERS)
            ok = response.status_code in (200, 202) and "error" not in (
                response.json() if response.content else {}
            )
            answered.append((url, ok))
        servers = {u for u, _ in answered}
        print(
            f"stateless: {len(answered)} requests alternating over {len(servers)} servers, "
            f"{sum(ok for _, ok in answered)} answered without error"
        )


if __name__ == "__main__":
    asyncio.run(main())
