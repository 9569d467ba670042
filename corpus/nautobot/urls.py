"""Nautobot's own URLconf (UI, api/, graphql...) with the MCP endpoint mounted at mcp/."""
from django.urls import include, path

urlpatterns = [
    path("mcp/", include("drf_mcp_bridge.urls")),
    path("", include("nautobot.core.urls")),
]
