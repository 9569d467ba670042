"""One resource under each DRF versioning scheme; v2 adds a field. Routed by
tests/versioning_urls.py, exposed by tests/test_versioning.py.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers, versioning, viewsets

from .models import Customer


class CustomerV1(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Customer
        fields = ["id", "name"]


class CustomerV2(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Customer
        fields = ["id", "name", "tier"]


class _Versioned(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Customer.objects.order_by("id")
    permission_classes: list[type] = []

    def get_serializer_class(self) -> Any:
        return CustomerV2 if self.request.version == "v2" else CustomerV1


class PathScheme(versioning.URLPathVersioning):
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class NamespaceScheme(versioning.NamespaceVersioning):
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class QueryScheme(versioning.QueryParameterVersioning):
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class AcceptScheme(versioning.AcceptHeaderVersioning):
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class ByPath(_Versioned):
    versioning_class = PathScheme


class ByNamespace(_Versioned):
    versioning_class = NamespaceScheme


class ByQuery(_Versioned):
    versioning_class = QueryScheme


class ByAccept(_Versioned):
    versioning_class = AcceptScheme


class HostScheme(versioning.HostNameVersioning):
    default_version = "v1"
    allowed_versions = ["v1", "v2"]


class ByHost(_Versioned):
    versioning_class = HostScheme


SCHEMES = {"path": ByPath, "namespace": ByNamespace, "query": ByQuery, "accept": ByAccept}
