"""A large API for the catalogue-size benchmark: 49 resources with the six CRUD actions
each, routed the usual way with MCPRouter, plus the bench app's items: 300 tools.

Two environment variables make it another API (bench/bench_checks.py uses them):

* ``BENCH_CATALOGUE_TOOLS``: about that many tools (the resource names repeat with a
  number: ``accounts2``...); default 300.
* ``BENCH_CATALOGUE_RICH=1``: serializers like a real application's: labels, help texts
  and choices as lazy translations (``gettext_lazy``), ``Decimal``/``date`` defaults, a
  nested serializer, a list field; lists paginated, searched and ordered.
"""

import datetime
import decimal
import os

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from rest_framework import filters, pagination, serializers, viewsets

from bench.benchapp.models import Item
from bench.benchapp.views import ItemSerializer
from drf_mcp_bridge import MCPRouter

TOOLS = int(os.environ.get("BENCH_CATALOGUE_TOOLS", "300"))
RICH = os.environ.get("BENCH_CATALOGUE_RICH") == "1"

RESOURCES = [
    "accounts",
    "addresses",
    "adjustments",
    "allocations",
    "approvals",
    "assets",
    "audits",
    "batches",
    "bills",
    "brands",
    "budgets",
    "campaigns",
    "carriers",
    "carts",
    "categories",
    "channels",
    "claims",
    "contacts",
    "contracts",
    "coupons",
    "credits",
    "customers",
    "deliveries",
    "departments",
    "discounts",
    "documents",
    "employees",
    "expenses",
    "invoices",
    "journals",
    "leads",
    "locations",
    "manufacturers",
    "orders",
    "payments",
    "payouts",
    "pricelists",
    "products",
    "promotions",
    "quotes",
    "receipts",
    "refunds",
    "regions",
    "returns",
    "shipments",
    "subscriptions",
    "suppliers",
    "taxes",
    "teams",
]
assert len(RESOURCES) == 49  # with the bench app's items: 50 resources, 300 tools
#: More resources for a larger API: the names again, numbered ("accounts2", ...).
_WANTED = max(TOOLS // 6 - 1, 1)
RESOURCES = [
    f"{name}{number}" if number > 1 else name
    for number in range(1, _WANTED // len(RESOURCES) + 2)
    for name in RESOURCES
][:_WANTED]


class Supplier(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(label=_("Supplier name"), help_text=_("As on its invoices."))
    country = serializers.ChoiceField(
        choices=[("de", _("Germany")), ("fr", _("France")), ("it", _("Italy"))],
        help_text=_("Where it ships from."),
    )


class RichItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(
        choices=[("draft", _("Draft")), ("live", _("Live")), ("gone", _("Archived"))],
        default="draft",
        label=_("Life cycle"),
        help_text=_("Where the item is in its life."),
    )
    discount = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=decimal.Decimal("0.00"),
        coerce_to_string=False,
        help_text=_("Off the list price, in percent."),
    )
    available_from = serializers.DateField(default=datetime.date(2024, 1, 1))
    unit = serializers.CharField(default=_("piece"), help_text=_("What one item is."))
    tags = serializers.ListField(child=serializers.CharField(max_length=20), default=tuple)
    supplier = Supplier(required=False)

    class Meta:
        model = Item
        fields = [
            "id",
            "name",
            "sku",
            "price",
            "in_stock",
            "created",
            "status",
            "discount",
            "available_from",
            "unit",
            "tags",
            "supplier",
        ]
        extra_kwargs = {
            "name": {"label": _("Item name"), "help_text": _("Shown to customers.")},
            "sku": {"help_text": _("Stock keeping unit.")},
        }


class Pages(pagination.PageNumberPagination):
    page_size = 50


def viewset_for(resource: str) -> type:
    class Resource(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Item.objects.all()
        serializer_class = RichItemSerializer if RICH else ItemSerializer
        if RICH:
            pagination_class = Pages
            filter_backends = [filters.SearchFilter, filters.OrderingFilter]
            search_fields = ["name", "sku"]
            ordering_fields = ["name", "price", "created"]

    Resource.__name__ = f"{resource.title()}ViewSet"
    Resource.__doc__ = f"{resource.title()} of the back office, with their SKU, price and stock."
    return Resource


router = MCPRouter()
for name in RESOURCES:
    router.register(name, viewset_for(name), basename=name)

urlpatterns = [
    path("api/", include(router.urls)),
    path("mcp/", include("drf_mcp_bridge.urls")),
]
