from django.contrib import admin
from django.urls import include, path
from library.urls import router

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include(router.urls)),
    # DRF's login page: the browsable API and the MCP explorer link to it.
    path("api-auth/", include("rest_framework.urls")),
    path("mcp/", include("drf_mcp_bridge.urls")),
]
