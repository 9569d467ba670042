"""DRF serializer fields → JSON Schema 2020-12, for tool input and output.

``direction`` is "input" (what the serializer accepts) or "output" (what it renders).
The lookup goes through the layers described in :mod:`.extensions`; one unknown field
never breaks ``tools/list``.
"""

from __future__ import annotations

import contextlib
import datetime
import decimal
import enum
import inspect
import logging
import re
import types
import typing
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.core import validators as django_validators
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers
from rest_framework.fields import empty

from ..conf.settings import mcp_settings
from . import extensions
from .compact import NAME_KEY, compact
from .regex import python_regex_to_ecma
from .safe import json_schema_type
from .sources import relation_readers, schema_source

logger = logging.getLogger("drf_mcp_bridge.schema")

if TYPE_CHECKING:
    from typing import TypeAlias

    AnyField: TypeAlias = serializers.Field[Any, Any, Any, Any]
    AnySerializer: TypeAlias = serializers.BaseSerializer[Any]

Schema = dict[str, Any]
FieldMapper = Callable[["AnyField", str], Schema]  # (field, direction) -> schema

#: A decimal number as DRF renders and parses it ("12.50", "-3"; "1e3" is refused).
DECIMAL_PATTERN = r"^-?\d+(\.\d+)?$"
#: Formats kept in output schemas. Clients validate structuredContent with format
#: checks on (the TypeScript SDK uses ajv-formats), and stored data does not always
#: satisfy input-side formats: a blank EmailField, a time without zone.
SAFE_OUTPUT_FORMATS = {"uuid", "date", "date-time", "ipv4", "ipv6", "uri"}
DURATION_DESCRIPTION = 'A duration as "[DD] [HH:[MM:]]ss[.uuuuuu]", e.g. "1 02:03:04".'
DURATION_PATTERN = r"^(-?[0-9]{1,6} )?([0-9]{1,2}:)?([0-9]{1,2}:)?[0-9]{1,2}(\.[0-9]{1,6})?$"
#: The schemes Django's URLValidator accepts.
URL_PATTERN = r"^(https?|ftps?)://"
#: trim_whitespace: DRF strips the value before checking blank and length.
NOT_BLANK_PATTERN = r"\S"

#: Field class → mapper, consulted along the field's MRO (most specific first).
FIELD_MAPPERS: dict[type[Any], FieldMapper] = {}


def register_field(*field_classes: type[Any]) -> Callable[[FieldMapper], FieldMapper]:
    """Register ``func(field, direction) -> schema`` for field classes and subclasses."""

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
    (drf_fields.EmailField, {"type": "string", "format": "email"}),
    (drf_fields.DateField, {"type": "string", "format": "date"}),
    (drf_fields.TimeField, {"type": "string", "format": "time"}),
    (
        drf_fields.DurationField,
        {"type": "string", "pattern": DURATION_PATTERN, "description": DURATION_DESCRIPTION},
    ),
    (drf_fields.CharField, {"type": "string"}),
    (relations.StringRelatedField, {"type": "string"}),
    (relations.HyperlinkedRelatedField, {"type": "string", "format": "uri"}),
]:
    FIELD_MAPPERS[_cls] = _const(_schema)


@register_field(drf_fields.URLField)
def _url(field: AnyField, direction: str) -> Schema:
    if direction == "input":
        return {"type": "string", "format": "uri", "pattern": URL_PATTERN}
    return {"type": "string", "format": "uri"}


@register_field(drf_fields.DateTimeField)
def _datetime(field: AnyField, direction: str) -> Schema:
    return {"type": "string", "format": "date-time"}


@register_field(drf_fields.UUIDField)
def _uuid(field: AnyField, direction: str) -> Schema:
    if direction == "output" and getattr(field, "uuid_format", "hex_verbose") != "hex_verbose":
        return {"type": "string", "description": f"A UUID ({field.uuid_format} form)."}  # type: ignore[attr-defined]
    return {"type": "string", "format": "uuid"}


@register_field(drf_fields.IntegerField)
def _integer(field: AnyField, direction: str) -> Schema:
    return {"type": "integer"}


@register_field(drf_fields.FloatField)
def _float(field: AnyField, direction: str) -> Schema:
    return {"type": "number"}


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
        # "decimal" is no JSON Schema format (validators warn about unknown formats).
        return {"type": "string", "pattern": DECIMAL_PATTERN} if coerce else {"type": "number"}
    # DRF accepts numeric strings and numbers, but binary floats cannot carry decimals
    # exactly (1.7 arrives as 1.7000000000000002 from some clients and then has too many
    # digits), so the schema asks for a string, bounded by max_digits and decimal_places.
    places = getattr(field, "decimal_places", None)
    digits = getattr(field, "max_digits", None)
    schema: Schema = {"type": "string", "pattern": DECIMAL_PATTERN}
    if digits is not None and places is not None:
        fraction = rf"(\.\d{{1,{places}}})?" if places else ""
        schema["pattern"] = rf"^-?\d{{1,{max(digits - places, 1)}}}{fraction}$"
    schema["description"] = "Decimal as a string."
    return schema


