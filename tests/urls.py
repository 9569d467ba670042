from django.conf import settings
from django.urls import include, path
from rest_framework.routers import DefaultRouter, SimpleRouter

from tests.testapp import apiviews, guarded, hyperlinked, kitchen, listing, scoped, uploads, views

router = DefaultRouter()
router.register("customers", views.CustomerViewSet)
router.register("categories", views.CategoryViewSet)
router.register("invoices", views.InvoiceViewSet)
router.register("knowledge-notes", views.NoteViewSet)
router.register("plain-customers", views.PlainCustomerViewSet, basename="plain-customer")
router.register("exploding", views.ExplodingViewSet, basename="exploding")
router.register("refusing", views.WritesThenRefusesViewSet, basename="refusing")
router.register("kitchen", kitchen.KitchenSinkViewSet, basename="kitchen")
for prefix, viewset in listing.VIEWSETS.items():
    router.register(f"list-{prefix}", viewset, basename=f"list-{prefix}")
router.register("list-cached", listing.CachedCustomers, basename="list-cached")
for prefix, viewset in guarded.VIEWSETS.items():
    router.register(f"guarded-{prefix.replace('_', '-')}", viewset, basename=f"g-{prefix}")
for prefix, viewset in uploads.VIEWSETS.items():
    router.register(prefix.replace("_", "-"), viewset, basename=prefix)
router.register("scoped-customers", scoped.ScopedCustomers, basename="scoped-customer")
router.register("hl-categories", hyperlinked.HyperlinkedCategories, basename="hl-category")
router.register("hl-customers", hyperlinked.LinkedCustomers, basename="hl-customer")
try:  # django-filter is an optional extra: the oldest-combination session runs without it
    from tests.testapp import filtering
except ImportError:
    pass
else:
    router.register("filtered-fields", filtering.FieldFilteredCustomers, basename="ff")
    router.register("filtered-class", filtering.ClassFilteredCustomers, basename="fc")

if getattr(settings, "HISTORY", False):  # django-simple-history and django-crum (test dependencies)
    from tests.historyapp.views import LedgerViewSet

    router.register("ledgers", LedgerViewSet, basename="ledger")
try:  # adrf (async ViewSets) is optional too
    from tests.testapp.async_views import AsyncCategories
except ImportError:
    pass
else:
    router.register("async-categories", AsyncCategories, basename="async-category")

urlpatterns = [
    path("api/", include(router.urls)),
    path("api/v2/customers/", apiviews.CustomerListCreate.as_view(), name="v2-customers"),
    path("api/v2/customers/<int:pk>/", apiviews.CustomerDetail.as_view(), name="v2-customer"),
    path("api/status/", apiviews.StatusView.as_view(), name="status"),
    path("api/export/", apiviews.ExportView.as_view(), name="export"),
    path("mcp/", include("drf_mcp_bridge.urls")),
]
try:  # django-oauth-toolkit is an optional extra too
    from drf_mcp_bridge.contrib.oauth_urls import oauth_urlpatterns
except ImportError:
    pass
else:
    from tests.testapp.oauth_guarded import ReportCategories

    oauth_router = SimpleRouter()
    oauth_router.register("reports", ReportCategories, basename="report")
    urlpatterns += [path("api/", include(oauth_router.urls)), *oauth_urlpatterns()]
