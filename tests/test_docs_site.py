"""The documentation site as built (mkdocs-material, ``--strict``): grouped navigation,
code highlighted when the site is built (no script, style sheet or font from another
host, so it reads the same offline), and an API reference that documents every name the
package exports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import drf_mcp_bridge

# The docs toolchain is in the dev extra (the main run), not in the nox matrix's envs.
pytest.importorskip("mkdocs")
pytest.importorskip("material")
pytest.importorskip("mkdocstrings")

ROOT = Path(__file__).resolve().parent.parent


def build_site(out: Path) -> Path:
    """The site as ``mkdocs build --strict`` writes it into ``out``."""
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert built.returncode == 0, built.stderr
    return out


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory.mktemp("site"))


def test_navigation_is_grouped(site: Path) -> None:
    home = (site / "index.html").read_text()
    for group in ("Tutorial", "API guide", "Topics", "Clients", "Reference"):
        assert re.search(rf">\s*{re.escape(group)}\s*<", home), group


def test_nothing_is_loaded_from_another_host(site: Path) -> None:
    for page in site.rglob("*.html"):
        text = page.read_text()
        external = re.findall(r'<(?:script|link)[^>]+(?:src|href)="(https?://[^"]+)"', text)
        assert external == [], (page, external)


def test_code_is_highlighted_when_the_site_is_built(site: Path) -> None:
    quickstart = (site / "quickstart" / "index.html").read_text()
    # Pygments' token spans in the static page: a comment, a keyword and a string of the
    # quick start's settings.py and urls.py.
    assert '<div class="highlight"><pre><span></span><code>' in quickstart
    assert '<span class="c1"># settings.py</span>' in quickstart
    assert '<span class="kn">from</span>' in quickstart
    assert '<span class="s2">"mcp/"</span>' in quickstart


def test_the_api_reference_documents_every_exported_name(site: Path) -> None:
    reference = (site / "api" / "index.html").read_text()
    for name in [*drf_mcp_bridge.__all__, "MCPClient", "ResultRenderer"]:
        assert re.search(rf'id="drf_mcp_bridge\.[\w.]+\.{name}"', reference), name