@register_field(drf_fields.ChoiceField)
def _choice(field: AnyField, direction: str) -> Schema:
    choices = list(getattr(field, "choices", {}).items())
    accepted = _accepted_strings(field)
    values = [_choice_value(key, accepted) for key, _label in choices]
    if not choices:
        # Choices filled per request (by the user, the tenant) are empty when the tool is
        # described: an empty enum would refuse every value, in calls and results alike.
        return {"description": "One of the choices the server offers for this field."}
    if getattr(field, "allow_blank", False) and "" not in values:
        values.append("")
    types_ = sorted({_json_type_name(v) for v in values})
    schema: Schema = {"type": types_[0], "enum": values} if len(types_) == 1 else {"enum": values}
    # Named by the values listed (a plain Enum key prints otherwise: "Colour.RED").
    labels = [
        f"{value}: {label}"
        for value, (_key, label) in zip(values, choices, strict=False)
        if value != "" and str(value) != str(label)
    ]
    if labels and len(labels) <= 30:
        schema["description"] = "Choices: " + "; ".join(labels) + "."
    return schema


@register_field(drf_fields.MultipleChoiceField)
def _multiple_choice(field: AnyField, direction: str) -> Schema:
    item = _choice(field, direction)
    schema: Schema = {"type": "array", "items": item, "uniqueItems": True}
    if "description" in item:
        schema["description"] = item.pop("description")
    if not getattr(field, "allow_empty", True):
        schema["minItems"] = 1
    return schema


@register_field(drf_fields.ListField)
def _list(field: AnyField, direction: str) -> Schema:
    child = getattr(field, "child", None)
    schema: Schema = {"type": "array", "items": field_schema(child, direction) if child else {}}
    if getattr(field, "min_length", None) is not None:
        schema["minItems"] = field.min_length  # type: ignore[attr-defined]
    elif not getattr(field, "allow_empty", True):
        schema["minItems"] = 1
    if getattr(field, "max_length", None) is not None:
        schema["maxItems"] = field.max_length  # type: ignore[attr-defined]
    return schema


@register_field(drf_fields.DictField)
def _dict(field: AnyField, direction: str) -> Schema:
    child = getattr(field, "child", None)
    schema: Schema = {"type": "object"}
    if child is not None and not isinstance(child, drf_fields._UnvalidatedField):
        schema["additionalProperties"] = field_schema(child, direction)
    if not getattr(field, "allow_empty", True):
        schema["minProperties"] = 1
    return schema


#: Any JSON value but null.
NOT_NULL: Schema = {"type": ["object", "array", "string", "number", "boolean"]}


@register_field(drf_fields.JSONField)
def _json(field: AnyField, direction: str) -> Schema:
    # DRF refuses null unless allow_null (which then adds "null" to this list).
    return dict(NOT_NULL) if direction == "input" else {}


@register_field(drf_fields.ReadOnlyField)
def _read_only(field: AnyField, direction: str) -> Schema:
    # The attribute is rendered as it is, by DRF's JSON encoder: only Django's own model
    # fields are known to hold what their type says (a Decimal becomes a number, a
    # relation an object this cannot describe).
    model_field = _model_field(field)
    if model_field is None or not type(model_field).__module__.startswith("django."):
        return {}
    internal = model_field.get_internal_type()
    if internal in {"ForeignKey", "OneToOneField"}:
        last = str(getattr(field, "source", "")).rsplit(".", 1)[-1]
        return model_field_schema(model_field) if last == model_field.attname else {}
    rendered = _RENDERED_AS.get(internal)
    if rendered is not None:
        schema = dict(rendered)
    elif internal in _MODEL_FIELD_TYPES:
        schema = model_field_schema(model_field)
    else:
        return {}
    if getattr(model_field, "null", False):
        _make_nullable(schema)
    return schema


@register_field(drf_fields.ModelField)
def _model(field: AnyField, direction: str) -> Schema:
    return model_field_schema(getattr(field, "model_field", None))


@register_field(drf_fields.SerializerMethodField)
def _method(field: AnyField, direction: str) -> Schema:
    parent = getattr(field, "parent", None)
    method_name = getattr(field, "method_name", None)
    method = getattr(type(parent), method_name, None) if method_name else None
    if method is None:
        return {}
    try:
        hints = typing.get_type_hints(method)
    except Exception:  # unresolvable annotations: describe nothing rather than fail
        return {}
    return python_type_schema(hints.get("return", inspect.Parameter.empty))


@register_field(drf_fields.FileField)
def _file(field: AnyField, direction: str) -> Schema:
    if direction == "output":
        if getattr(field, "use_url", True):
            return {"type": "string", "format": "uri", "description": "URL of the file."}
        return {"type": "string", "description": "Name of the stored file."}

    kind = "An image" if isinstance(field, drf_fields.ImageField) else "A file"
    return {
        "type": "object",
        "properties": {
            "filename": {"type": "string", "pattern": r"^[^/\\]+$"},
            "content": {"type": "string", "contentEncoding": "base64"},
            "media_type": {"type": "string", "description": "e.g. application/pdf"},
        },
        "required": ["filename", "content"],
        "additionalProperties": False,
        "description": (
            f"{kind}: its name and its content in base64, at most "
            f"{mcp_settings.MAX_FILE_SIZE} bytes decoded."
        ),
    }


