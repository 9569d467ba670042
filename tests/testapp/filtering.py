"""Views filtered with django-filter (optional extra): imported only when it is installed."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from .listing import TwoPerPage
from .models import Category, Customer
from .serializers import CustomerSerializer


class CustomerFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(choices=Customer.TIERS)
    categories = django_filters.ModelMultipleChoiceFilter(
        field_name="category", queryset=Category.objects.all()
    )
    created = django_filters.DateFromToRangeFilter()
    min_credit = django_filters.NumberFilter(
        field_name="credit_limit", lookup_expr="gte", label="Credit limit at least"
    )
    ids = django_filters.BaseInFilter(field_name="id")
    sort = django_filters.OrderingFilter(fields=["name", "credit_limit"])

    class Meta:
        model = Customer
        fields = ["vip"]


class FieldFilteredCustomers(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes: list[type] = []
    pagination_class = TwoPerPage
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = {
        "tier": ["exact"],
        "credit_limit": ["gte", "lte"],
        "name": ["icontains"],
        "category": ["exact", "isnull"],
    }
    search_fields = ["name", "email"]
    ordering_fields = ["name", "credit_limit"]


class ClassFilteredCustomers(FieldFilteredCustomers):
    filter_backends = [DjangoFilterBackend]
    filterset_class = CustomerFilter
