"""The realistic benchmark's API (bench/bench_realistic.py): orders of customers, token
authentication, a serializer with relations and a method field, 20 to a page."""

from __future__ import annotations

import datetime
from typing import Any

from rest_framework import pagination, permissions, serializers, viewsets
from rest_framework.authentication import TokenAuthentication

from drf_mcp_bridge import mcp_viewset

from .benchapp.models import Customer, Order


class OrderSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    customer = serializers.PrimaryKeyRelatedField(queryset=Customer.objects.all())
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    owner = serializers.CharField(source="customer.owner.username", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Order
        fields = [
            "id",
            "customer",
            "customer_name",
            "owner",
            "number",
            "amount",
            "due",
            "paid",
            "overdue",
            "created",
        ]

    def get_overdue(self, order: Order) -> bool:
        return not order.paid and order.due < datetime.date(2026, 12, 1)


class Pages(pagination.PageNumberPagination):
    page_size = 20


@mcp_viewset(name="orders")
class OrderViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Orders of the shop's customers."""

    serializer_class = OrderSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pages

    def get_queryset(self) -> Any:
        return Order.objects.select_related("customer__owner").filter(
            customer__owner=self.request.user
        )
