"""The explorer in a real browser (Debian's Chromium, driven by playwright-core) against the
example project on a seeded SQLite database: explorer/e2e/explorer.e2e.ts does the clicking
and typing, this test starts the server and checks the report. The screenshot it takes is
docs/explorer.png."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop.conftest import ROOT, example_project, node_tool

pytestmark = pytest.mark.interop
EXPLORER = ROOT / "explorer"
SCREENSHOT = ROOT / "docs" / "explorer.png"


@pytest.fixture(scope="module")
def example_url() -> Iterator[str]:
    with example_project(["seed_demo"]) as (url, _env):
        yield url


def test_explorer_in_chromium(example_url: str) -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    assert Path(chromium).exists(), "Chromium is missing: run scripts/bootstrap.sh"
    completed = subprocess.run(
        [
            node_tool("node"),
            "--experimental-strip-types",
            "--no-warnings",
            "e2e/explorer.e2e.ts",
            example_url,
            str(SCREENSHOT),
        ],
        cwd=EXPLORER,
        env=dict(os.environ, CHROMIUM=chromium),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["user"] == "alice"
    assert report["version"] == "2025-11-25"
    assert {"books", "authors", "loans"} <= set(report["groups"])
    assert report["readOnlyBadge"] == "read-only"
    assert report["destructiveBadge"] == "destructive"
    # Keyboard: Enter opened the tool and the first field has the focus; every input has a label.
    assert report["focusedLabel"].startswith("Title")
    assert report["unlabelled"] == []
    assert "The Dispossessed" in report["created"]
    assert "The Dispossessed" in report["listed"]
    assert {"title", "isbn", "published"} <= set(report["headers"])
    # The server's validation messages, next to their fields.
    assert report["isbnInvalid"] == "true"
    assert report["isbnError"] == "book with this isbn already exists."
    assert report["titleError"] == "This field may not be blank."
    assert report["focusAfterError"] in {"title", "isbn"}
    assert report["selectedTab"] == "History"
    assert report["history"][:3] == ["books_create", "books_list", "books_create"]
    assert "curl -X POST" in report["curl"] and '"name":"books_create"' in report["curl"]
    assert '"url": "' + example_url + '/mcp/"' in report["config"]
    assert report["resource"].startswith("{")
    assert "books_guide" in report["prompts"]
    assert report["pageErrors"] == []
    assert SCREENSHOT.stat().st_size > 10_000