@register_field(relations.PrimaryKeyRelatedField)
def _primary_key(field: AnyField, direction: str) -> Schema:
    pk_field = getattr(field, "pk_field", None)
    if pk_field is not None:
        return field_schema(pk_field, direction)
    model = _related_model(field)
    if model is not None:
        return model_field_schema(model._meta.pk)
    return {"type": ["integer", "string"]}


@register_field(relations.SlugRelatedField)
def _slug_related(field: AnyField, direction: str) -> Schema:
    model = _related_model(field)
    slug = getattr(field, "slug_field", None)
    if model is not None and slug:
        with contextlib.suppress(Exception):
            return model_field_schema(model._meta.get_field(slug))
    return {"type": "string"}


@register_field(relations.ManyRelatedField)
def _many_related(field: AnyField, direction: str) -> Schema:
    child = field.child_relation  # type: ignore[attr-defined]
    schema: Schema = {"type": "array", "items": field_schema(child, direction)}
    if not getattr(field, "allow_empty", True):
        schema["minItems"] = 1
    return schema


def _related_model(field: AnyField) -> Any:
    queryset = getattr(field, "queryset", None)
    model = getattr(queryset, "model", None)
    if model is not None:
        return model
    model_field = _model_field(field)
    return getattr(model_field, "related_model", None)


