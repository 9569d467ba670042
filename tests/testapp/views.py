from rest_framework import mixins, permissions, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle

from rest_framework_mcp import mcp_viewset

from .models import Category, Customer, Invoice, Note
from .permissions import IsOwnerOrStaff
from .serializers import CategorySerializer, CustomerSerializer, InvoiceSerializer, NoteSerializer


class SmallPages(PageNumberPagination):
    page_size = 5
    page_size_query_param = "page_size"
    max_page_size = 50


@mcp_viewset()
class CustomerViewSet(viewsets.ModelViewSet):
    """Customers of the shop. Each belongs to the user who created it."""

    serializer_class = CustomerSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsOwnerOrStaff]
    pagination_class = SmallPages

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return Customer.objects.select_related("owner").all()

    queryset = Customer.objects.all()

    def perform_create(self, serializer):  # type: ignore[no-untyped-def]
        serializer.save(owner=self.request.user)


@mcp_viewset()
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer


@mcp_viewset(exclude=["destroy"], descriptions={"list": "All invoices, newest last."})
class InvoiceViewSet(viewsets.ModelViewSet):
    """Invoices; only authenticated users with a token may use them."""

    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class BurstThrottle(AnonRateThrottle):
    scope = "anon_burst"


@mcp_viewset(name="notes", prefix="kb_")
class NoteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Note.objects.all()
    serializer_class = NoteSerializer
    lookup_field = "slug"
    throttle_classes = [BurstThrottle]


class PlainCustomerViewSet(CustomerViewSet):
    """The same ViewSet, not exposed over MCP: REST answers must be identical."""


class ExplodingViewSet(viewsets.ReadOnlyModelViewSet):
    """Raises an unexpected error: a bug inside a view."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer

    def list(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        Category.objects.create(name="half-written")
        raise RuntimeError("secret internal detail: password=hunter2")


mcp_viewset(name="exploding")(ExplodingViewSet)


class WritesThenRefusesViewSet(viewsets.GenericViewSet):
    """Writes a row, then answers 400 through DRF's exception handling."""

    queryset = Category.objects.all()
    serializer_class = CategorySerializer

    def create(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        from rest_framework.exceptions import ValidationError

        Category.objects.create(name="written-before-400")
        raise ValidationError({"name": ["Refused after writing."]})


mcp_viewset(name="refusing")(WritesThenRefusesViewSet)
