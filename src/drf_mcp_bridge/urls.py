"""``path("mcp/", include("drf_mcp_bridge.urls"))`` mounts the endpoint."""

from django.urls import path

from .transport.http import MCPView

app_name = "drf_mcp_bridge"

urlpatterns = [
    path("", MCPView.as_view(), name="endpoint"),
]
