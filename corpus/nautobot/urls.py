"""Nautobot's own URLconf (UI, api/, graphql...) with the MCP endpoint mounted at mcp/."""
from django.urls import include, path

urlpatterns = [
    path("mcp/", include("rest_framework_mcp.urls")),
    path("", include("nautobot.core.urls")),
]
