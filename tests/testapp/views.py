from typing import Any

from rest_framework import mixins, permissions, viewsets
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from drf_mcp_bridge import current_call, mcp_action, mcp_viewset

from .models import Category, Customer, Invoice, Note
from .permissions import IsOwnerOrStaff
from .serializers import (
    CategorySerializer,
    CustomerSerializer,
    InvoiceSerializer,
    NoteSerializer,
    RenameSerializer,
)


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

    @action(detail=True, methods=["post"], serializer_class=RenameSerializer)
    def rename(self, request, pk=None):  # type: ignore[no-untyped-def]
        """Rename a customer; the reason is kept in the notes."""
        customer = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer.name = serializer.validated_data["name"]
        reason = serializer.validated_data.get("reason")
        if reason:
            customer.notes = f"Renamed: {reason}"
        customer.save()
        return Response(CustomerSerializer(customer).data)

    @mcp_action(listing=True)
    @action(detail=False)
    def vips(self, request):  # type: ignore[no-untyped-def]
        """VIP customers, paginated like the list."""
        queryset = self.filter_queryset(self.get_queryset().filter(vip=True))
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    @mcp_action(input_schema={"type": "object"})  # no body: only the lookup
    @action(detail=True, methods=["get", "post"])
    def flag(self, request, pk=None):  # type: ignore[no-untyped-def]
        customer = self.get_object()
        if request.method == "POST":
            customer.vip = True
            customer.save(update_fields=["vip"])
        return Response({"id": customer.pk, "vip": customer.vip})

    @flag.mapping.delete
    def unflag(self, request, pk=None):  # type: ignore[no-untyped-def]
        """Take the VIP flag off a customer."""
        customer = self.get_object()
        customer.vip = False
        customer.save(update_fields=["vip"])
        return Response(status=204)

    @action(detail=False, methods=["post"])
    @mcp_action(exclude=True)
    def reset_all(self, request):  # type: ignore[no-untyped-def]
        """Not for assistants."""
        return Response({"reset": True})

    @mcp_action(
        name="customer_stats",
        description="How many customers there are, by tier.",
        output_schema={
            "type": "object",
            "properties": {"total": {"type": "integer"}, "by_tier": {"type": "object"}},
            "required": ["total", "by_tier"],
        },
    )
    @action(detail=False, url_path="stats/summary")
    def stats(self, request):  # type: ignore[no-untyped-def]
        by_tier: dict[str, int] = {}
        for customer in self.get_queryset():
            by_tier[customer.tier] = by_tier.get(customer.tier, 0) + 1
        return Response({"total": sum(by_tier.values()), "by_tier": by_tier})


@mcp_viewset()
class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.order_by("id")
    serializer_class = CategorySerializer

    @mcp_action(input_schema={})  # takes no body (check W041 asks it be said)
    @action(detail=False, methods=["post"])
    def recount(self, request: Any) -> Response:
        """Count the categories one by one, reporting progress to MCP clients."""
        call = current_call()  # None over REST
        names = list(self.get_queryset().values_list("name", flat=True))
        for index, _name in enumerate(names, 1):
            if call is not None:
                call.progress(index, len(names), f"counted {index} of {len(names)}")
                call.log("debug", f"counted {_name}")
        # The body is the same over REST and MCP (the parity suite compares them).
        return Response({"count": len(names)}, headers={"X-Via-MCP": str(call is not None)})


@mcp_viewset(exclude=["destroy"], descriptions={"list": "All invoices, newest last."})
class InvoiceViewSet(viewsets.ModelViewSet):
    """Invoices; only authenticated users with a token may use them."""

    queryset = Invoice.objects.all()
    serializer_class = InvoiceSerializer
    authentication_classes = [TokenAuthentication]
    permission_classes = [permissions.IsAuthenticated]


class BurstThrottle(AnonRateThrottle):
    scope = "anon_burst"


@mcp_viewset(name="notes", tool_prefix="kb_")
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
