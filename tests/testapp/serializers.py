from rest_framework import serializers

from .models import Category, Customer, Invoice, Note


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name"]


class CustomerSerializer(serializers.ModelSerializer):
    owner = serializers.ReadOnlyField(source="owner.username")
    secret = serializers.CharField(write_only=True, required=False, max_length=30)
    score = serializers.IntegerField(min_value=0, max_value=100, required=False, default=50)

    class Meta:
        model = Customer
        fields = [
            "id",
            "owner",
            "name",
            "email",
            "tier",
            "credit_limit",
            "vip",
            "notes",
            "category",
            "created",
            "secret",
            "score",
        ]
        # to_representation below only sets "score": the fields render as they are.
        mcp_representation = "fields"

    def create(self, validated_data):  # type: ignore[no-untyped-def]
        validated_data.pop("secret", None)
        validated_data.pop("score", None)
        return super().create(validated_data)

    def update(self, instance, validated_data):  # type: ignore[no-untyped-def]
        validated_data.pop("secret", None)
        validated_data.pop("score", None)
        return super().update(instance, validated_data)

    def to_representation(self, instance):  # type: ignore[no-untyped-def]
        data = super().to_representation(instance)
        data["score"] = 50
        return data


class InvoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invoice
        fields = ["id", "customer", "number", "amount", "due", "paid"]


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "text", "slug"]


class RenameSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=100, help_text="The new name.")
    reason = serializers.CharField(required=False, allow_blank=True)
