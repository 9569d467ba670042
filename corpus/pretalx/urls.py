from django.urls import include, path

urlpatterns = [
    path("mcp/", include("rest_framework_mcp.urls")),
    path("", include("pretalx.urls")),
]
handler500 = "pretalx.common.views.errors.handle_500"
