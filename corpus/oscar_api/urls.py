from django.urls import include, path

urlpatterns = [
    path("api/", include("oscarapi.urls")),
    path("mcp/", include("rest_framework_mcp.urls")),
]
