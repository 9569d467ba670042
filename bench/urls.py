from django.conf import settings
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bench.benchapp.views import ItemViewSet
from bench.floor import floor

router = DefaultRouter()
router.register("items", ItemViewSet)

urlpatterns = [
    path("api/", include(router.urls)),
    path("mcp/", include("drf_mcp_bridge.urls")),
    path("floor-mcp/", floor),  # bench/bench_calls.py's measuring stick
]
if settings.HAVE_REFERENCE:
    urlpatterns.append(path("ref-mcp/", include("djangorestframework_mcp.urls")))
