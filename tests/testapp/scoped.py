"""A ViewSet whose per-user scoping lives in a filter backend, not in get_queryset():
each user sees only the customers they own (anonymous callers see none). Routed in
tests/urls.py; exposed over MCP by tests/test_access_matrix.py (a fixture registers it).
"""

from __future__ import annotations

from typing import Any

from rest_framework import filters, permissions, viewsets

from .models import Customer
from .serializers import CustomerSerializer


class OwnedByRequester(filters.BaseFilterBackend):
    """Rows of the requesting user only; none for an anonymous request."""

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return queryset.none()
        return queryset.filter(owner_id=user.pk)


class ScopedCustomers(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Customers, each user seeing only their own (a filter backend does it)."""

    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends = [OwnedByRequester]

    def perform_create(self, serializer: Any) -> None:
        serializer.save(owner=self.request.user)
