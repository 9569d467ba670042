"""List views with each DRF paginator and filter backend. Routed in tests/urls.py; the
tests that need them expose them over MCP in a fixture (so the snapshot stays put).
"""

from __future__ import annotations

from rest_framework import filters, pagination, viewsets

from .models import Customer
from .serializers import CustomerSerializer


class TwoPerPage(pagination.PageNumberPagination):
    page_size = 2


class CustomPageParameter(pagination.PageNumberPagination):
    """A custom subclass: other parameter names, page size chosen by the client."""

    page_size = 2
    page_query_param = "p"
    page_size_query_param = "size"


class TwoByLimit(pagination.LimitOffsetPagination):
    default_limit = 2
    max_limit = 10


class TwoByCursor(pagination.CursorPagination):
    page_size = 2
    ordering = "id"


class _CustomerList(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes: list[type] = []


class PagedCustomers(_CustomerList):
    pagination_class = TwoPerPage


class CustomPagedCustomers(_CustomerList):
    pagination_class = CustomPageParameter


class LimitedCustomers(_CustomerList):
    pagination_class = TwoByLimit
    filter_backends = [filters.SearchFilter, filters.OrderingFilter]
    search_fields = ["name", "=email", "category__name"]
    ordering_fields = ["name", "id"]
    ordering = ["id"]


class CursorCustomers(_CustomerList):
    pagination_class = TwoByCursor


VIEWSETS = {
    "paged": PagedCustomers,
    "custom_paged": CustomPagedCustomers,
    "limited": LimitedCustomers,
    "cursor": CursorCustomers,
}


class CachedCustomers(_CustomerList):
    """Answers with caching headers, as views that support conditional requests do."""

    def finalize_response(self, request, response, *args, **kwargs):  # type: ignore[no-untyped-def]
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            response["ETag"] = '"customers-v1"'
            response["Cache-Control"] = "max-age=60"
        return response
