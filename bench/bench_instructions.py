"""MCP vs REST on the realistic app (bench/bench_realistic.py) in machine instructions,
counted by valgrind: a figure a shared machine's noise does not move. Not a timed test.

    python bench/bench_instructions.py [--ops retrieve create "list (20)"] [--calls 100]
    python bench/bench_instructions.py --app bare   # bench/bench_calls.py's app

For each side and operation the app runs twice under ``valgrind --tool=callgrind`` (the
set-up, the warm-up and then ``--calls`` or 20 calls); the difference of the two counts
divided by the difference of the calls is the instructions of one call, without the
set-up. ``--app bare`` counts the bare benchmark app (no middleware, no authentication):
REST, a raw JSON-RPC POST to this package's endpoint, and the floor (bench/floor.py), and
the reference implementation's endpoint when the interpreter has it (bench/run.sh's
venv). Needs valgrind (Debian package ``valgrind``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"retrieve": 1.05, "create": 1.05, "list (20)": 1.10}
BARE_OPS = ["retrieve", "create", "list (20 objects)"]


def instructions(side: str, op: str, calls: int, app: str = "realistic") -> int:
    """Instructions of one whole run (set-up, warm-up, ``calls`` calls)."""
    script = "bench_realistic.py" if app == "realistic" else "bench_calls.py"
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(ROOT / "bench" / script),
        "--only",
        side,
        op,
        str(calls),
    ]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind printed no count:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_call(side: str, op: str, calls: int, app: str = "realistic") -> float:
    with ThreadPoolExecutor(2) as pool:
        few, many = pool.map(lambda n: instructions(side, op, n, app), (20, 20 + calls))
    return (many - few) / calls


def bare(calls: int) -> None:
    """The bare app: REST, this package (raw POST), the floor, the reference."""
    impls = ["REST", "MCP raw", "floor"]
    if importlib.util.find_spec("djangorestframework_mcp") is not None:
        impls.append("REF raw")
    print(f"Bare app, instructions per call (valgrind, {calls} calls per count)")
    print("| operation | " + " | ".join(impls) + " | MCP raw/REST | floor/REST | MCP raw - floor |")
    print("|---|" + "---|" * (len(impls) + 3))
    for op in BARE_OPS:
        found = {impl: per_call(impl, op, calls, "bare") for impl in impls}
        rest, mcp, floor = found["REST"], found["MCP raw"], found["floor"]
        cells = " | ".join(f"{found[i] / 1e6:.2f} M" for i in impls)
        print(
            f"| {op} | {cells} | {mcp / rest:.3f}x | {floor / rest:.3f}x "
            f"| {(mcp - floor) / 1e3:+,.0f} k |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", nargs="+", default=list(TARGETS))
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--app", choices=["realistic", "bare"], default="realistic")
    options = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing measured")
        return 1
    if options.app == "bare":
        bare(options.calls)
        return 0
    print(f"Realistic app, instructions per call (valgrind, {options.calls} calls per count)")
    print("| operation | REST | MCP | floor | MCP/REST | floor/REST | MCP - floor | target |")
    print("|---|---|---|---|---|---|---|---|")
    for op in options.ops:
        rest, mcp = per_call("rest", op, options.calls), per_call("mcp", op, options.calls)
        floor = per_call("floor", op, options.calls) if op in TARGETS else None
        ratio = mcp / rest
        target = TARGETS.get(op)
        verdict = f"<= {target:.2f}: {'met' if ratio <= target else 'missed'}" if target else "-"
        floor_cells = (
            f"{floor / 1e6:.2f} M | {mcp / rest:.3f}x | {floor / rest:.3f}x "
            f"| {(mcp - floor) / 1e3:+,.0f} k"
            if floor is not None
            else f"- | {ratio:.3f}x | - | -"
        )
        print(f"| {op} | {rest / 1e6:.2f} M | {mcp / 1e6:.2f} M | {floor_cells} | {verdict} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
