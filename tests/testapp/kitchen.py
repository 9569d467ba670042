"""A serializer with every built-in DRF field, exposed as tools (schemas and property tests)."""

from __future__ import annotations

import os
from typing import Any

from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from drf_mcp_bridge import mcp_action, mcp_viewset
from drf_mcp_bridge.schema.extensions import mcp_instruction

from . import views  # noqa: F401  (the main ViewSets register, and list, first)
from .models import Category, Note

COLOURS = [("r", "Red"), ("g", "Green"), ("b", "Blue")]
HERE = os.path.dirname(__file__)


@mcp_instruction("Must not be 13.")
def not_thirteen(value: int) -> None:
    if value == 13:
        raise serializers.ValidationError("13 is not allowed.")


def no_swearing(value: str) -> None:
    """Must not contain the word "darn"."""
    if "darn" in value:
        raise serializers.ValidationError("No swearing.")


class PartSerializer(serializers.Serializer):  # type: ignore[type-arg]
    label = serializers.CharField(max_length=20)
    weight = serializers.IntegerField(min_value=0, required=False)


class KitchenSinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    boolean = serializers.BooleanField(help_text="A plain yes/no.")
    char = serializers.CharField(min_length=2, max_length=10, validators=[no_swearing])
    blank_char = serializers.CharField(allow_blank=True, required=False, label="Optional text")
    raw_char = serializers.CharField(trim_whitespace=False, required=False, allow_blank=True)
    email = serializers.EmailField(required=False)
    regex = serializers.RegexField(r"^[a-z]{3}\d$", required=False)
    slug = serializers.SlugField(required=False)
    url = serializers.URLField(required=False)
    uuid = serializers.UUIDField(required=False)
    ipv4 = serializers.IPAddressField(protocol="IPv4", required=False)
    ip_any = serializers.IPAddressField(required=False)
    integer = serializers.IntegerField(min_value=-5, max_value=500, validators=[not_thirteen])
    floating = serializers.FloatField(min_value=0, max_value=1, required=False)
    money = serializers.DecimalField(max_digits=6, decimal_places=2, required=False)
    money_number = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False, required=False
    )
    when = serializers.DateTimeField(required=False)
    day = serializers.DateField(required=False)
    at = serializers.TimeField(required=False)
    span = serializers.DurationField(required=False)
    colour = serializers.ChoiceField(choices=COLOURS)
    maybe_colour = serializers.ChoiceField(choices=COLOURS, allow_null=True, required=False)
    colours = serializers.MultipleChoiceField(choices=COLOURS, required=False)
    path = serializers.FilePathField(path=HERE, match=r"^(kitchen|models)\.py$", required=False)
    tags = serializers.ListField(
        child=serializers.CharField(max_length=5), min_length=1, max_length=3, required=False
    )
    scores = serializers.DictField(child=serializers.IntegerField(), required=False)
    labels = serializers.HStoreField(required=False)
    blob = serializers.JSONField(required=False)
    hidden = serializers.HiddenField(default="set-by-server")
    note_text = serializers.ModelField(
        model_field=Note._meta.get_field("text"), required=False, write_only=True
    )
    part = PartSerializer(required=False)
    parts = PartSerializer(many=True, required=False)
    category = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), required=False, allow_null=True
    )
    categories = serializers.PrimaryKeyRelatedField(
        queryset=Category.objects.all(), many=True, required=False
    )
    category_name = serializers.SlugRelatedField(
        slug_field="name", queryset=Category.objects.all(), required=False
    )
    computed = serializers.SerializerMethodField()
    echo = serializers.ReadOnlyField(default="read-only")

    def get_computed(self, obj: Any) -> list[int]:
        return [1, 2, 3]

    def validate_integer(self, value: int) -> int:
        """Must be even when colour is "r"."""
        return value


class KitchenSinkViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    """Validates every kind of DRF field and echoes what it accepted."""

    serializer_class = KitchenSinkSerializer
    queryset = Category.objects.none()

    # Its own create(): what it answers is up to its code, so the tool has an
    # outputSchema only because it is declared here (docs/schemas.md).
    @mcp_action(output_schema=KitchenSinkSerializer)
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.data, status=status.HTTP_201_CREATED)


mcp_viewset(name="kitchen")(KitchenSinkViewSet)
