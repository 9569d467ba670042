from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tests.testapp import kitchen, views

router = DefaultRouter()
router.register("customers", views.CustomerViewSet)
router.register("categories", views.CategoryViewSet)
router.register("invoices", views.InvoiceViewSet)
router.register("knowledge-notes", views.NoteViewSet)
router.register("plain-customers", views.PlainCustomerViewSet, basename="plain-customer")
router.register("exploding", views.ExplodingViewSet, basename="exploding")
router.register("refusing", views.WritesThenRefusesViewSet, basename="refusing")
router.register("kitchen", kitchen.KitchenSinkViewSet, basename="kitchen")

urlpatterns = [
    path("api/", include(router.urls)),
    path("mcp/", include("rest_framework_mcp.urls")),
]
