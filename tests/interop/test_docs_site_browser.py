"""The documentation site as built, read in a real browser (Debian's Chromium through
playwright-core: explorer/e2e/docs-site.e2e.ts): the grouped navigation on screen, code
coloured offline, the call-path diagram loaded, the API reference and search working, and
nothing fetched from another host. The screenshots it takes are docs/site-*.png."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interop.conftest import ROOT, node_tool
from tests.test_docs_site import build_site

pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings")
pytestmark = pytest.mark.interop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_the_built_site_in_chromium(tmp_path: Path) -> None:
    site = build_site(tmp_path / "site")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        completed = subprocess.run(
            [
                node_tool("node"),
                "--experimental-strip-types",
                "--no-warnings",
                "e2e/docs-site.e2e.ts",
                f"http://127.0.0.1:{port}",
                str(ROOT / "docs"),
            ],
            cwd=ROOT / "explorer",
            env=dict(os.environ, CHROMIUM=chromium),
            capture_output=True,
            text=True,
            timeout=180,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert completed.returncode == 0, completed.stderr + completed.stdout
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["title"].startswith("Quick start")
    assert report["groups"] == ["Tutorial", "API guide", "Topics", "Clients", "Reference"]
    colours = report["colours"]
    assert None not in colours.values(), colours
    assert colours["string"] != colours["plain"] and colours["keyword"] != colours["plain"]
    assert colours["string"] != colours["keyword"]
    # The diagram is an SVG of its own, drawn at its size, with a text alternative.
    assert report["diagram"]["width"] >= 800 and report["diagram"]["shown"] > 600
    assert report["diagram"]["alt"].startswith("The path of a tool call")
    assert report["apiHeadings"] > 20
    assert report["searchResults"] >= 1
    assert report["foreign"] == [] and report["failed"] == [] and report["problems"] == []
    for name in ("site-quickstart.png", "site-calls.png"):
        assert (ROOT / "docs" / name).stat().st_size > 20_000
