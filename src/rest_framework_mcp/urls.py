"""``path("mcp/", include("rest_framework_mcp.urls"))`` mounts the endpoint."""

from django.urls import path

from .transport.http import MCPView

app_name = "rest_framework_mcp"

urlpatterns = [
    path("", MCPView.as_view(), name="endpoint"),
]
