"""Categories behind each of DRF's permission classes, and a throttled view. Routed in
tests/urls.py; exposed by tests/test_permissions_throttles.py.
"""

from __future__ import annotations

from rest_framework import permissions, throttling, viewsets

from .models import Category
from .serializers import CategorySerializer


class _Categories(viewsets.ModelViewSet):  # type: ignore[type-arg]
    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer


class ModelPermissionCategories(_Categories):
    permission_classes = [permissions.DjangoModelPermissions]


class ObjectPermissionCategories(_Categories):
    # Django's ModelBackend grants no object permissions: only superusers pass.
    permission_classes = [permissions.DjangoObjectPermissions]


class AdminCategories(_Categories):
    permission_classes = [permissions.IsAdminUser]


class ThrottledCategories(_Categories):
    permission_classes: list[type] = []
    throttle_classes = [throttling.ScopedRateThrottle]
    throttle_scope = "categories"


VIEWSETS = {
    "model_perms": ModelPermissionCategories,
    "object_perms": ObjectPermissionCategories,
    "admin_only": AdminCategories,
    "throttled": ThrottledCategories,
}
