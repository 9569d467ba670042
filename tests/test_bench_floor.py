"""The floor of the realistic benchmark (bench/floor.py ``realistic_floor``, which
docs/performance.md compares this package with) answers the same structured content as
the package's own tool calls: it measures the same calls, not cheaper ones."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_realistic_floor_answers_what_the_package_answers() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_realistic.py"), "--check-floor"],
        capture_output=True,
        text=True,
        timeout=120,
        # The benchmark's own settings (bench/realistic_settings.py), not the suite's.
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    for op in ("retrieve", "create", "list (20)"):
        assert f"{op}: the same structured content" in done.stdout
