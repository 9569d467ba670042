"""The explorer in a real browser (Debian's Chromium, driven by playwright-core) against the
example project on a seeded SQLite database: explorer/e2e/explorer.e2e.ts does the clicking
and typing, this test starts the server and checks the report. The screenshot it takes is
docs/explorer.png."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop.conftest import ROOT, free_port, node_tool

pytestmark = pytest.mark.interop
EXPLORER = ROOT / "explorer"
SCREENSHOT = ROOT / "docs" / "explorer.png"


@pytest.fixture(scope="module")
def example_url() -> Iterator[str]:
    workdir = tempfile.mkdtemp(prefix="drf-mcp-e2e-")
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        EXAMPLE_DB_PATH=os.path.join(workdir, "db.sqlite3"),
    )
    manage = [sys.executable, str(ROOT / "example" / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, capture_output=True)
    subprocess.run([*manage, "seed_demo"], env=env, check=True, capture_output=True)
    port = free_port()
    log = open(os.path.join(workdir, "server.log"), "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                request = urllib.request.Request(f"{url}/mcp/", headers={"Accept": "text/html"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            subprocess.run(["sleep", "0.2"], check=True)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


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