def _model_field(field: AnyField) -> Any:
    """The model field a serializer field reads, when its source names one."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or source == "*":
        return None
    *path, last = source.split(".")
    for name in path:
        try:
            model = model._meta.get_field(name).related_model
        except Exception:
            return None
        if model is None:
            return None
    try:
        return model._meta.get_field(last)
    except Exception:
        return None


_MODEL_FIELD_TYPES: dict[str, Schema] = {
    "AutoField": {"type": "integer"},
    "BigAutoField": {"type": "integer"},
    "SmallAutoField": {"type": "integer"},
    "IntegerField": {"type": "integer"},
    "BigIntegerField": {"type": "integer"},
    "SmallIntegerField": {"type": "integer"},
    "PositiveIntegerField": {"type": "integer", "minimum": 0},
    "PositiveBigIntegerField": {"type": "integer", "minimum": 0},
    "PositiveSmallIntegerField": {"type": "integer", "minimum": 0},
    "FloatField": {"type": "number"},
    "BooleanField": {"type": "boolean"},
    "UUIDField": {"type": "string", "format": "uuid"},
    "DateField": {"type": "string", "format": "date"},
    "DateTimeField": {"type": "string", "format": "date-time"},
    "JSONField": {},
}


#: What DRF's JSON encoder makes of the values of other model fields (ReadOnlyField).
_RENDERED_AS: dict[str, Schema] = {
    "CharField": {"type": "string"},
    "TextField": {"type": "string"},
    "SlugField": {"type": "string"},
    "EmailField": {"type": "string"},
    "URLField": {"type": "string"},
    "GenericIPAddressField": {"type": "string"},
    "TimeField": {"type": "string"},
    "DurationField": {"type": "string"},
    "DecimalField": {"type": "number"},
}


def model_field_schema(model_field: Any) -> Schema:
    """Schema of a model field's value: integers for integer keys, uuid, dates; strings
    otherwise (a safe default: DRF renders most other values as strings).
    """
    if model_field is None:
        return {}
    internal = model_field.get_internal_type()
    if internal in {"ForeignKey", "OneToOneField"}:
        target = getattr(model_field, "target_field", None)
        return model_field_schema(target) if target is not None else {}
    schema = dict(_MODEL_FIELD_TYPES.get(internal, {"type": "string"}))
    if getattr(model_field, "null", False) and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


# Kept under its earlier name for callers that describe a lookup value.
model_value_schema = model_field_schema


def python_type_schema(annotation: Any) -> Schema:
    """JSON Schema for a Python return annotation (SerializerMethodField)."""
    if annotation is inspect.Parameter.empty or annotation is Any:
        return {}
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in {typing.Union, types.UnionType}:
        options = [a for a in args if a is not type(None)]
        inner = python_type_schema(options[0]) if len(options) == 1 else {}
        if type(None) in args and inner:
            _make_nullable(inner)
        return inner
    if annotation in {list, tuple, set} or origin in {list, tuple, set, frozenset}:
        schema: Schema = {"type": "array"}
        if args and origin is not tuple:
            schema["items"] = python_type_schema(args[0])
        return schema
    if annotation is dict or origin is dict:
        schema = {"type": "object"}
        if len(args) == 2 and python_type_schema(args[1]):
            schema["additionalProperties"] = python_type_schema(args[1])
        return schema
    simple: dict[Any, Schema] = {
        bool: {"type": "boolean"},
        int: {"type": "integer"},
        float: {"type": "number"},
        str: {"type": "string"},
        type(None): {"type": "null"},
        # DRF's JSON encoder renders these as:
        decimal.Decimal: {"type": "number"},
        datetime.datetime: {"type": "string"},
        datetime.date: {"type": "string", "format": "date"},
        uuid.UUID: {"type": "string", "format": "uuid"},
    }
    return dict(simple.get(annotation, {}))


def choice_value(key: Any, field: Any = None) -> Any:
    """A choice key as the JSON value ``field`` (a ChoiceField) accepts for it. DRF looks
    up ``str(data)`` in ``field.choice_strings_to_values``, so a key that is no JSON scalar
    is given as the string mapped to it there (``str(key)`` without a field). An enum
    member is its ``value`` when that string is the value's (DRF 3.16 maps members by their
    value; ``TextChoices``/``IntegerChoices`` print as it anyway), else that string.
    """
    return _choice_value(key, _accepted_strings(field))


def _choice_value(key: Any, accepted_strings: dict[Any, str]) -> Any:
    if not isinstance(key, enum.Enum) and (isinstance(key, (str, int, float, bool)) or key is None):
        return key
    try:
        accepted = accepted_strings.get(key)
    except TypeError:  # unhashable
        accepted = None
    if accepted is None:
        accepted = str(key)
    if isinstance(key, enum.Enum):
        value = key.value
        plain = isinstance(value, (str, int, float, bool)) or value is None
        if plain and not isinstance(value, enum.Enum) and str(value) == accepted:
            return value
    return accepted


def _accepted_strings(field: Any) -> dict[Any, str]:
    """The string a ChoiceField maps to each of its keys (the inverse of its lookup)."""
    mapping = getattr(field, "choice_strings_to_values", None) or {}
    inverse: dict[Any, str] = {}
    for text, key in mapping.items():
        try:
            inverse.setdefault(key, str(text))
        except TypeError:  # an unhashable key: str(key) is used
            continue
    return inverse


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


def _spectacular_schema(field: AnyField, direction: str) -> Schema | None:
    return schema_source().field_schema(field, direction)


def _spectacular_serializer_schema(serializer: Any, direction: str) -> Schema | None:
    return schema_source().serializer_schema(serializer, direction)


def _base_schema(field: AnyField, direction: str) -> Schema:
    if isinstance(field, serializers.ListSerializer):
        child: Any = field.child
        schema: Schema = {"type": "array", "items": serializer_schema(child, direction, top=False)}
        min_length = getattr(field, "min_length", None)
        max_length = getattr(field, "max_length", None)
        if min_length is not None:
            schema["minItems"] = min_length
        elif not getattr(field, "allow_empty", True):
            schema["minItems"] = 1
        if max_length is not None:
            schema["maxItems"] = max_length
        return schema
    if isinstance(field, serializers.BaseSerializer):
        return serializer_schema(field, direction, top=False)
    extension = extensions.find_extension(field)
    if extension is not None:
        return extension.map(field, direction)
    declared = extensions.declared_schema(field, direction)
    if declared is not None:
        return declared
    spectacular = _spectacular_schema(field, direction)
    if spectacular is not None:
        return spectacular
    for cls in type(field).__mro__:
        mapper = FIELD_MAPPERS.get(cls)
        if mapper is not None:
            if direction == "output" and own_representation(type(field), cls):
                return {}  # it renders what its own code returns
            return mapper(field, direction)
    serializer, name = field_origin(field)
    key = (serializer or "(no serializer)", name, type(field).__name__)
    if key not in extensions.UNMAPPED:
        extensions.UNMAPPED.add(key)
        logger.warning(
            "No JSON Schema mapping for %s.%s (%s); the tool accepts any value for it. "
            "Describe it with @mcp_field_schema or a FieldExtension.",
            *key,
        )
    return {}


def own_representation(cls: type[Any], base: type[Any]) -> bool:
    """Whether ``cls`` (a field or serializer class) renders with a ``to_representation``
    of its own, written outside DRF, instead of the one of ``base`` the mapping knows."""
    for klass in cls.__mro__:
        if klass is base:
            return False
        if "to_representation" in klass.__dict__:
            return not klass.__module__.startswith("rest_framework.")
    return False


def _override(field: AnyField) -> Schema | None:
    """Layer 1: ``style={"mcp_schema": ...}`` or ``Meta.mcp_field_schemas[name]``."""
    style = getattr(field, "style", None) or {}
    if "mcp_schema" in style:
        return dict(style["mcp_schema"])
    meta = getattr(getattr(field, "parent", None), "Meta", None)
    overrides = getattr(meta, "mcp_field_schemas", None) or {}
    name = getattr(field, "field_name", None)
    if name in overrides:
        return dict(overrides[name])
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _number(value: Any) -> int | float:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    result: int | float = value
    return result


def _types_of(schema: Schema) -> set[str]:
    value = schema.get("type")
    if value is None:
        return set()
    return set(value) if isinstance(value, list) else {value}


def _own_docstring_line(obj: Any) -> str | None:
    """First paragraph of a docstring the user wrote (not Django's or DRF's)."""
    module = getattr(obj, "__module__", "") or ""
    if module.startswith(("django.", "rest_framework.")):
        return None
    doc = inspect.getdoc(obj)
    if not doc:
        return None
    return doc.strip().split("\n\n")[0].replace("\n", " ")


def instruction_of(validator: Any) -> str | None:
    """The plain-language instruction for a validator: an explicit ``mcp_instruction``,
    else its (or its class's) own docstring.
    """
    explicit = getattr(validator, "mcp_instruction", None)
    if explicit:
        return str(explicit)
    target = (
        validator
        if inspect.isfunction(validator) or inspect.ismethod(validator)
        else type(validator)
    )
    explicit = getattr(target, "mcp_instruction", None)
    if explicit:
        return str(explicit)
    return _own_docstring_line(target)


def _apply_validators(field: AnyField, schema: Schema, notes: list[str]) -> None:
    types_ = _types_of(schema)
    string = "string" in types_
    array = "array" in types_
    for validator in getattr(field, "validators", []):
        if isinstance(validator, django_validators.MaxLengthValidator):
            if string:
                schema["maxLength"] = validator.limit_value
            elif array:
                schema["maxItems"] = validator.limit_value
        elif isinstance(validator, django_validators.MinLengthValidator):
            if string:
                schema["minLength"] = validator.limit_value
            elif array:
                schema["minItems"] = validator.limit_value
        elif isinstance(validator, django_validators.MaxValueValidator):
            if _is_number(validator.limit_value):
                schema["maximum"] = _number(validator.limit_value)
        elif isinstance(validator, django_validators.MinValueValidator):
            if _is_number(validator.limit_value):
                schema["minimum"] = _number(validator.limit_value)
        elif isinstance(validator, django_validators.EmailValidator):
            schema.setdefault("format", "email")
        elif isinstance(validator, django_validators.URLValidator):
            schema.setdefault("format", "uri")
        elif isinstance(validator, django_validators.RegexValidator):
            _apply_regex(validator, schema, notes)
        elif _is_unique_validator(validator):
            queryset = getattr(validator, "queryset", None)
            model = getattr(queryset, "model", None)
            notes.append(f"Must be unique among {plural_of(model)}.")
        elif isinstance(validator, (django_validators.ProhibitNullCharactersValidator,)):
            continue
        else:
            instruction = instruction_of(validator)
            if instruction:
                notes.append(instruction)


def plural_of(model: Any) -> str:
    """The model's plural for prose: ``verbose_name_plural`` when the model sets it, else
    an English plural of ``verbose_name`` (Django's default would say "categorys").
    """
    if model is None:
        return "records"
    if "verbose_name_plural" in model._meta.original_attrs:
        return str(model._meta.verbose_name_plural)
    name = str(model._meta.verbose_name)
    if re.search(r"[^aeiou]y$", name):
        return name[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", name):
        return name + "es"
    return name + "s"


def _is_unique_validator(validator: Any) -> bool:
    from rest_framework.validators import UniqueValidator

    return isinstance(validator, UniqueValidator)


def _apply_regex(validator: Any, schema: Schema, notes: list[str]) -> None:
    regex = validator.regex
    pattern = regex.pattern if hasattr(regex, "pattern") else str(regex)
    flags = getattr(validator, "flags", 0) or 0
    translated = None if validator.inverse_match or flags else python_regex_to_ecma(pattern)
    if translated is not None and "pattern" not in schema:
        schema["pattern"] = translated
    else:
        verb = "must not" if validator.inverse_match else "must"
        notes.append(f"It {verb} match the regular expression {pattern!r} (Python syntax).")


class FieldSchemaError(Exception):
    """Building the schema of one serializer field failed; names the serializer class
    that declares the field (dotted path), the field and its class."""

    def __init__(self, field: Any, cause: BaseException) -> None:
        self.serializer, self.field = field_origin(field)
        self.field_class = type(field).__name__
        self.cause = cause
        owner = f"field {self.field!r} of {self.serializer}" if self.serializer else "field"
        super().__init__(f"{owner} ({self.field_class}): {cause!r}")


def dotted_name(cls: type[Any]) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def field_origin(field: Any) -> tuple[str | None, str]:
    """(dotted path of the serializer class declaring ``field``, the field's name): a
    child of a ListField, DictField or many=True relation is "<name>.child"."""
    names = [getattr(field, "field_name", None) or "child"]
    parent = getattr(field, "parent", None)
    while parent is not None and not isinstance(parent, serializers.BaseSerializer):
        names.insert(0, getattr(parent, "field_name", None) or "child")
        parent = getattr(parent, "parent", None)
    serializer = dotted_name(type(parent)) if parent is not None else None
    return serializer, ".".join(names)


def field_schema(field: AnyField, direction: str = "input") -> Schema:
    """The JSON Schema of one serializer field, for ``direction`` "input" or "output".

    Raises :class:`FieldSchemaError` (naming the serializer and the field) when a mapper,
    an extension or a declared schema fails.
    """
    try:
        return _field_schema(field, direction)
    except FieldSchemaError:
        raise
    except Exception as exc:
        raise FieldSchemaError(field, exc) from exc


def _field_schema(field: AnyField, direction: str) -> Schema:
    override = _override(field)
    if override is not None:
        return _json_schema_types(override)
    schema = _base_schema(field, direction)
    if not isinstance(schema, dict):
        raise TypeError(f"its schema is {type(schema).__name__}, not a dict")
    _json_schema_types(schema)
    notes: list[str] = []
    if isinstance(field, serializers.BaseSerializer):
        return _decorate(field, schema, direction, notes)
    _adjust_formats(field, schema, direction)
    relation = relation_note(field)
    if relation:
        notes.append(relation)
    if direction == "input":
        _apply_length_and_range(field, schema)
        _apply_validators(field, schema, notes)
        _adjust_formats_for_blank(field, schema)
        if isinstance(field, drf_fields.CharField) and "enum" not in schema:
            _apply_blank_rules(field, schema)
        notes.extend(_method_validator_notes(field))
    return _decorate(field, schema, direction, notes)


def _json_schema_types(schema: Schema) -> Schema:
    """Declared schemas in Python's spelling (``{"type": "str"}``, as pretalx declares one)
    get JSON Schema's type names; names that are none are left out. Clients refuse a tool
    whose schema is invalid. The schema itself, its ``items`` and its ``anyOf``/``oneOf``
    branches (nested fields are described, and checked, on their own)."""
    parts = [schema]
    if isinstance(schema.get("items"), dict):
        parts.append(schema["items"])
    for key in ("anyOf", "oneOf"):
        parts.extend(p for p in schema.get(key) or () if isinstance(p, dict))
    for part in parts:
        if "type" in part:
            kind = json_schema_type(part["type"])
            if kind is None:
                del part["type"]
            else:
                part["type"] = kind
    return schema


def _apply_blank_rules(field: AnyField, schema: Schema) -> None:
    """A CharField refuses blank values unless ``allow_blank``; with ``trim_whitespace``
    (the default) it strips the value first, so whitespace-only values are blank too.
    """
    if getattr(field, "allow_blank", False):
        return
    schema.setdefault("minLength", 1)
    trims = getattr(field, "trim_whitespace", False)
    if not trims or "pattern" in schema or "format" in schema:
        return
    if schema["minLength"] > 1:
        # The length is checked after stripping: no leading or trailing whitespace.
        schema["pattern"] = r"^\S([\s\S]*\S)?$"
    else:
        # "Some non-space character" implies a length of at least 1.
        schema["pattern"] = NOT_BLANK_PATTERN
        del schema["minLength"]


def _apply_length_and_range(field: AnyField, schema: Schema) -> None:
    # Attributes mirror the validators DRF adds, but custom subclasses may set them alone.
    types_ = _types_of(schema)
    if "string" in types_ and "enum" not in schema:
        if getattr(field, "max_length", None) is not None:
            schema["maxLength"] = field.max_length  # type: ignore[attr-defined]
        if getattr(field, "min_length", None) is not None:
            schema["minLength"] = field.min_length  # type: ignore[attr-defined]
    if types_ & {"integer", "number"}:
        if _is_number(getattr(field, "max_value", None)):
            schema["maximum"] = _number(field.max_value)  # type: ignore[attr-defined]
        if _is_number(getattr(field, "min_value", None)):
            schema["minimum"] = _number(field.min_value)  # type: ignore[attr-defined]


def _method_validator_notes(field: AnyField) -> list[str]:
    """The docstring of the serializer's ``validate_<field>`` method, if it has one."""
    parent = getattr(field, "parent", None)
    name = getattr(field, "field_name", None)
    method = getattr(type(parent), f"validate_{name}", None) if parent and name else None
    if method is None:
        return []
    instruction = getattr(method, "mcp_instruction", None) or _own_docstring_line(method)
    return [str(instruction)] if instruction else []


def _adjust_formats(field: AnyField, schema: Schema, direction: str) -> None:
    fmt = schema.get("format")
    if fmt is None or direction != "output":
        return
    if fmt not in SAFE_OUTPUT_FORMATS or not _reliable_output(field, fmt):
        del schema["format"]


def _adjust_formats_for_blank(field: AnyField, schema: Schema) -> None:
    fmt = schema.get("format")
    if fmt is not None and getattr(field, "allow_blank", False):
        # "" is valid for a blank-allowed field but fails the format.
        del schema["format"]
        schema["anyOf"] = [{"format": fmt}, {"const": ""}]


def _reliable_output(field: AnyField, fmt: str) -> bool:
    """Whether rendered values always satisfy ``fmt`` (RFC 3339 dates, absolute URLs)."""
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
    if fmt == "uri":
        # Hyperlinks and file URLs are absolute when the serializer has the request,
        # which tool calls always give it; a plain URLField holds whatever was stored.
        return isinstance(field, (relations.HyperlinkedRelatedField, drf_fields.FileField))
    return True


def relation_note(field: AnyField) -> str | None:
    """For a relation to an object another tool reads: which tool, so that a model can
    follow it ("Id of a category; read it with categories_retrieve.").
    """
    if isinstance(getattr(field, "parent", None), relations.ManyRelatedField):
        return None  # said once, on the array
    many = isinstance(field, relations.ManyRelatedField)
    relation = field.child_relation if many else field  # type: ignore[attr-defined]
    if not isinstance(relation, relations.RelatedField):
        return None
    model = _related_model(relation)
    if model is None:
        return None
    if isinstance(relation, relations.HyperlinkedRelatedField):
        key, what = None, "URL"
    elif isinstance(relation, relations.SlugRelatedField):
        key, what = str(relation.slug_field), str(relation.slug_field)
    elif isinstance(relation, relations.PrimaryKeyRelatedField):
        key, what = "pk", "Id"
    else:
        return None
    readers = relation_readers()
    if isinstance(relation, relations.HyperlinkedRelatedField):
        reader = readers.reader_of_view_name(str(relation.view_name))
    else:
        reader = readers.reader_of(model, key)
    if reader is None:
        return None
    noun = str(model._meta.verbose_name)
    if many:
        return f"{what}s of {plural_of(model)}; read one with {reader}."
    article = "an" if noun[:1].lower() in "aeiou" else "a"
    return f"{what[:1].upper()}{what[1:]} of {article} {noun}; read it with {reader}."


def _decorate(field: AnyField, schema: Schema, direction: str, notes: list[str]) -> Schema:
    if getattr(field, "allow_null", False) or (
        # A nested serializer built by Meta.depth for a nullable relation renders null,
        # and so does a dotted source through an empty relation.
        direction == "output"
        and (
            getattr(_model_field(field), "null", False)
            or _may_be_missing(field)
            or _may_render_null(field)
        )
    ):
        _make_nullable(schema)
    label = getattr(field, "label", None)
    name = getattr(field, "field_name", None) or ""
    if label and str(label).strip().lower() != name.replace("_", " ").strip().lower():
        schema.setdefault("title", str(label))
    parts = [str(p) for p in (getattr(field, "help_text", None), schema.get("description")) if p]
    parts.extend(note for note in notes if note not in parts)
    if parts:
        schema["description"] = " ".join(parts)
    defaults = _DEFAULTS.get()
    if direction == "input" and defaults != "none" and not getattr(field, "required", False):
        default = getattr(field, "default", empty)
        if default is empty and defaults == "all":
            default = _model_default(field)
        if default is not empty and not callable(default):
            # A default the field cannot represent is left out.
            with contextlib.suppress(Exception):
                schema["default"] = (
                    _choice_default(field, field.to_representation(default))
                    if default is not None
                    else None
                )
    return schema


def _choice_default(field: AnyField, value: Any) -> Any:
    """A ChoiceField's rendered default in the form its ``enum`` lists (to_representation
    gives back the choice key itself, an enum member say)."""
    if isinstance(field, drf_fields.MultipleChoiceField) and isinstance(
        value, (set, frozenset, list, tuple)
    ):
        accepted = _accepted_strings(field)
        return {_choice_value(item, accepted) for item in value}
    if isinstance(field, drf_fields.ChoiceField):
        return choice_value(value, field)
    return value


# Which defaults an input schema advertises; "default" in JSON Schema says what an omitted
# argument means. Creating: the serializer field's default, else the model's ("all").
# Replacing (PUT): only serializer defaults, which DRF applies; an omitted model field
# keeps its current value ("declared"). Partial updates apply no defaults ("none").
_DEFAULTS: ContextVar[str] = ContextVar("mcp_schema_defaults", default="all")


@contextlib.contextmanager
def input_defaults(which: str) -> Iterator[None]:
    """Advertise ``which`` defaults ("all", "declared" or "none") in input schemas."""
    token = _DEFAULTS.set(which)
    try:
        yield
    finally:
        _DEFAULTS.reset(token)


def _model_default(field: AnyField) -> Any:
    """The model field's default, which ModelSerializer leaves off the serializer field
    (the model applies it when the argument is omitted).
    """
    model_field = _model_field(field)
    own_field = model_field is not None and "." not in (getattr(field, "source", "") or "")
    if own_field and getattr(model_field, "has_default", lambda: False)():
        return model_field.default
    return empty


def _make_nullable(schema: Schema) -> None:
    if "enum" in schema and None not in schema["enum"]:
        schema["enum"] = [*schema["enum"], None]
    current = schema.get("type")
    if current is None:
        if "enum" not in schema and schema:
            inner = dict(schema)
            description = inner.pop("description", None)
            schema.clear()
            schema["anyOf"] = [inner, {"type": "null"}]
            if description:
                schema["description"] = description
        return
    types_ = current if isinstance(current, list) else [current]
    if "null" not in types_:
        schema["type"] = [*types_, "null"]


def serializer_schema(serializer: AnySerializer, direction: str, *, top: bool = True) -> Schema:
    """Object schema for a serializer's input ("input") or representation ("output").

    At the top level the result is compacted (nested serializers used more than once go
    to ``$defs``); nested calls keep a name marker for that.
    """
    if isinstance(serializer, serializers.ListSerializer):
        if direction == "output" and own_representation(
            type(serializer), serializers.ListSerializer
        ):
            return {}  # its own to_representation may render anything
        child: Any = serializer.child
        items = serializer_schema(child, direction, top=False)
        listed: Schema = {"type": "array", "items": items}
        return compact(listed) if top else listed
    extended = _spectacular_serializer_schema(serializer, direction)  # OpenApiSerializerExtension
    if extended is not None:
        return compact(extended) if top else extended
    if direction == "output" and _renders_its_own_way(serializer):
        # Its own to_representation may render anything: the whole item is permissive.
        return {}
    properties: Schema = {}
    required: list[str] = []
    fields = getattr(serializer, "fields", {})
    for name, field in fields.items():
        if isinstance(field, drf_fields.HiddenField):
            continue  # set by the server, never sent and never rendered
        if direction == "input" and field.read_only:
            continue
        if direction == "output" and field.write_only:
            continue
        properties[name] = field_schema(field, direction)
        if direction == "input" and field.required:
            required.append(name)
        if direction == "output" and _always_rendered(field) and not _may_be_missing(field):
            required.append(name)
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if direction == "input":
        notes = _serializer_notes(serializer)
        if notes:
            schema["description"] = " ".join(notes)
    if top:
        return compact(schema)
    name = type(serializer).__name__
    schema[NAME_KEY] = name.removesuffix("Serializer") or name
    return schema


def _renders_its_own_way(serializer: AnySerializer) -> bool:
    """Whether the serializer has its own ``to_representation`` and does not say, with
    ``Meta.mcp_representation = "fields"``, that it renders its fields as they are (it may
    add keys)."""
    meta = getattr(serializer, "Meta", None)
    if getattr(meta, "mcp_representation", None) == "fields":
        return False
    return own_representation(type(serializer), serializers.Serializer)


def _may_be_missing(field: AnyField) -> bool:
    """Whether a dotted source ("category.name") passes a relation that may be empty: DRF
    then renders null (a missing reverse one-to-one) or leaves the field out (a null
    foreign key, unless the field has a default or allows null)."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", None)
    if model is None or not source or "." not in source:
        return False
    for name in source.split(".")[:-1]:
        try:
            relation = model._meta.get_field(name)
        except Exception:
            return True  # a property or method: nothing is known
        if getattr(relation, "null", False) or not getattr(relation, "concrete", True):
            return True
        model = getattr(relation, "related_model", None)
        if model is None:
            return True
    return False


def _may_render_null(field: AnyField) -> bool:
    """Whether DRF may render null for the field although it does not allow null: it
    renders null for any attribute that is None without asking the field. Only a
    non-null model field (or the whole object, ``source="*"``, or a to-many relation,
    whose manager is never None) is known never to be None; a property, a method, an
    annotation or a dict key may be."""
    if isinstance(field, drf_fields.SerializerMethodField):
        return False  # judged by what its annotation says
    if isinstance(field, (relations.ManyRelatedField, serializers.ListSerializer)):
        return False  # a to-many relation: judged by its model field, if any
    if getattr(field, "source", None) == "*":
        return False
    model_field = _model_field(field)
    if model_field is not None:
        return False
    parent = getattr(field, "parent", None)
    if isinstance(
        parent,
        (
            serializers.ListSerializer,
            relations.ManyRelatedField,
            drf_fields.ListField,
            drf_fields.DictField,
        ),
    ):
        return False  # an item of a list, which the list field renders itself
    return parent is not None


def _always_rendered(field: AnyField) -> bool:
    """Whether DRF always puts the field in the representation. It leaves out a field
    whose attribute is missing when the field is optional and has no default (a plain
    serializer over a dict); fields backed by a model field are always there.
    """
    if isinstance(field, drf_fields.SerializerMethodField):
        return True
    if getattr(field, "required", False) or getattr(field, "default", empty) is not empty:
        return True
    if getattr(field, "source", None) == "*":
        return True
    return _model_field(field) is not None


def _serializer_notes(serializer: AnySerializer) -> list[str]:
    """Instructions from serializer-level validators and ``validate()``'s docstring."""
    from rest_framework.validators import UniqueTogetherValidator

    notes: list[str] = []
    try:
        validators = serializer.get_validators() if hasattr(serializer, "get_validators") else []
    except Exception:
        validators = []
    for validator in validators:
        if isinstance(validator, UniqueTogetherValidator):
            model = getattr(validator.queryset, "model", None)
            names = ", ".join(validator.fields)
            notes.append(f"The combination of {names} must be unique among {plural_of(model)}.")
        else:
            instruction = instruction_of(validator)
            if instruction:
                notes.append(instruction)
    validate = type(serializer).__dict__.get("validate")
    if validate is not None:
        instruction = getattr(validate, "mcp_instruction", None) or _own_docstring_line(validate)
        if instruction:
            notes.append(str(instruction))
    return notes


__all__ = [
    "DECIMAL_PATTERN",
    "FIELD_MAPPERS",
    "FieldSchemaError",
    "choice_value",
    "field_origin",
    "field_schema",
    "model_field_schema",
    "model_value_schema",
    "python_type_schema",
    "register_field",
    "serializer_schema",
]
