from __future__ import annotations

from rest_framework import permissions, serializers, viewsets
from rest_framework.authentication import TokenAuthentication

from .models import Ledger


class LedgerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Ledger
        fields = ["id", "name", "amount"]


class LedgerViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """Ledgers, audited by django-simple-history and a change-log middleware."""

    queryset = Ledger.objects.all()
    serializer_class = LedgerSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]
