"""Hyperlinked serializers. Routed in tests/urls.py; exposed by tests/test_hyperlinks.py."""

from __future__ import annotations

from rest_framework import permissions, serializers, viewsets

from .models import Category, Customer


class HyperlinkedCategorySerializer(serializers.HyperlinkedModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Category
        fields = ["url", "id", "name"]
        extra_kwargs = {"url": {"view_name": "hl-category-detail"}}


class HyperlinkedCategories(viewsets.ModelViewSet):  # type: ignore[type-arg]
    queryset = Category.objects.order_by("id")
    serializer_class = HyperlinkedCategorySerializer
    permission_classes: list[type] = []


class LinkedCustomerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    category = serializers.HyperlinkedRelatedField(
        view_name="hl-category-detail",
        queryset=Category.objects.all(),
        allow_null=True,
        required=False,
    )

    class Meta:
        model = Customer
        fields = ["id", "name", "category"]


class LinkedCustomers(viewsets.ModelViewSet):  # type: ignore[type-arg]
    queryset = Customer.objects.order_by("id")
    serializer_class = LinkedCustomerSerializer
    permission_classes = [permissions.IsAuthenticated]

    def perform_create(self, serializer):  # type: ignore[no-untyped-def]
        serializer.save(owner=self.request.user)
