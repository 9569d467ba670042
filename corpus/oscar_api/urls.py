from django.urls import include, path

urlpatterns = [
    path("api/", include("oscarapi.urls")),
    path("mcp/", include("drf_mcp_bridge.urls")),
]
