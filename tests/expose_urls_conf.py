"""A URLconf of plain path() routes to generic views and APIViews (no router for most),
for tests/test_expose_urls.py; the rest of tests/urls.py is kept, outside "shop/"."""

from __future__ import annotations

from typing import Any

from django.urls import include, path, re_path
from rest_framework import generics, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from tests import urls as main_urls
from tests.testapp.models import Category, Customer
from tests.testapp.serializers import CategorySerializer, CustomerSerializer


class PartList(generics.ListCreateAPIView):  # type: ignore[type-arg]
    """Parts in stock."""

    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes: list[type] = []

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user)


class PartDetail(generics.RetrieveUpdateDestroyAPIView):  # type: ignore[type-arg]
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    permission_classes: list[type] = []


class ArchivedParts(generics.ListAPIView):  # type: ignore[type-arg]
    """The same resource under another mount: its names take the qualifier rule."""

    queryset = Customer.objects.filter(vip=True).order_by("id")
    serializer_class = CustomerSerializer
    permission_classes: list[type] = []


class PingView(APIView):
    """Whether the shop answers."""

    permission_classes: list[type] = []

    def get(self, request: Request) -> Response:
        return Response({"pong": True})


class AuditLog(generics.ListAPIView):  # type: ignore[type-arg]
    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer
    permission_classes: list[type] = []


class GadgetDetail(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """Routed by a regex under a namespace."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer
    permission_classes: list[type] = []


gadget_patterns = [re_path(r"^gadgets/(?P<pk>[0-9]+)/$", GadgetDetail.as_view(), name="gadget")]


class UnnamedView(APIView):
    permission_classes: list[type] = []

    def get(self, request: Request) -> Response:
        return Response({})


class OutsideView(APIView):
    permission_classes: list[type] = []

    def get(self, request: Request) -> Response:
        return Response({"outside": True})


class ShelfViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer
    permission_classes: list[type] = []


router = DefaultRouter()
router.register("shelves", ShelfViewSet, basename="shelf")

urlpatterns = [
    path("shop/", include(router.urls)),
    path("shop/parts/", PartList.as_view(), name="part-list"),
    path("shop/parts/<int:pk>/", PartDetail.as_view(), name="part-detail"),
    path("shop/archive/parts/", ArchivedParts.as_view(), name="archived-parts"),
    path("shop/ping/", PingView.as_view(), name="ping"),
    path("shop/audit-log/", AuditLog.as_view(), name="audit-log"),
    path("shop/v3/", include((gadget_patterns, "v3"))),
    path("shop/unnamed/", UnnamedView.as_view()),  # skipped: calls reverse() routes
    path("outside/", OutsideView.as_view(), name="outside"),
    *main_urls.urlpatterns,
]
