"""APIView and generic views (not ViewSets). Routed in tests/urls.py; exposed by
tests/test_apiviews.py with @mcp_view.
"""

from __future__ import annotations

from typing import Any

from rest_framework import generics, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .listing import TwoPerPage
from .models import Customer
from .serializers import CustomerSerializer


class CustomerListCreate(generics.ListCreateAPIView):  # type: ignore[type-arg]
    """Customers, version 2 of the API."""

    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    pagination_class = TwoPerPage

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user)


class CustomerDetail(generics.RetrieveUpdateDestroyAPIView):  # type: ignore[type-arg]
    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]


class StatusView(APIView):
    """Whether the service is up, and who is asking."""

    permission_classes: list[type] = []

    def get(self, request: Request) -> Response:
        user = request.user.username if request.user.is_authenticated else None
        return Response({"ok": True, "user": user})

    def post(self, request: Request) -> Response:
        """Echo a message back."""
        message = request.data.get("message")
        if not isinstance(message, str):
            return Response({"message": ["A string is required."]}, status=400)
        return Response({"echo": message})
