"""DRF serializer fields → JSON Schema (2020-12).

Lookup in layers: a mapping registered for the field's class or one of its bases
(dispatch on the MRO, most specific first), else a permissive schema and a warning. One
unknown field never breaks ``tools/list``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core import validators as django_validators
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.fields import empty

logger = logging.getLogger("rest_framework_mcp.schema")

if TYPE_CHECKING:
    from typing import TypeAlias

    AnyField: TypeAlias = serializers.Field[Any, Any, Any, Any]
    AnySerializer: TypeAlias = serializers.BaseSerializer[Any]

Schema = dict[str, Any]
FieldMapper = Callable[["AnyField", str], Schema]  # (field, direction) -> schema

#: A decimal number as DRF renders and parses it ("12.50", "-3", "1e3" is refused).
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
#: Formats kept in output schemas. Clients validate structuredContent with format
#: checks on (the TypeScript SDK uses ajv-formats), and stored data does not always
#: satisfy input-side formats: a blank EmailField, a relative URL, a time without zone.
SAFE_OUTPUT_FORMATS = {"uuid", "date", "date-time", "ipv4", "ipv6"}

#: Field class → mapper. Consulted along the field's MRO.
FIELD_MAPPERS: dict[type[Any], FieldMapper] = {}


def register_field(*field_classes: type[Any]) -> Callable[[FieldMapper], FieldMapper]:
    def decorator(func: FieldMapper) -> FieldMapper:
        for cls in field_classes:
            FIELD_MAPPERS[cls] = func
        return func

    return decorator


def _const(schema: Schema) -> FieldMapper:
    def mapper(field: AnyField, direction: str) -> Schema:
        return dict(schema)

    return mapper


for _cls, _schema in [
    (drf_fields.BooleanField, {"type": "boolean"}),
    (drf_fields.IntegerField, {"type": "integer"}),
    (drf_fields.FloatField, {"type": "number"}),
    (drf_fields.EmailField, {"type": "string", "format": "email"}),
    (drf_fields.URLField, {"type": "string", "format": "uri"}),
    (drf_fields.UUIDField, {"type": "string", "format": "uuid"}),
    (drf_fields.DateTimeField, {"type": "string", "format": "date-time"}),
    (drf_fields.DateField, {"type": "string", "format": "date"}),
    (drf_fields.TimeField, {"type": "string", "format": "time"}),
    (
        drf_fields.DurationField,
        {"type": "string", "description": 'A duration as "[DD] [HH:[MM:]]ss[.uuuuuu]".'},
    ),
    (drf_fields.CharField, {"type": "string"}),
    (drf_fields.JSONField, {}),
    (drf_fields.DictField, {"type": "object"}),
    (drf_fields.ReadOnlyField, {}),
    (drf_fields.SerializerMethodField, {}),
    (relations.StringRelatedField, {"type": "string"}),
    (relations.HyperlinkedRelatedField, {"type": "string", "format": "uri"}),
    (relations.SlugRelatedField, {"type": "string"}),
    (drf_fields.FileField, {"type": "string"}),
]:
    FIELD_MAPPERS[_cls] = _const(_schema)


@register_field(drf_fields.IPAddressField)
def _ip_address(field: AnyField, direction: str) -> Schema:
    protocol = getattr(field, "protocol", "both")
    if protocol == "ipv4":
        return {"type": "string", "format": "ipv4"}
    if protocol == "ipv6":
        return {"type": "string", "format": "ipv6"}
    return {"type": "string", "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]}


@register_field(drf_fields.DecimalField)
def _decimal(field: AnyField, direction: str) -> Schema:
    coerce = getattr(field, "coerce_to_string", None)
    if coerce is None:
        from rest_framework.settings import api_settings

        coerce = api_settings.COERCE_DECIMAL_TO_STRING
    if direction == "output":
        if coerce:
            # "decimal" is no JSON Schema format (validators warn on unknown formats).
            return {"type": "string", "pattern": DECIMAL_PATTERN}
        return {"type": "number"}
    # DRF accepts both numbers and numeric strings on input.
    schema: Schema = {"type": ["string", "number"], "pattern": DECIMAL_PATTERN}
    places = getattr(field, "decimal_places", None)
    digits = getattr(field, "max_digits", None)
    if digits is not None and places is not None:
        schema["description"] = f"At most {digits} digits, {places} after the decimal point."
    return schema


@register_field(drf_fields.ChoiceField)
def _choice(field: AnyField, direction: str) -> Schema:
    choices = list(getattr(field, "choices", {}).items())
    values = [_json_scalar(key) for key, _label in choices]
    schema: Schema = {"enum": values}
    types = sorted({_json_type_name(v) for v in values})
    if len(types) == 1:
        schema = {"type": types[0], "enum": values}
    labels = [f"{key}: {label}" for key, label in choices if str(key) != str(label)]
    if labels and len(labels) <= 30:
        schema["description"] = "Choices: " + "; ".join(labels) + "."
    if getattr(field, "allow_blank", False) and "" not in values:
        schema["enum"] = [*values, ""]
    return schema


@register_field(drf_fields.MultipleChoiceField)
def _multiple_choice(field: AnyField, direction: str) -> Schema:
    return {"type": "array", "items": _choice(field, direction), "uniqueItems": True}


@register_field(drf_fields.ListField)
def _list(field: AnyField, direction: str) -> Schema:
    child = getattr(field, "child", None)
    schema: Schema = {"type": "array", "items": field_schema(child, direction) if child else {}}
    if getattr(field, "min_length", None) is not None:
        schema["minItems"] = field.min_length  # type: ignore[attr-defined]
    if getattr(field, "max_length", None) is not None:
        schema["maxItems"] = field.max_length  # type: ignore[attr-defined]
    return schema


@register_field(relations.PrimaryKeyRelatedField)
def _primary_key(field: AnyField, direction: str) -> Schema:
    queryset = getattr(field, "queryset", None)
    model = getattr(queryset, "model", None)
    if model is None and getattr(field, "parent", None) is not None:
        model = _related_model(field)
    if model is not None:
        return model_value_schema(model._meta.pk)
    return {"type": ["integer", "string"]}


_INTEGER_MODEL_FIELDS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def model_value_schema(model_field: Any) -> Schema:
    """Schema of a value identifying a row by ``model_field`` (a pk or a lookup field)."""
    internal = model_field.get_internal_type() if model_field is not None else ""
    if internal in _INTEGER_MODEL_FIELDS:
        return {"type": "integer"}
    if internal == "UUIDField":
        return {"type": "string", "format": "uuid"}
    return {"type": "string"}


@register_field(relations.ManyRelatedField)
def _many_related(field: AnyField, direction: str) -> Schema:
    return {"type": "array", "items": field_schema(field.child_relation, direction)}  # type: ignore[attr-defined]


def _related_model(field: AnyField) -> Any:
    parent = field.parent
    model = getattr(getattr(parent, "Meta", None), "model", None)
    if model is None:
        return None
    try:
        return model._meta.get_field(field.source).related_model
    except Exception:
        return None


def _json_scalar(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _json_type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    return "string"


def _base_schema(field: AnyField, direction: str) -> Schema:
    if isinstance(field, serializers.ListSerializer):
        child: Any = field.child
        return {"type": "array", "items": serializer_schema(child, direction)}
    if isinstance(field, serializers.BaseSerializer):
        return serializer_schema(field, direction)
    for cls in type(field).__mro__:
        mapper = FIELD_MAPPERS.get(cls)
        if mapper is not None:
            return mapper(field, direction)
    logger.warning(
        "No JSON Schema mapping for %s.%s (%s); the tool accepts any value for it. "
        "Register one with rest_framework_mcp.schema.fields.register_field.",
        type(getattr(field, "parent", None)).__name__,
        getattr(field, "field_name", "?"),
        type(field).__name__,
    )
    return {}


def _apply_validators(field: AnyField, schema: Schema) -> None:
    is_string = schema.get("type") == "string" or "string" in (schema.get("type") or [])
    for validator in getattr(field, "validators", []):
        if isinstance(validator, django_validators.MaxLengthValidator) and is_string:
            schema["maxLength"] = validator.limit_value
        elif isinstance(validator, django_validators.MinLengthValidator) and is_string:
            schema["minLength"] = validator.limit_value
        elif isinstance(validator, django_validators.MaxValueValidator) and _is_number(
            validator.limit_value
        ):
            schema["maximum"] = validator.limit_value
        elif isinstance(validator, django_validators.MinValueValidator) and _is_number(
            validator.limit_value
        ):
            schema["minimum"] = validator.limit_value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _adjust_formats(field: AnyField, schema: Schema, direction: str) -> None:
    fmt = schema.get("format")
    if fmt is None:
        return
    if direction == "output" and (fmt not in SAFE_OUTPUT_FORMATS or not _iso_output(field, fmt)):
        del schema["format"]
        return
    if getattr(field, "allow_blank", False):
        # "" is valid for a blank-allowed field but fails the format.
        del schema["format"]
        schema["anyOf"] = [{"format": fmt}, {"const": ""}]


def _iso_output(field: AnyField, fmt: str) -> bool:
    """Whether the field renders ``date``/``date-time`` as RFC 3339 says."""
    from django.conf import settings
    from rest_framework import ISO_8601
    from rest_framework.settings import api_settings

    if fmt == "date-time":
        output_format = getattr(field, "format", empty)
        if output_format is empty:
            output_format = api_settings.DATETIME_FORMAT
        # Naive datetimes (USE_TZ=False) have no offset, which RFC 3339 requires.
        return output_format == ISO_8601 and bool(settings.USE_TZ)
    if fmt == "date":
        output_format = getattr(field, "format", empty)
        if output_format is empty:
            output_format = api_settings.DATE_FORMAT
        return bool(output_format == ISO_8601)
    return True


def field_schema(field: AnyField, direction: str = "input") -> Schema:
    """The JSON Schema of one field, for ``direction`` "input" or "output"."""
    schema = _base_schema(field, direction)
    if isinstance(field, serializers.BaseSerializer):
        return _decorate(field, schema, direction)
    _adjust_formats(field, schema, direction)
    if direction == "input":
        _apply_validators(field, schema)
        blank_allowed = getattr(field, "allow_blank", True)
        if isinstance(field, drf_fields.CharField) and not blank_allowed and "enum" not in schema:
            schema.setdefault("minLength", 1)
    return _decorate(field, schema, direction)


def _decorate(field: AnyField, schema: Schema, direction: str) -> Schema:
    if getattr(field, "allow_null", False):
        _make_nullable(schema)
    label = getattr(field, "label", None)
    name = getattr(field, "field_name", None) or ""
    if label and str(label).strip().lower() != name.replace("_", " ").strip().lower():
        schema.setdefault("title", str(label))
    help_text = getattr(field, "help_text", None)
    if help_text:
        described = schema.get("description")
        schema["description"] = str(help_text) + (f" {described}" if described else "")
    if direction == "input" and not getattr(field, "required", False):
        default = getattr(field, "default", empty)
        if default is empty:
            default = _model_default(field)
        if default is not empty and not callable(default):
            # A default the field cannot represent is left out.
            with contextlib.suppress(Exception):
                schema["default"] = (
                    field.to_representation(default) if default is not None else None
                )
    return schema


def _model_default(field: AnyField) -> Any:
    """The model field's default, which ModelSerializer leaves off the serializer field
    (the model applies it when the argument is omitted).
    """
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." in source or source == "*":
        return empty
    try:
        model_field = model._meta.get_field(source)
    except Exception:
        return empty
    if getattr(model_field, "has_default", lambda: False)():
        return model_field.default
    return empty


def _make_nullable(schema: Schema) -> None:
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    current = schema.get("type")
    if current is None:
        if "enum" not in schema and schema:
            # A schema without a type (e.g. a nested object described by properties).
            inner = dict(schema)
            schema.clear()
            schema["anyOf"] = [inner, {"type": "null"}]
        return
    types = current if isinstance(current, list) else [current]
    if "null" not in types:
        schema["type"] = [*types, "null"]


def serializer_schema(serializer: AnySerializer, direction: str) -> Schema:
    """Object schema for a serializer's input ("input") or representation ("output")."""
    if isinstance(serializer, serializers.ListSerializer):
        child: Any = serializer.child
        return {"type": "array", "items": serializer_schema(child, direction)}
    properties: Schema = {}
    required: list[str] = []
    fields = getattr(serializer, "fields", {})
    for name, field in fields.items():
        if direction == "input":
            if field.read_only or isinstance(field, drf_fields.HiddenField):
                continue
        else:
            if field.write_only or isinstance(field, drf_fields.HiddenField):
                continue
        properties[name] = field_schema(field, direction)
        if direction == "input" and field.required:
            required.append(name)
        if direction == "output" and not getattr(field, "allow_null", False):
            required.append(name)
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema
