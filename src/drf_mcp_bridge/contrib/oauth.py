"""OAuth 2.1 for the MCP endpoint, on django-oauth-toolkit (``pip install
drf-mcp-bridge[oauth]``).

django-oauth-toolkit (3.4.1 and later) is the authorization server: authorization code
with PKCE, RFC 8414 metadata, RFC 9728 protected-resource metadata, RFC 8707 resource
indicators, dynamic client registration (RFC 7591) and Client ID Metadata Documents. This
module configures it for ``/mcp`` and adds what an MCP resource server needs on top:

* :class:`OAuth2Authentication` — a drop-in for django-oauth-toolkit's DRF class, used
  for the endpoint and for the API's views. On the endpoint and on the inner requests of
  tool calls it checks the token against the MCP endpoint's URL (the resource the client
  asked the token for), refuses tokens bound to no resource when ``REQUIRE_AUDIENCE`` is
  on, and answers a token without the needed scope with HTTP 403 ``insufficient_scope``.
  On plain REST requests it is django-oauth-toolkit's class, unchanged.
* ``contrib.oauth_urls.ProtectedResourceMetadataView`` — RFC 9728 metadata whose
  ``resource`` is the endpoint's URL exactly as mounted
  (``/.well-known/oauth-protected-resource/mcp/``).
* ``contrib.oauth_urls.oauth_urlpatterns()`` — django-oauth-toolkit's routes plus that
  document, with the well-known documents at the server root where clients look.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

try:
    from oauth2_provider.contrib.rest_framework import (
        authentication as dot_authentication,
    )
    from oauth2_provider.oauth2_backends import get_oauthlib_core
    from oauth2_provider.www_authenticate import build_bearer_challenge
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "drf_mcp_bridge.contrib.oauth needs django-oauth-toolkit: "
        "pip install 'drf-mcp-bridge[oauth]'"
    ) from exc

from ..conf.settings import DEFAULTS, mcp_settings

WELL_KNOWN = "/.well-known/oauth-protected-resource"


def oauth_settings() -> dict[str, Any]:
    """``REST_FRAMEWORK_MCP["OAUTH"]`` over its defaults (merged by the settings object)."""
    configured = mcp_settings.OAUTH
    return dict(configured) if isinstance(configured, dict) else dict(DEFAULTS["OAUTH"])


def endpoint_request(request: Any) -> HttpRequest | None:
    """The MCP endpoint's own Django request when ``request`` (DRF or Django) is that
    request or the inner request of one of its tool calls; None for a REST request."""
    django_request = getattr(request, "_request", request)
    context = getattr(django_request, "mcp_context", None)
    if context is not None:
        outer: HttpRequest = context.http_request
        return outer
    if getattr(django_request, "mcp_endpoint", False):
        found: HttpRequest = django_request
        return found
    return None


def resource_metadata_url(endpoint: HttpRequest) -> str:
    """Where the RFC 9728 document of the endpoint that ``endpoint`` called lives."""
    return endpoint.build_absolute_uri(WELL_KNOWN + endpoint.path)


def _scope_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    return [str(v) for v in value or ()]


class OAuth2Authentication(dot_authentication.OAuth2ProtectedResourceAuthentication):  # type: ignore[misc]
    """Bearer tokens of django-oauth-toolkit, for the MCP endpoint and the API's views."""

    www_authenticate_realm = "mcp"

    def authenticate(self, request: Any) -> tuple[Any, Any] | None:
        endpoint = endpoint_request(request)
        if endpoint is None:
            found: tuple[Any, Any] | None = super().authenticate(request)
            return found
        # The token was issued for the endpoint: check its audience against the
        # endpoint's URL, also when the inner request of a tool call has another path.
        valid, oauth_request = get_oauthlib_core().verify_request(endpoint, scopes=[])
        if not valid:
            request.oauth2_error = getattr(oauth_request, "oauth2_error", {}) or {}
            return None
        token = oauth_request.access_token
        if oauth_settings()["REQUIRE_AUDIENCE"] and not token.resource:
            request.oauth2_error = {
                "error": "invalid_token",
                "error_description": (
                    "This access token is not bound to this MCP server: request it with the "
                    f"resource parameter (RFC 8707) {endpoint.build_absolute_uri()}"
                ),
            }
            return None
        return oauth_request.user, token

    def get_resource_metadata_url(self, request: Any) -> str | None:
        endpoint = endpoint_request(request)
        return resource_metadata_url(endpoint) if endpoint is not None else None

    def authenticate_header(self, request: Any) -> str:
        if endpoint_request(request) is None:
            header: str = super().authenticate_header(request)
            return header
        error = dict(getattr(request, "oauth2_error", {}) or {})
        scopes = _scope_list(oauth_settings()["SCOPES"])
        if scopes:
            error.setdefault("scope", " ".join(scopes))
        return str(
            build_bearer_challenge(
                request,
                oauth2_error=error,
                realm=self.www_authenticate_realm,
                resource_metadata_url=self.get_resource_metadata_url(request),
            )
        )

    def mcp_authorize(self, drf_request: Any, method: str | None, tool: Any) -> None:
        """HTTP 403 ``insufficient_scope`` when the token lacks a scope the message needs:
        ``SCOPES`` for any message, plus ``WRITE_SCOPES`` to call a tool that is not
        read-only."""
        settings = oauth_settings()
        needed = _scope_list(settings["SCOPES"])
        if method == "tools/call" and tool is not None and not _read_only(tool):
            needed += [s for s in _scope_list(settings["WRITE_SCOPES"]) if s not in needed]
        token = drf_request.auth
        if not needed or token is None or token.allow_scopes(needed):
            return
        missing = [s for s in needed if not token.allow_scopes([s])]
        what = f"calling {tool.name}" if tool is not None else (method or "this request")
        message = (
            f"Forbidden: {what} needs the scope {' '.join(missing)}; "
            "authorize again with it (insufficient_scope)."
        )
        challenge = build_bearer_challenge(
            drf_request,
            oauth2_error={
                "error": "insufficient_scope",
                "error_description": message,
                "scope": " ".join(needed),
            },
            realm=self.www_authenticate_realm,
            resource_metadata_url=self.get_resource_metadata_url(drf_request),
        )
        from ..core.authentication import EndpointAuthError  # not at import: DRF settings import us

        raise EndpointAuthError(403, message, str(challenge))


def _read_only(tool: Any) -> bool:
    annotations = tool.annotations() or {}
    return bool(annotations.get("readOnlyHint"))
