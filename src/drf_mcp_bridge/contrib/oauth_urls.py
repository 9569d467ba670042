"""URLs for OAuth on the MCP endpoint (see :mod:`drf_mcp_bridge.contrib.oauth`):
``urlpatterns += oauth_urlpatterns()``."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLPattern, URLResolver, include, path

try:
    from oauth2_provider import urls as dot_urls
    from oauth2_provider.views import OAuthProtectedResourceMetadataView
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "drf_mcp_bridge.contrib.oauth_urls needs django-oauth-toolkit: "
        "pip install 'drf-mcp-bridge[oauth]'"
    ) from exc

from .oauth import WELL_KNOWN


class ProtectedResourceMetadataView(OAuthProtectedResourceMetadataView):  # type: ignore[misc]
    """RFC 9728 metadata for ``/.well-known/oauth-protected-resource/<endpoint path>``: the
    ``resource`` is the endpoint's URL exactly as mounted (trailing slash kept), which is
    what MCP clients compare with the URL they were given and send as the RFC 8707
    ``resource`` parameter."""

    def get_resource(self, request: HttpRequest) -> str:
        configured = super().get_resource(request)
        resource_path = request.path.partition(WELL_KNOWN)[2]
        if not resource_path:
            return str(configured)
        return request.build_absolute_uri(resource_path)


def oauth_urlpatterns(prefix: str = "o/") -> list[URLPattern | URLResolver]:
    """URL patterns for ``urlpatterns += oauth_urlpatterns()``: the authorization server's
    endpoints under ``prefix`` (authorize, token, revoke, introspect, register...), and at
    the server root the RFC 8414 and RFC 9728 documents, including the path form
    ``/.well-known/oauth-protected-resource/mcp/`` for the MCP endpoint.
    """
    patterns: list[URLPattern | URLResolver] = [
        path(
            WELL_KNOWN.lstrip("/") + "/<path:resource_path>",
            ProtectedResourceMetadataView.as_view(),
            name="oauth-resource-metadata-path",
        ),
        *dot_urls.metadata_urlpatterns,
        path(
            prefix,
            include(
                dot_urls.base_urlpatterns
                + dot_urls.dcr_urlpatterns
                + dot_urls.management_urlpatterns
            ),
        ),
    ]
    return [path("", include((patterns, "oauth2_provider")))]
