"""The official Python SDK's OAuth client against a live server whose /mcp requires
django-oauth-toolkit tokens (drf_mcp_bridge.contrib.oauth).

What runs for real: the SDK's discovery (401 + WWW-Authenticate resource_metadata, RFC 9728
document, RFC 8414 document), client registration (dynamic, RFC 7591; or a Client ID
Metadata Document served over HTTPS by this test), PKCE, the RFC 8707 resource parameter,
the token exchange and the scope step-up on HTTP 403 insufficient_scope. The user's part
(sign in, press "Authorize" on django-oauth-toolkit's consent page) is done by an HTTP
client standing in for the browser.
"""

from __future__ import annotations

import datetime
import html
import ipaddress
import json
import re
import ssl
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import anyio
import httpx
import httpx2
import pytest

pytest.importorskip("oauth2_provider")

from mcp import ClientSession
from mcp.client.auth import AuthorizationCodeResult, OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import OAuthClientInformationFull, OAuthClientMetadata, OAuthToken

from tests.interop.conftest import free_port, run_ts_script, serve
from tests.interop.seed import ALICE_PASSWORD

pytestmark = pytest.mark.interop

REDIRECT_URI = "http://127.0.0.1:9/callback"  # never contacted: the browser stand-in stops there


class MemoryStorage:
    def __init__(self) -> None:
        self.tokens: OAuthToken | None = None
        self.client_info: OAuthClientInformationFull | None = None

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


class Browser:
    """Alice's browser: signs in once, then approves each authorization request."""

    def __init__(self) -> None:
        self.http = httpx.AsyncClient(follow_redirects=False, timeout=30)
        self.authorization_urls: list[str] = []
        self.result: AuthorizationCodeResult | None = None

    async def approve(self, authorization_url: str) -> None:
        self.authorization_urls.append(authorization_url)
        page = await self.http.get(authorization_url)
        if page.status_code == 302:  # not signed in yet
            login_url = urljoin(authorization_url, page.headers["location"])
            form = await self.http.get(login_url)
            fields = hidden_inputs(form.text)
            fields.update(username="alice", password=ALICE_PASSWORD)
            signed_in = await self.http.post(login_url, data=fields)
            assert signed_in.status_code == 302, signed_in.text
            page = await self.http.get(authorization_url)
        assert page.status_code == 200, page.text
        assert "Authorize" in page.text
        fields = hidden_inputs(page.text)
        fields["allow"] = "Authorize"
        answer = await self.http.post(authorization_url, data=fields)
        assert answer.status_code == 302, answer.text
        location = answer.headers["location"]
        assert location.startswith(REDIRECT_URI), location
        query = parse_qs(urlparse(location).query)
        assert "code" in query, location
        self.result = AuthorizationCodeResult(
            code=query["code"][0],
            state=query.get("state", [None])[0],
            iss=query.get("iss", [None])[0],
        )

    async def callback(self) -> AuthorizationCodeResult:
        assert self.result is not None
        result, self.result = self.result, None
        return result


