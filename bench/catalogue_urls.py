"""A large API for the catalogue-size benchmark: 49 resources with the six CRUD actions
each, routed the usual way with MCPRouter, plus the bench app's items: 300 tools."""

from django.urls import include, path
from rest_framework import viewsets

from bench.benchapp.models import Item
from bench.benchapp.views import ItemSerializer
from rest_framework_mcp import MCPRouter

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


def viewset_for(resource: str) -> type:
    class Resource(viewsets.ModelViewSet):  # type: ignore[type-arg]
        queryset = Item.objects.all()
        serializer_class = ItemSerializer

    Resource.__name__ = f"{resource.title()}ViewSet"
    Resource.__doc__ = f"{resource.title()} of the back office, with their SKU, price and stock."
    return Resource


router = MCPRouter()
for name in RESOURCES:
    router.register(name, viewset_for(name), basename=name)

urlpatterns = [
    path("api/", include(router.urls)),
    path("mcp/", include("rest_framework_mcp.urls")),
]
