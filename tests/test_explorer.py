"""The browsable explorer page at the endpoint (the UI itself is tested in a real browser
by tests/interop/test_explorer_e2e.py and with vitest)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db
STATIC = Path(__file__).resolve().parents[1] / "src" / "drf_mcp_bridge" / "static"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def config_of(html: str) -> dict[str, Any]:
    found = re.search(
        r'<script id="mcp-explorer-config" type="application/json">(.*?)</script>', html
    )
    assert found, html
    return dict(json.loads(found.group(1)))


def test_a_browser_gets_the_explorer(client: Client) -> None:
    response = client.get("/mcp/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in response["Vary"]
    html = response.content.decode()
    assert '<script type="module" src="/static/drf_mcp_bridge/explorer/explorer.js">' in html
    assert 'href="/static/drf_mcp_bridge/explorer/explorer.css"' in html
    config = config_of(html)
    assert config["endpoint"] == "/mcp/"
    assert config["user"] is None
    assert len(config["csrfToken"]) >= 32
    assert "csrftoken" in response.cookies


def test_the_page_knows_the_logged_in_user(client: Client, alice: User) -> None:
    client.force_login(alice)
    config = config_of(client.get("/mcp/", HTTP_ACCEPT=BROWSER).content.decode())
    assert config["user"] == "alice"
    assert config["loginUrl"] is None


@pytest.mark.parametrize(
    "accept", ["application/json", "text/event-stream", "text/html, text/event-stream", ""]
)
def test_other_gets_keep_the_transport_behaviour(client: Client, accept: str) -> None:
    assert client.get("/mcp/", HTTP_ACCEPT=accept).status_code == 405


@override_settings(REST_FRAMEWORK_MCP={"BROWSABLE_EXPLORER": False})
def test_the_explorer_can_be_turned_off(client: Client) -> None:
    response = client.get("/mcp/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_posts_are_unchanged(client: Client) -> None:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"})
    response = client.post("/mcp/", body, content_type="application/json", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200  # */* accepts JSON: the transport answers as always
    assert response.json() == {"jsonrpc": "2.0", "id": 1, "result": {}}


def test_branding_through_the_template(client: Client, tmp_path: Path, settings: Any) -> None:
    folder = tmp_path / "drf_mcp_bridge"
    folder.mkdir()
    # The example of docs/explorer.md, as written.
    docs = (Path(__file__).resolve().parents[1] / "docs" / "explorer.md").read_text()
    (example,) = re.findall(r"```django\n(.*?)```", docs, flags=re.DOTALL)
    (folder / "explorer.html").write_text(example)
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [str(tmp_path)],
            "APP_DIRS": True,
        }
    ]
    html = client.get("/mcp/", HTTP_ACCEPT=BROWSER).content.decode()
    assert "<title>Acme MCP</title>" in html
    assert "Acme API — assistant tools" in html
    assert ".brand { background: #7a1f5c; }" in html
    assert config_of(html)["endpoint"] == "/mcp/"


def test_works_without_a_template_engine(client: Client, settings: Any) -> None:
    settings.TEMPLATES = []
    response = client.get("/mcp/", HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert config_of(response.content.decode())["endpoint"] == "/mcp/"


def test_the_built_script_ships_in_the_package_and_is_small() -> None:
    script = STATIC / "drf_mcp_bridge" / "explorer" / "explorer.js"
    style = STATIC / "drf_mcp_bridge" / "explorer" / "explorer.css"
    assert script.is_file() and style.is_file()
    gzipped = len(gzip.compress(script.read_bytes(), compresslevel=9))
    assert gzipped <= 60 * 1024, gzipped
    assert "mcp-explorer-config" in script.read_text()


def test_the_wheel_carries_the_explorer(tmp_path: Path) -> None:
    """`pip install` users get the built page: the wheel holds the script, the stylesheet
    and the templates."""
    import subprocess
    import sys
    import zipfile

    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            str(root),
            "--no-deps",
            "-q",
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "drf_mcp_bridge/static/drf_mcp_bridge/explorer/explorer.js",
        "drf_mcp_bridge/static/drf_mcp_bridge/explorer/explorer.css",
        "drf_mcp_bridge/templates/drf_mcp_bridge/explorer.html",
        "drf_mcp_bridge/templates/drf_mcp_bridge/explorer_base.html",
    } <= names


def test_the_page_groups_tools_by_the_resource_the_server_knows(
    client: Client, alice: User
) -> None:
    config = config_of(client.get("/mcp/", HTTP_ACCEPT=BROWSER).content.decode())
    groups = config["toolGroups"]
    # Router prefixes, not names guessed from tool names: "kb_notes_list" is "notes".
    assert groups["customers_list"] == "customers"
    assert groups["customers_partial_update"] == "customers"
    assert groups["kb_notes_list"] == "notes"
    assert all(isinstance(v, str) and v for v in groups.values())
    assert "explorer_echo" not in groups


def test_function_tools_belong_to_no_resource(client: Client) -> None:
    from drf_mcp_bridge.catalogue.registry import registry
    from drf_mcp_bridge.catalogue.tools import FunctionTool

    def explorer_echo(text: str) -> str:
        return text

    registry.register_tool(FunctionTool(explorer_echo))
    try:
        config = config_of(client.get("/mcp/", HTTP_ACCEPT=BROWSER).content.decode())
        assert "explorer_echo" in registry.tools()
        assert "explorer_echo" not in config["toolGroups"]  # listed apart, under "other tools"
        assert config["toolGroups"]["customers_list"] == "customers"
    finally:
        registry.unregister("explorer_echo")


@override_settings(REST_FRAMEWORK_MCP={"PER_USER_TOOLS": True})
def test_the_groups_name_only_tools_the_page_user_may_see(client: Client, alice: User) -> None:
    anonymous = config_of(client.get("/mcp/", HTTP_ACCEPT=BROWSER).content.decode())
    client.force_login(alice)
    signed_in = config_of(client.get("/mcp/", HTTP_ACCEPT=BROWSER).content.decode())
    # InvoiceViewSet is IsAuthenticated (token only), as tools/list shows per user.
    assert "invoices_list" not in anonymous["toolGroups"]
    assert set(anonymous["toolGroups"]) <= set(signed_in["toolGroups"])
    assert "customers_list" in anonymous["toolGroups"]
