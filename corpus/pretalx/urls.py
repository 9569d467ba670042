from django.urls import include, path

urlpatterns = [
    path("mcp/", include("drf_mcp_bridge.urls")),
    path("", include("pretalx.urls")),
]
handler500 = "pretalx.common.views.errors.handle_500"
