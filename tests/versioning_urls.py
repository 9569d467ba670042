"""URLconf for tests/test_versioning.py: one route per DRF versioning scheme."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from tests.testapp import versioned

path_router = SimpleRouter()
path_router.register("by-path", versioned.ByPath, basename="by-path")
namespaced = SimpleRouter()
namespaced.register("by-namespace", versioned.ByNamespace, basename="by-namespace")
plain = SimpleRouter()
plain.register("by-query", versioned.ByQuery, basename="by-query")
plain.register("by-accept", versioned.ByAccept, basename="by-accept")
plain.register("by-host", versioned.ByHost, basename="by-host")

urlpatterns = [
    path("api/<str:version>/", include(path_router.urls)),
    path("api/v1/", include((namespaced.urls, "v1"))),
    path("api/v2/", include((namespaced.urls, "v2"))),
    path("api/", include(plain.urls)),
    path("mcp/", include("drf_mcp_bridge.urls")),
]
