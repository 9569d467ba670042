"""Live server settings for the OAuth flow test: /mcp requires a django-oauth-toolkit token
bound to the endpoint (RFC 8707) with the "mcp" scope; tools that write also need
"mcp:write". Views authenticate with the contrib class first, as a project would
configure DRF."""

from pathlib import Path

from tests.interop.live_settings import *  # noqa: F403
from tests.settings import OAUTH2_PROVIDER, REST_FRAMEWORK, TEMPLATES

ROOT_URLCONF = "tests.interop.oauth_urls"
REST_FRAMEWORK_MCP = {
    "INSTRUCTIONS": "OAuth test server.",
    "AUTHENTICATION_CLASSES": ["drf_mcp_bridge.contrib.oauth.OAuth2Authentication"],
    "AUTHENTICATION_REQUIRED": True,
    "OAUTH": {"SCOPES": ["mcp"], "WRITE_SCOPES": ["mcp:write"]},
}
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "drf_mcp_bridge.contrib.oauth.OAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
}
OAUTH2_PROVIDER = {
    **OAUTH2_PROVIDER,
    # The client's metadata document is served by the test over HTTPS on loopback with
    # its own CA; django-oauth-toolkit's default fetcher refuses loopback by design.
    "CIMD_METADATA_FETCHER": "tests.interop.oauth_fixtures.LoopbackFetcher",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
}
LOGIN_URL = "/accounts/login/"
TEMPLATES = [{**TEMPLATES[0], "DIRS": [Path(__file__).resolve().parent / "templates"]}]
