"""The conformance suite's ``authorization`` subcommand (unscored: it tests authorization
servers) against the OAuth contrib's authorization server (django-oauth-toolkit, mounted by
``oauth_urlpatterns()``): the RFC 8414 metadata, and a real authorization-code grant with
PKCE and an RFC 8707 resource, for a client registered dynamically and approved by alice
in a scripted browser. docs/oauth.md records the result."""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from urllib.parse import urljoin

import httpx
import pytest

from tests.interop.conftest import free_port, node_env, node_tool, serve
from tests.interop.seed import ALICE_PASSWORD
from tests.interop.test_oauth_flow import hidden_inputs

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def oauth_endpoint() -> Iterator[str]:
    with serve("tests.interop.oauth_settings", CIMD_TEST_CA="/nonexistent") as url:
        yield url


def _json(url: str, body: dict[str, object] | None = None) -> dict[str, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        found: dict[str, object] = json.loads(response.read())
        return found


def _approve(authorization_url: str) -> str:
    """Alice signs in and allows the request; the redirect it answers with."""
    with httpx.Client(follow_redirects=False, timeout=30) as browser:
        page = browser.get(authorization_url)
        if page.status_code == 302:
            login_url = urljoin(authorization_url, page.headers["location"])
            fields = hidden_inputs(browser.get(login_url).text)
            fields.update(username="alice", password=ALICE_PASSWORD)
            assert browser.post(login_url, data=fields).status_code == 302
            page = browser.get(authorization_url)
        assert page.status_code == 200, page.text
        fields = hidden_inputs(page.text)
        fields["allow"] = "Authorize"
        answer = browser.post(authorization_url, data=fields)
        assert answer.status_code == 302, answer.text
        return answer.headers["location"]


def test_the_authorization_server_passes_the_suites_authorization_scenarios(
    oauth_endpoint: str, tmp_path: object
) -> None:
    base = oauth_endpoint.removesuffix("/mcp/")
    metadata = _json(base + "/.well-known/oauth-authorization-server")
    port = free_port()
    redirect_uri = f"http://127.0.0.1:{port}/callback"
    client = _json(
        str(metadata["registration_endpoint"]),
        {
            "client_name": "conformance authorization",
            "redirect_uris": [redirect_uri],
            "grant_types": ["authorization_code"],
            "response_types": ["code"],
            "token_endpoint_auth_method": "none",
        },
    )
    process = subprocess.Popen(
        [
            node_tool("conformance"),
            "authorization",
            "--url",
            str(metadata["issuer"]),
            "--client-id",
            str(client["client_id"]),
            "--resource",
            oauth_endpoint,
            "--port",
            str(port),
            "-o",
            str(tmp_path),
        ],
        env=node_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output: list[str] = []
    try:
        for line in process.stdout:
            output.append(line)
            if line.startswith("http") and "/authorize" in line:
                # The suite waits for the redirect on its callback server.
                location = _approve(line.strip())
                assert location.startswith(redirect_uri), location
                with urllib.request.urlopen(location, timeout=10) as delivered:
                    assert delivered.status == 200
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    text = "".join(output)
    assert process.returncode == 0, text
    assert "authorization-server-metadata-endpoint: 2 passed, 0 failed" in text, text
    assert "authorization-code-grant: 1 passed, 0 failed" in text, text
    assert "Total: 3 passed, 0 failed" in text, text
