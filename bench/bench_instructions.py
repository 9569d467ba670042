"""MCP vs REST on the realistic app (bench/bench_realistic.py) in machine instructions,
counted by valgrind: a figure a shared machine's noise does not move. Not a timed test.

    python bench/bench_instructions.py [--ops retrieve create "list (20)"] [--calls 100]

For each side and operation the app runs twice under ``valgrind --tool=callgrind`` (the
set-up, the warm-up and then ``--calls`` or 20 calls); the difference of the two counts
divided by the difference of the calls is the instructions of one call, without the
set-up. Needs valgrind (Debian package ``valgrind``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"retrieve": 1.05, "create": 1.05, "list (20)": 1.10}


def instructions(side: str, op: str, calls: int) -> int:
    """Instructions of one whole run (set-up, warm-up, ``calls`` calls)."""
    command = [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
        sys.executable,
        str(ROOT / "bench" / "bench_realistic.py"),
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


def per_call(side: str, op: str, calls: int) -> float:
    with ThreadPoolExecutor(2) as pool:
        few, many = pool.map(lambda n: instructions(side, op, n), (20, 20 + calls))
    return (many - few) / calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ops", nargs="+", default=list(TARGETS))
    parser.add_argument("--calls", type=int, default=100)
    options = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind): nothing measured")
        return 1
    print(f"Realistic app, instructions per call (valgrind, {options.calls} calls per count)")
    print("| operation | REST instructions | MCP instructions | MCP/REST | MCP - REST | target |")
    print("|---|---|---|---|---|---|")
    for op in options.ops:
        rest, mcp = per_call("rest", op, options.calls), per_call("mcp", op, options.calls)
        ratio = mcp / rest
        target = TARGETS.get(op)
        verdict = f"<= {target:.2f}: {'met' if ratio <= target else 'missed'}" if target else "-"
        print(
            f"| {op} | {rest / 1e6:.2f} M | {mcp / 1e6:.2f} M | {ratio:.3f}x "
            f"| {(mcp - rest) / 1e3:+,.0f} k | {verdict} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
