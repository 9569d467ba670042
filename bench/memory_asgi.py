"""Where an ASGI server's memory goes over many calls (bench/memory_asgi.sh starts one
uvicorn process per side, fresh, tracing its allocations): the same retrieve over MCP or
REST, a snapshot of what the process holds after the warm-up and at each checkpoint, and
the lines whose held memory grew most between the first and the last.

    python bench/memory_asgi.py --url http://127.0.0.1:PORT --pid PID --side MCP \\
        --snapshots DIR [--calls 40000] [--checkpoints 4] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import glob
import os
import signal
import time
import tracemalloc

import httpx

from bench.load import HEADERS, mcp_call, mcp_ok, rest_ok, rss_kib, run


def snapshot(pid: int, folder: str) -> tracemalloc.Snapshot:
    before = set(glob.glob(os.path.join(folder, f"{pid}-*.snap")))
    os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        new = set(glob.glob(os.path.join(folder, f"{pid}-*.snap"))) - before
        if new:
            return tracemalloc.Snapshot.load(new.pop())
        time.sleep(0.2)
    raise SystemExit(f"process {pid} wrote no snapshot in 300 s")


def held(snap: tracemalloc.Snapshot) -> int:
    return sum(stat.size for stat in snap.statistics("filename"))


def ours(frame: tracemalloc.Frame) -> str:
    """A frame's file, shortened to the package it belongs to."""
    name = frame.filename
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in name:
            name = name.split(marker, 1)[1]
            break
    return f"{name}:{frame.lineno}"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--side", choices=["MCP", "REST"], required=True)
    parser.add_argument("--snapshots", help="the server's BENCH_TRACEMALLOC folder (else RSS only)")
    parser.add_argument("--calls", type=int, default=40_000)
    parser.add_argument("--checkpoints", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--top", type=int, default=12)
    options = parser.parse_args()
    limits = httpx.Limits(max_connections=options.concurrency)
    async with httpx.AsyncClient(base_url=options.url, limits=limits, timeout=120) as client:
        seed = await client.post(
            "/api/items/", content=b'{"name": "seed", "sku": "S", "price": "1.00"}', headers=HEADERS
        )
        pk = seed.json()["id"]
        if options.side == "MCP":
            call, check = ("/mcp/", mcp_call("items_retrieve", {"pk": pk})), mcp_ok
        else:
            call, check = (f"/api/items/{pk}/", b""), rest_ok
        step = max(options.calls // (options.checkpoints + 1), 1)
        # Warm-up: a fifth of the calls, then the first snapshot.
        await run(client, [call] * step, options.concurrency, check)
        trace = options.snapshots is not None
        snaps = [snapshot(options.pid, options.snapshots)] if trace else []
        rss = [rss_kib([options.pid])]
        wall = 0.0
        for _ in range(options.checkpoints):
            took, _, errors = await run(client, [call] * step, options.concurrency, check)
            wall += took
            if errors:
                print(f"  {errors} refused answers")
            if trace:
                snaps.append(snapshot(options.pid, options.snapshots))
            rss.append(rss_kib([options.pid]))
    calls = step * options.checkpoints
    print(
        f"{options.side}: {calls} retrieves after a warm-up of {step}, one uvicorn process,"
        f" {calls / wall:.1f} calls/s"
    )
    print(f"  RSS KiB at each checkpoint:    {' '.join(map(str, rss))}")
    if not trace:
        print(
            f"  growth: RSS {rss[-1] - rss[0]:+} KiB"
            f" ({(rss[-1] - rss[0]) * 1024 / calls:+.1f} bytes per call)"
        )
        return
    traced = [held(s) // 1024 for s in snaps]
    print(f"  traced (held) KiB:             {' '.join(map(str, traced))}")
    print(
        f"  growth: RSS {rss[-1] - rss[0]:+} KiB, traced {traced[-1] - traced[0]:+} KiB"
        f" ({(traced[-1] - traced[0]) * 1024 / calls:+.1f} bytes per call)"
    )
    print(f"  the {options.top} allocation sites (whole traceback) that grew most:")
    diff = snaps[-1].compare_to(snaps[0], "traceback")
    for stat in diff[: options.top]:
        if stat.size_diff <= 0:
            break
        print(f"    {stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7} blocks")
        frames = [ours(f) for f in stat.traceback]
        for frame in frames[-6:]:
            print(f"        {frame}")


if __name__ == "__main__":
    asyncio.run(main())
