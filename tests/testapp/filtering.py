"""Views filtered with django-filter (optional extra): imported only when it is installed."""

from __future__ import annotations

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, viewsets

from .listing import TwoPerPage
from .models import Category, Customer
from .serializers import CustomerSerializer


class CustomerFilter(django_filters.FilterSet):
    tier = django_filters.ChoiceFilter(choices=Customer.TIERS)
    categories = django_filters.ModelMultipleChoiceFilter(
        field_name="category", queryset=Category.objects.all()
    )
    created = django_filters.DateFromToRangeFilter()
    min_credit = django_filters.NumberFilter(
        field_name="credit_limit", lookup_expr="gte", label="Credit limit at least"
    )
    ids = django_filters.BaseInFilter(field_name="id")
    sort = django_filters.OrderingFilter(fields=["name", "credit_limit"])

    class Meta:
        model = Customer
        fields = ["vip"]


class FieldFilteredCustomers(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    queryset = Customer.objects.order_by("id")
    serializer_class = CustomerSerializer
    permission_classes: list[type] = []
    pagination_class = TwoPerPage
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = {
        "tier": ["exact"],
        "credit_limit": ["gte", "lte"],
        "name": ["icontains"],
        "category": ["exact", "isnull"],
    }
    search_fields = ["name", "email"]
    ordering_fields = ["name", "credit_limit"]


class ClassFilteredCustomers(FieldFilteredCustomers):
    filter_backends = [DjangoFilterBackend]
    filterset_class = CustomerFilter


# At scale (issue 14): a NetBox-style filterset, where every declared filter is repeated
# under suffix aliases of its lookups ("name__ic", "name__n", ...), over a field with 600
# choices, plus slug-like model choice filters (to_field_name) and range lookups.
SCALE_NAMES = ["Ann", "Annabel", "Bob", "Cid", "Dan"] + [f"customer-{i:03}" for i in range(595)]
SCALE_LOOKUPS = {
    "n": ("exact", True),
    "ie": ("iexact", False),
    "nie": ("iexact", True),
    "ic": ("icontains", False),
    "nic": ("icontains", True),
    "isw": ("istartswith", False),
    "nisw": ("istartswith", True),
    "iew": ("iendswith", False),
    "niew": ("iendswith", True),
}


def _with_lookups(name: str, filter_class: type, **options: object) -> dict[str, object]:
    """The filter ``name`` and one copy per suffix of SCALE_LOOKUPS, NetBox-style."""
    made: dict[str, object] = {name: filter_class(field_name=name, **options)}
    for suffix, (lookup, exclude) in SCALE_LOOKUPS.items():
        made[f"{name}__{suffix}"] = filter_class(
            field_name=name, lookup_expr=lookup, exclude=exclude, **options
        )
    return made


class _ScaleMeta:
    model = Customer
    fields = {
        "credit_limit": ["exact", "gt", "gte", "lt", "lte", "in", "range", "icontains"],
        "tier": ["exact", "in", "icontains"],
        "email": ["exact", "isnull", "istartswith", "regex"],
        "category": ["exact", "in", "isnull"],
        "created": ["date__gte", "year"],
    }


ScaleCustomerFilter = type(django_filters.FilterSet)(
    "ScaleCustomerFilter",
    (django_filters.FilterSet,),
    {
        **_with_lookups(
            "name", django_filters.MultipleChoiceFilter, choices=[(n, n) for n in SCALE_NAMES]
        ),
        "category_name": django_filters.ModelMultipleChoiceFilter(
            field_name="category__name",
            to_field_name="name",
            queryset=Category.objects.all(),
        ),
        "category_name__n": django_filters.ModelMultipleChoiceFilter(
            field_name="category__name",
            to_field_name="name",
            queryset=Category.objects.all(),
            exclude=True,
        ),
        "one_category": django_filters.ModelChoiceFilter(
            field_name="category__name", to_field_name="name", queryset=Category.objects.all()
        ),
        "credit": django_filters.RangeFilter(field_name="credit_limit"),
        "created_on": django_filters.DateFromToRangeFilter(field_name="created"),
        "Meta": _ScaleMeta,
    },
)


class ScaleFilteredCustomers(FieldFilteredCustomers):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ScaleCustomerFilter


class ExactOnlyCustomers(ScaleFilteredCustomers):
    mcp_filter_lookups = "exact"
