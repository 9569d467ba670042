"""What running the project's middleware around each tool call's inner request costs:
MCP and REST list calls of the test app (whose MIDDLEWARE has django-simple-history's,
django-crum's and a change-log middleware after Django's own) with the chain and with
``INNER_MIDDLEWARE = []``, in one run.

    python bench/bench_middleware.py [--rounds 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    options = parser.parse_args(argv)
    sys.path[:0] = [str(ROOT / "bench")]
    from test_app import test_app

    with test_app():
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.test.utils import override_settings
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from drf_mcp_bridge import mcp_viewset
        from drf_mcp_bridge.invocation.middleware import inner_middleware
        from drf_mcp_bridge.test import MCPClient

        if not getattr(settings, "HISTORY", False):
            raise SystemExit("needs django-simple-history and django-crum (the dev extra)")
        from tests.historyapp.models import Ledger
        from tests.historyapp.views import LedgerViewSet

        mcp_viewset(name="ledgers")(LedgerViewSet)
        user = User.objects.create_user("bench")
        token = Token.objects.create(user=user).key
        Ledger.objects.bulk_create(Ledger(name=f"l{i}", amount=i) for i in range(20))
        mcp, rest = MCPClient(), APIClient()
        mcp.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        rest.credentials(HTTP_AUTHORIZATION=f"Token {token}")

        def median_ms(call: object) -> float:
            samples = []
            for _ in range(options.rounds):
                started = time.perf_counter()
                call()  # type: ignore[operator]
                samples.append(time.perf_counter() - started)
            return statistics.median(samples) * 1000

        def mcp_call() -> None:
            assert not mcp.call_tool("ledgers_list").is_error

        def rest_call() -> None:
            assert rest.get("/api/ledgers/").status_code == 200

        chain = inner_middleware()
        for warm in (mcp_call, rest_call):
            median_ms(warm)
        results = {}
        for label, inner in (("chain", None), ("none", [])):
            mcp_settings = {**settings.REST_FRAMEWORK_MCP, "INNER_MIDDLEWARE": inner}
            with override_settings(REST_FRAMEWORK_MCP=mcp_settings):
                results[label] = median_ms(mcp_call)
        results["rest"] = median_ms(rest_call)
    print(f"ledgers_list, median of {options.rounds} calls (chain: {', '.join(chain)})")
    print(f"  REST GET /api/ledgers/:          {results['rest']:7.3f} ms")
    print(f"  MCP, inner middleware chain:     {results['chain']:7.3f} ms")
    print(f"  MCP, INNER_MIDDLEWARE = []:      {results['none']:7.3f} ms")
    print(
        f"  chain / none: {results['chain'] / results['none']:.3f}x;"
        f" MCP with chain / REST: {results['chain'] / results['rest']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
