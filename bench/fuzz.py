"""The full fuzz run: 10,000 (or --examples N) generated JSON-RPC bodies against the test
app, asserting what tests/test_fuzz.py asserts for every one, and printing what came back.

    python bench/fuzz.py [--examples 10000] [--seed 0]
"""

from __future__ import annotations

import argparse
import collections
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.fuzz_settings")

import django  # noqa: E402

django.setup()

from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    options = parser.parse_args()

    from django.contrib.auth.models import User
    from django.test import Client
    from hypothesis import HealthCheck, given, seed, settings

    from tests.fuzzing import bodies, check_response, headers
    from tests.parity import database_state
    from tests.testapp.models import Category, Customer, Note

    # ExplodingViewSet's traceback is logged on purpose (the server log); keep it quiet.
    logging.getLogger("drf_mcp_bridge").setLevel(logging.CRITICAL)
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        alice = User.objects.create_user("alice")
        Category.objects.create(name="books")
        Customer.objects.create(owner=alice, name="Ann")
        Note.objects.create(text="Hello", slug="hello")
        client = Client()
        outcomes: collections.Counter[str] = collections.Counter()
        before = database_state()

        @seed(options.seed)
        @settings(
            max_examples=options.examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(body=bodies, extra=headers)
        def run(body: bytes, extra: dict[str, Any]) -> None:
            content_type = extra.pop("CONTENT_TYPE", "application/json")
            extra.setdefault("HTTP_ACCEPT", "application/json, text/event-stream")
            response = client.post("/mcp/", data=body, content_type=content_type, **extra)
            outcomes[check_response(response)] += 1
            assert database_state() == before, "a rejected call changed the database"

        started = time.perf_counter()
        run()
        elapsed = time.perf_counter() - started
    finally:
        teardown_databases(old, verbosity=0)
    total = sum(outcomes.values())
    print(f"fuzz: {total} generated bodies in {elapsed:.1f} s, seed {options.seed}")
    print("HTTP 500: 0, tracebacks: 0, database changes: 0 (each checked per body)")
    for label, count in sorted(outcomes.items()):
        print(f"  {label:<16}{count:>7}")


if __name__ == "__main__":
    main()
