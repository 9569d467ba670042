"""Field → JSON Schema mapping, metadata, validators and extension layers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import checks
from jsonschema import Draft202012Validator
from rest_framework import serializers

from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.schema import extensions
from drf_mcp_bridge.schema.extensions import FieldExtension, mcp_field_schema
from drf_mcp_bridge.schema.fields import field_schema, python_type_schema, serializer_schema
from tests.testapp.models import Category, Customer, Invoice, Note

pytestmark = pytest.mark.django_db


def props(serializer: Any, direction: str = "input") -> dict[str, Any]:
    schema = serializer_schema(serializer, direction)
    Draft202012Validator.check_schema(schema)
    return schema["properties"]


@pytest.fixture(scope="module")
def kitchen() -> dict[str, dict[str, Any]]:
    from tests.testapp.kitchen import KitchenSinkSerializer

    return {
        "input": serializer_schema(KitchenSinkSerializer(), "input"),
        "output": serializer_schema(KitchenSinkSerializer(), "output"),
    }


def test_kitchen_input(kitchen: dict[str, dict[str, Any]]) -> None:
    p = kitchen["input"]["properties"]
    assert p["boolean"] == {"type": "boolean", "description": "A plain yes/no."}
    assert p["char"]["minLength"] == 2 and p["char"]["maxLength"] == 10
    assert p["char"]["pattern"] == r"^\S([\s\S]*\S)?$"  # trimmed before the length check
    assert p["blank_char"] == {"type": "string", "title": "Optional text"}
    assert p["raw_char"] == {"type": "string"}  # trim_whitespace=False, blank allowed
    assert p["email"]["format"] == "email"
    assert p["regex"]["pattern"] == r"^[a-z]{3}\d$"
    assert p["slug"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert p["url"]["format"] == "uri" and p["url"]["pattern"] == "^(https?|ftps?)://"
    assert p["uuid"] == {"type": "string", "format": "uuid"}
    assert p["ipv4"]["format"] == "ipv4"
    assert p["ip_any"]["anyOf"] == [{"format": "ipv4"}, {"format": "ipv6"}]
    assert (p["integer"]["minimum"], p["integer"]["maximum"]) == (-5, 500)
    assert (p["floating"]["type"], p["floating"]["minimum"], p["floating"]["maximum"]) == (
        "number",
        0,
        1,
    )
    assert p["money"] == {
        "type": "string",
        "pattern": r"^-?\d{1,4}(\.\d{1,2})?$",
        "description": "Decimal as a string.",
    }
    assert p["when"]["format"] == "date-time" and p["day"]["format"] == "date"
    assert p["at"]["format"] == "time"
    assert "[DD] [HH:[MM:]]ss" in p["span"]["description"] and p["span"]["pattern"]
    assert p["colour"]["enum"] == ["r", "g", "b"] and "r: Red" in p["colour"]["description"]
    assert p["maybe_colour"]["enum"] == ["r", "g", "b", None]
    assert p["maybe_colour"]["type"] == ["string", "null"]
    assert p["colours"]["type"] == "array" and p["colours"]["uniqueItems"] is True
    assert p["path"]["enum"][0] == "" and any(v.endswith("kitchen.py") for v in p["path"]["enum"])
    assert p["tags"] == {
        "type": "array",
        "items": {"type": "string", "maxLength": 5, "pattern": r"\S"},
        "minItems": 1,
        "maxItems": 3,
    }
    assert p["scores"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert p["labels"]["additionalProperties"]["type"] == ["string", "null"]
    assert p["blob"] == {"type": ["object", "array", "string", "number", "boolean"]}
    assert "hidden" not in p and "computed" not in p and "echo" not in p
    assert p["note_text"] == {"type": "string"}
    # PartSerializer is used twice: described once in $defs, referenced twice.
    assert p["part"] == {"$ref": "#/$defs/Part"}
    assert p["parts"] == {"type": "array", "items": {"$ref": "#/$defs/Part"}}
    assert kitchen["input"]["$defs"]["Part"]["required"] == ["label"]
    assert p["category"]["type"] == ["integer", "null"]
    assert p["categories"] == {
        "type": "array",
        "items": {"type": "integer"},
        # categories_retrieve is exposed: the model is told how to follow the relation.
        "description": "Ids of categories; read one with categories_retrieve.",
    }
    assert p["category"]["description"] == "Id of a category; read it with categories_retrieve."
    assert p["category_name"] == {"type": "string"}  # the slug field's type
    assert kitchen["input"]["required"] == ["boolean", "char", "integer", "colour"]


def test_kitchen_output(kitchen: dict[str, dict[str, Any]]) -> None:
    p = kitchen["output"]["properties"]
    assert "hidden" not in p and "note_text" not in p  # hidden and write-only
    assert p["computed"] == {"type": "array", "items": {"type": "integer"}}
    # A plain serializer's field may render null: DRF renders None for an attribute that
    # is None without asking the field (only a non-null model field is known not to be).
    assert p["money"] == {"type": ["string", "null"], "pattern": r"^-?\d+(\.\d+)?$"}
    assert p["money_number"] == {"type": ["number", "null"]}  # coerce_to_string=False
    assert "format" not in p["email"] and "format" not in p["at"]  # unreliable on output
    assert p["when"]["format"] == "date-time"
    assert set(kitchen["output"]["required"]) == {
        "boolean",
        "char",
        "integer",
        "colour",
        "computed",
        "echo",
    }


def test_validator_instructions(kitchen: dict[str, dict[str, Any]]) -> None:
    p = kitchen["input"]["properties"]
    assert p["char"]["description"] == 'Must not contain the word "darn".'  # docstring
    assert p["integer"]["description"] == (
        'Must not be 13. Must be even when colour is "r".'  # @mcp_instruction, validate_x
    )


def test_unique_validators_become_instructions() -> None:
    from tests.testapp.serializers import InvoiceSerializer

    assert props(InvoiceSerializer())["number"]["description"] == "Must be unique among invoices."

    class PairSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
        class Meta:
            model = Invoice
            fields = ["customer", "due"]
            validators = [
                serializers.UniqueTogetherValidator(
                    queryset=Invoice.objects.all(), fields=["customer", "due"]
                )
            ]

        def validate(self, attrs: Any) -> Any:
            """The due date must be after the customer joined."""
            return attrs

    schema = serializer_schema(PairSerializer(), "input")
    assert schema["description"] == (
        "The combination of customer, due must be unique among invoices. "
        "The due date must be after the customer joined."
    )


def test_relations_and_depth() -> None:
    class Deep(serializers.ModelSerializer):  # type: ignore[type-arg]
        owner_name = serializers.StringRelatedField(source="owner")
        link = serializers.HyperlinkedIdentityField(view_name="customer-detail")
        everything = serializers.SerializerMethodField()

        class Meta:
            model = Customer
            fields = ["id", "category", "owner_name", "link", "everything"]
            depth = 1

        def get_everything(self, obj: Any) -> dict[str, int] | None:
            return None

    out = props(Deep(), "output")
    assert out["category"]["properties"]["name"]["type"] == "string"  # depth=1
    assert out["category"]["type"] == ["object", "null"]  # a nullable relation
    assert out["owner_name"] == {"type": "string"}
    assert out["link"] == {"type": "string", "format": "uri"}
    assert out["everything"] == {
        "type": ["object", "null"],
        "additionalProperties": {"type": "integer"},
    }


def test_source_star_and_nested_many() -> None:
    class Inner(serializers.Serializer):  # type: ignore[type-arg]
        name = serializers.CharField()

    class Outer(serializers.Serializer):  # type: ignore[type-arg]
        whole = Inner(source="*")
        many = Inner(many=True, allow_empty=False)

    p = props(Outer())
    # Inner is small: cheaper inline twice than as a $ref.
    inner = {
        "type": "object",
        "properties": {"name": {"type": "string", "pattern": r"\S"}},
        "required": ["name"],
    }
    assert p["whole"] == inner
    assert p["many"] == {"type": "array", "items": inner, "minItems": 1}


def test_many_related_fields_and_list_serializers() -> None:
    class Related(serializers.Serializer):  # type: ignore[type-arg]
        ids = serializers.PrimaryKeyRelatedField(queryset=Category.objects.all(), many=True)
        names = serializers.SlugRelatedField(
            slug_field="name", queryset=Category.objects.all(), many=True, required=False
        )
        links = serializers.HyperlinkedRelatedField(
            view_name="customer-detail", read_only=True, many=True
        )

    fields = Related().fields
    assert isinstance(fields["ids"], serializers.ManyRelatedField)
    p = props(Related())
    assert p["ids"]["items"] == {"type": "integer"} and p["ids"]["type"] == "array"
    assert p["names"]["type"] == "array" and p["names"]["items"]["type"] == "string"
    assert "links" not in p  # read-only
    out = props(Related(), "output")
    assert out["links"] == {"type": "array", "items": {"type": "string", "format": "uri"}}

    class Row(serializers.Serializer):  # type: ignore[type-arg]
        n = serializers.IntegerField()

    listed = serializer_schema(Row(many=True), "input")
    assert isinstance(Row(many=True), serializers.ListSerializer)
    assert listed == {
        "type": "array",
        "items": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
    }


def test_file_fields() -> None:
    class Upload(serializers.Serializer):  # type: ignore[type-arg]
        document = serializers.FileField()
        picture = serializers.ImageField(required=False)

    assert props(Upload(), "output")["document"]["format"] == "uri"
    document = props(Upload())["document"]
    assert document["required"] == ["filename", "content"]
    assert document["description"].startswith("A file: its name and its content in base64")
    assert props(Upload())["picture"]["description"].startswith("An image:")


@pytest.mark.parametrize(
    ("annotation", "schema"),
    [
        (int, {"type": "integer"}),
        (str | None, {"type": ["string", "null"]}),
        (list[str], {"type": "array", "items": {"type": "string"}}),
        (dict, {"type": "object"}),
        (Any, {}),
    ],
)
def test_python_type_schema(annotation: Any, schema: Any) -> None:
    assert python_type_schema(annotation) == schema


def test_title_only_when_it_adds_something() -> None:
    class Labels(serializers.Serializer):  # type: ignore[type-arg]
        first_name = serializers.CharField(label="First name")
        nick = serializers.CharField(label="Nickname")

    p = props(Labels())
    assert "title" not in p["first_name"]
    assert p["nick"]["title"] == "Nickname"


def test_regex_that_cannot_be_translated_is_described() -> None:
    class Flags(serializers.Serializer):  # type: ignore[type-arg]
        code = serializers.RegexField(r"(?i)^ab\d+$")

    p = props(Flags())["code"]
    assert "pattern" not in p or p["pattern"] == r"\S"
    assert "(?i)^ab" in p["description"]


# extension layers --------------------------------------------------------------------


class Colour(serializers.CharField):
    pass


@pytest.fixture
def clean_extensions() -> Iterator[None]:
    before = list(FieldExtension.registry)
    yield
    FieldExtension.registry[:] = before
    for cls in (Colour,):
        cls.__dict__.get("_mcp_schema") and delattr(cls, "_mcp_schema")


def test_layers(clean_extensions: None) -> None:
    class Paint(serializers.Serializer):  # type: ignore[type-arg]
        plain = Colour()
        styled = Colour(style={"mcp_schema": {"type": "string", "const": "x"}})
        meta = Colour()

        class Meta:
            mcp_field_schemas = {"meta": {"type": "string", "enum": ["m"]}}

    assert props(Paint())["plain"]["type"] == "string"  # MRO: CharField

    mcp_field_schema({"type": "string", "pattern": "^#[0-9a-f]{6}$"})(Colour)
    assert props(Paint())["plain"]["pattern"] == "^#[0-9a-f]{6}$"  # declared on the class

    class ColourExtension(FieldExtension):
        target_class = "tests.test_schema_fields.Colour"  # a dotted path works too

        def map(self, field: Any, direction: str) -> dict[str, Any]:
            return {"type": "string", "enum": ["red", "green"]}

    p = props(Paint())
    assert p["plain"]["enum"] == ["red", "green"]  # a registered extension wins
    assert p["styled"] == {"type": "string", "const": "x"}  # per-field override wins all
    assert p["meta"] == {"type": "string", "enum": ["m"]}


def test_drf_spectacular_annotations_are_honoured() -> None:
    # The oldest-combination session runs without the optional extra installed.
    pytest.importorskip("drf_spectacular")
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import extend_schema_field

    @extend_schema_field({"type": "string", "nullable": True, "example": "x", "maxLength": 3})
    class Short(serializers.Field):  # type: ignore[type-arg]
        pass

    @extend_schema_field(OpenApiTypes.UUID)
    class Ident(serializers.Field):  # type: ignore[type-arg]
        pass

    class Annotated(serializers.Serializer):  # type: ignore[type-arg]
        short = Short()
        ident = Ident()

    p = props(Annotated())
    assert p["short"] == {"type": ["string", "null"], "maxLength": 3}
    assert p["ident"] == {"type": "string", "format": "uuid"}


def test_drf_spectacular_field_extensions_are_honoured() -> None:
    pytest.importorskip("drf_spectacular")
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension

    class Colour(serializers.Field):  # type: ignore[type-arg]
        pass

    class ColourExtension(OpenApiSerializerFieldExtension):
        target_class = Colour

        def map_serializer_field(self, auto_schema: Any, direction: str) -> Any:
            return {"type": "string", "pattern": "^#[0-9a-f]{6}$", "nullable": True}

    class Painted(serializers.Serializer):  # type: ignore[type-arg]
        colour = Colour()

    try:
        assert props(Painted())["colour"] == {
            "type": ["string", "null"],
            "pattern": "^#[0-9a-f]{6}$",
        }
    finally:
        OpenApiSerializerFieldExtension._registry.remove(ColourExtension)


def test_unknown_field_is_permissive_with_warning_and_check(caplog: Any) -> None:
    class Mystery(serializers.Field):  # type: ignore[type-arg]
        pass

    class WithMystery(serializers.Serializer):  # type: ignore[type-arg]
        thing = Mystery()

    extensions.UNMAPPED.clear()
    with caplog.at_level("WARNING", logger="drf_mcp_bridge.schema"):
        assert field_schema(WithMystery().fields["thing"]) == {}
    # The serializer is named by its dotted path: the same class name in two apps differs.
    serializer = f"{__name__}.{WithMystery.__qualname__}"
    assert f"No JSON Schema mapping for {serializer}.thing (Mystery)" in caplog.text
    try:
        found = [m for m in checks.run_checks() if m.id == "drf_mcp_bridge.W002"]
        assert [m.msg for m in found] == [
            f"Field 'thing' of serializer {serializer} (Mystery) has no JSON Schema mapping; "
            "tools accept any value for it."
        ]
    finally:
        extensions.UNMAPPED.clear()


def test_every_tool_schema_is_valid_2020_12() -> None:
    for definition in registry.tool_definitions():
        Draft202012Validator.check_schema(definition["inputSchema"])
        if "outputSchema" in definition:
            Draft202012Validator.check_schema(definition["outputSchema"])


def test_model_metadata() -> None:
    class Cat(serializers.ModelSerializer):  # type: ignore[type-arg]
        class Meta:
            model = Category
            fields = ["name"]

    class NoteS(serializers.ModelSerializer):  # type: ignore[type-arg]
        class Meta:
            model = Note
            fields = ["slug"]

    name = props(Cat())["name"]
    assert name["description"] == "Short category name. Must be unique among categories."
    assert props(NoteS())["slug"]["pattern"] == "^[-a-zA-Z0-9_]+$"
