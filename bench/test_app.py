"""What the bench scripts that run against the test app share: Django set up with the test
suite's settings (``tests.settings``) and its test databases, and optionally a real shared
cache (memcached or redis-server started on loopback, or LocMem) as the default cache."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def test_app(cache: str | None = None, locmem_max_entries: int = 100_000) -> Iterator[None]:
    """The test app's settings and a fresh test database while the block runs; with
    ``cache`` ("locmem", "memcached", "redis") that backend as the default cache (servers
    started by bench/fuzz_state.py's ``cache_server`` and stopped after)."""
    sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(ROOT / "bench")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.test.utils import (
        override_settings,
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        if cache is None:
            yield
            return
        from fuzz_state import cache_server

        from tests.cache_servers import cache_config

        with cache_server(cache) as server:
            config: dict[str, Any] = cache_config(cache, server)
            if cache == "locmem":
                config["OPTIONS"] = {"MAX_ENTRIES": locmem_max_entries}
            with override_settings(CACHES={"default": config}):
                yield
    finally:
        teardown_databases(old, verbosity=0)
        teardown_test_environment()
