"""A ViewSet guarded by a django-oauth-toolkit scope (only loaded with the oauth extra)."""

from oauth2_provider.contrib.rest_framework import TokenHasScope
from rest_framework import viewsets

from .models import Category
from .serializers import CategorySerializer


class ReportCategories(viewsets.ReadOnlyModelViewSet):
    """Categories as reports: the token needs the "reports" scope."""

    queryset = Category.objects.order_by("pk")
    serializer_class = CategorySerializer
    permission_classes = [TokenHasScope]
    required_scopes = ["reports"]
