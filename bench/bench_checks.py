"""What drf_mcp_bridge's system checks add to ``manage.py check`` on a large API.

    python bench/bench_checks.py [--tools 800] [--plain] [--repeat 3] [--profile]

Every management command (``migrate``, ``runserver``...) runs the system checks, and the
MCP ones build every tool's definition (schemas, JSON encoding, output check) to report
the tools that would be left out of tools/list. This measures, on the catalogue API of
bench/catalogue_urls.py with about ``--tools`` tools and serializers like a real
application's (lazy translations, Decimal and date defaults, a nested serializer,
pagination, search and ordering; ``--plain`` for the catalogue benchmark's small ones):

* ``call_command("check")`` without the MCP checks (Django's own, URLconf import included);
* the same with them;
* the MCP check functions alone, run directly after Django's;
* the first tools/list without the MCP checks, and after them (it reuses what they built).

Each is measured in a fresh process (cold, as a management command starts), ``--repeat``
times; the medians are printed. Target: the MCP checks add at most 2 s on 800 tools.
``--profile`` prints where the MCP checks spend their time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 2.0


def _mcp_checks() -> list[Any]:
    from django.core.checks.registry import registry as check_registry

    import drf_mcp_bridge.catalogue.checks  # noqa: F401  (registers them)

    return [
        check
        for check in check_registry.registered_checks
        if getattr(check, "__module__", None) == "drf_mcp_bridge.catalogue.checks"
    ]


def child(mode: str, profile: bool) -> dict[str, Any]:
    """One measurement in this (fresh) process: "with" or "without" the MCP checks, or
    "direct": Django's checks, then the MCP check functions called directly."""
    import io

    import django

    django.setup()
    from django.core.checks.registry import registry as check_registry
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    ours = _mcp_checks()
    if mode != "with":
        check_registry.registered_checks.difference_update(ours)
    out = io.StringIO()
    started = time.perf_counter()
    try:
        call_command("check", stdout=out, stderr=out)
    except SystemCheckError as refused:  # errors: the command would stop here
        out.write(str(refused))
    result: dict[str, Any] = {"check": time.perf_counter() - started}
    result["errors"] = out.getvalue().count("drf_mcp_bridge.E")
    if mode == "direct":
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        messages = [message for check in ours for message in check(None)]
        result["direct"] = time.perf_counter() - started
        if profiler is not None:
            import pstats

            profiler.disable()
            stream = io.StringIO()
            pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
            result["profile"] = stream.getvalue()
        result["messages"] = sorted({m.id for m in messages if m.id})
    from django.test import Client
    from django.test.utils import setup_test_environment

    from drf_mcp_bridge.catalogue.registry import registry

    setup_test_environment()
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}})
    started = time.perf_counter()
    response = Client().post("/mcp/", body, content_type="application/json")
    result["tools_list"] = time.perf_counter() - started
    answer = response.json()
    result["listed"] = (
        len(answer["result"]["tools"]) if "result" in answer else f"none ({answer['error']})"
    )
    result["tools"] = len(registry.tools())
    return result


def measure(mode: str, tools: int, rich: bool, profile: bool = False) -> dict[str, Any]:
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="bench.catalogue_settings",
        BENCH_CATALOGUE_TOOLS=str(tools),
        BENCH_CATALOGUE_RICH="1" if rich else "0",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    )
    command = [sys.executable, __file__, "--child", mode] + (["--profile"] if profile else [])
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tools", type=int, default=800)
    parser.add_argument("--plain", action="store_true", help="the catalogue's small serializers")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--child", choices=["with", "without", "direct"], help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        sys.path[:0] = [str(ROOT), str(ROOT / "src")]
        print(json.dumps(child(options.child, options.profile)))
        return
    rich = not options.plain
    runs: dict[str, list[dict[str, Any]]] = {"without": [], "with": [], "direct": []}
    for _ in range(options.repeat):
        for mode in runs:  # interleaved, so that all see the same machine load
            runs[mode].append(measure(mode, options.tools, rich))

    def median(mode: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[mode])

    without, with_ = median("without", "check"), median("with", "check")
    first = runs["with"][0]
    kind = "rich" if rich else "plain"
    print(
        f"manage.py check on a {first['tools']}-tool API ({kind} serializers), "
        f"median of {options.repeat} fresh processes each"
    )
    print(f"  without drf_mcp_bridge's checks: {without:6.2f} s")
    print(f"  with them:                           {with_:6.2f} s")
    print(f"  ratio with/without:                  {with_ / without:6.2f}x")
    print(f"  added by the MCP checks:             {with_ - without:6.2f} s")
    print(f"  MCP check functions run directly:    {median('direct', 'direct'):6.2f} s")
    print(
        f"  first tools/list, no MCP checks run: {median('without', 'tools_list'):6.2f} s; "
        f"after them: {median('with', 'tools_list'):.2f} s (reuses their work; "
        f"{first['listed']} tools listed)"
    )
    ids = runs["direct"][0]["messages"]
    print(f"  MCP check messages: {', '.join(ids) if ids else 'none'}")
    if first["errors"]:
        print(f"  {first['errors']} MCP check errors: the command stops")
    verdict = "met" if with_ - without <= TARGET_SECONDS else "MISSED"
    print(f"  target: the MCP checks add <= {TARGET_SECONDS:.0f} s: {verdict}")
    if options.profile:
        print(measure("direct", options.tools, rich, profile=True)["profile"])


if __name__ == "__main__":
    main()