def hidden_inputs(page: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[html.unescape(name.group(1))] = html.unescape(value.group(1) if value else "")
    return fields


def client_metadata() -> OAuthClientMetadata:
    return OAuthClientMetadata(
        client_name="interop test client",
        redirect_uris=[REDIRECT_URI],  # type: ignore[list-item]
        grant_types=["authorization_code", "refresh_token"],
        response_types=["code"],
        token_endpoint_auth_method="none",
    )


# a Client ID Metadata Document host: HTTPS on loopback with a CA made for this run ---------


def _make_ca_and_cert(directory: Path) -> tuple[Path, Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drf-mcp test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path = directory / "ca.pem"
    cert_path = directory / "cert.pem"
    key_path = directory / "key.pem"
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path


@pytest.fixture(scope="module")
def cimd_host() -> Iterator[tuple[str, Path]]:
    """(document URL, CA file): the client's metadata document served over HTTPS."""
    directory = Path(tempfile.mkdtemp(prefix="drf-mcp-cimd-"))
    ca_path, cert_path, key_path = _make_ca_and_cert(directory)
    port = free_port()
    url = f"https://localhost:{port}/clients/interop.json"
    document = {
        "client_id": url,
        "client_name": "interop CIMD client",
        "redirect_uris": [REDIRECT_URI],
        "grant_types": ["authorization_code"],
        "response_types": ["code"],
        "token_endpoint_auth_method": "none",
    }
    body = json.dumps(document).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path != "/clients/interop.json":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, ca_path
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def oauth_server(cimd_host: tuple[str, Path]) -> Iterator[str]:
    with serve("tests.interop.oauth_settings", CIMD_TEST_CA=str(cimd_host[1])) as url:
        yield url


async def _connect_and_work(
    url: str, provider: OAuthClientProvider, browser: Browser
) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    async with (
        httpx2.AsyncClient(auth=provider, timeout=60) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        names = {tool.name for tool in (await session.list_tools()).tools}
        assert {"customers_list", "customers_create"} <= names
        listed = await session.call_tool("customers_list", {})
        assert not listed.is_error, listed.content
        seen["authorizations_before_write"] = len(browser.authorization_urls)
        # customers_create is not read-only: the "mcp" token gets HTTP 403
        # insufficient_scope, the SDK authorizes again with mcp:write and retries.
        created = await session.call_tool("customers_create", {"name": "Made over OAuth"})
        assert not created.is_error, created.content
        assert created.structured_content is not None
        seen["owner"] = created.structured_content["owner"]
    await browser.http.aclose()
    return seen


def _flow(url: str, document_url: str | None = None) -> tuple[dict[str, Any], Browser, Any]:
    """Connect with the SDK's OAuth provider and work; (what was seen, browser, storage)."""
    browser = Browser()
    storage = MemoryStorage()
    provider = OAuthClientProvider(
        server_url=url,
        client_metadata=client_metadata(),
        storage=storage,
        redirect_handler=browser.approve,
        callback_handler=browser.callback,
        client_metadata_url=document_url,
    )
    return anyio.run(_connect_and_work, url, provider, browser), browser, storage


def test_dynamic_registration_pkce_resource_and_step_up(oauth_server: str) -> None:
    seen, browser, storage = _flow(oauth_server)

    assert seen["owner"] == "alice"  # the inner view authenticated as the token's user
    # One authorization for "mcp", then the step-up for the write.
    assert seen["authorizations_before_write"] == 1
    assert len(browser.authorization_urls) == 2
    first, second = (parse_qs(urlparse(u).query) for u in browser.authorization_urls)
    assert first["scope"] == ["mcp"]
    assert set(second["scope"][0].split()) == {"mcp", "mcp:write"}
    for query in (first, second):
        assert query["code_challenge_method"] == ["S256"]  # PKCE
        assert query["resource"] == [oauth_server]  # RFC 8707
    # Registered dynamically: the client id is the server's, not a URL.
    assert storage.client_info is not None
    assert not storage.client_info.client_id.startswith("https://")
    assert storage.tokens is not None
    access_token = storage.tokens.access_token

    # The token is bound to the MCP endpoint: the REST API refuses it (RFC 8707)...
    api = oauth_server.replace("/mcp/", "/api/customers/")
    refused = httpx.post(
        api, json={"name": "x"}, headers={"Authorization": f"Bearer {access_token}"}
    )
    assert refused.status_code == 401
    assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    # ...and the endpoint accepts it.
    ping = httpx.post(
        oauth_server,
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
    )
    assert ping.status_code == 200, ping.text


def test_client_id_metadata_document(oauth_server: str, cimd_host: tuple[str, Path]) -> None:
    document_url, _ = cimd_host
    seen, browser, storage = _flow(oauth_server, document_url)
    assert seen["owner"] == "alice"
    # No registration request: the document's URL is the client id.
    assert storage.client_info is not None
    assert storage.client_info.client_id == document_url
    assert all(
        parse_qs(urlparse(u).query)["client_id"] == [document_url]
        for u in browser.authorization_urls
    )


def test_unauthenticated_requests_point_at_the_metadata(oauth_server: str) -> None:
    response = httpx.post(
        oauth_server,
        json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 401
    header = response.headers["www-authenticate"]
    metadata_url = oauth_server.replace("/mcp/", "/.well-known/oauth-protected-resource/mcp/")
    assert f'resource_metadata="{metadata_url}"' in header
    document = httpx.get(metadata_url).json()
    assert document["resource"] == oauth_server


def test_typescript_sdk_oauth_flow(oauth_server: str) -> None:
    report = run_ts_script("oauth.ts", oauth_server, "alice", ALICE_PASSWORD)
    assert report["ok"] is True
    assert report["owner"] == "alice"
    assert report["authorizationsBeforeWrite"] == 1
    first, second = report["scopes"]
    assert first == "mcp"
    assert set(second.split()) == {"mcp", "mcp:write"}
    assert report["challengeMethods"] == ["S256", "S256"]
    assert report["resources"] == [oauth_server, oauth_server]
    assert not report["clientId"].startswith("https://")  # registered dynamically
