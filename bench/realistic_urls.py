from django.urls import include, path
from rest_framework.routers import DefaultRouter

from bench.floor import realistic_floor
from bench.realistic import OrderViewSet

router = DefaultRouter()
router.register("orders", OrderViewSet, basename="order")

urlpatterns = [
    path("api/", include(router.urls)),
    path("mcp/", include("drf_mcp_bridge.urls")),
    path("floor-mcp/", realistic_floor),  # bench/bench_instructions.py's measuring stick
]
