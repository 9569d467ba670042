from rest_framework import serializers, viewsets

from drf_mcp_bridge import mcp_viewset

from .models import Item


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "name", "sku", "price", "in_stock", "created"]


@mcp_viewset(name="items")
class ItemViewSet(viewsets.ModelViewSet):
    """Items of the benchmark shop (unpaginated: a list returns all of them)."""

    queryset = Item.objects.all()
    serializer_class = ItemSerializer


try:  # the reference implementation, when installed in the benchmark venv
    from djangorestframework_mcp.decorators import mcp_viewset as reference_mcp_viewset
except ImportError:  # pragma: no cover
    pass
else:
    reference_mcp_viewset(basename="items")(ItemViewSet)
