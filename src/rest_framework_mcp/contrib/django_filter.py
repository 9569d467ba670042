"""django-filter integration (optional extra ``[filters]``).

``DjangoFilterBackend`` (django-filter 25.1 and later) no longer describes its parameters
for schemas, so the view's filterset is read directly: one query parameter per filter,
typed from the filter class and the model field it filters, with the lookup in words.
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

logger = logging.getLogger("rest_framework_mcp.schema")

HAVE_DJANGO_FILTER = importlib.util.find_spec("django_filters") is not None

Schema = dict[str, Any]

_LOOKUP_WORDS = {
    "exact": "equals",
    "iexact": "equals (ignoring case)",
    "contains": "contains",
    "icontains": "contains (ignoring case)",
    "startswith": "starts with",
    "istartswith": "starts with (ignoring case)",
    "endswith": "ends with",
    "iendswith": "ends with (ignoring case)",
    "gt": "greater than",
    "gte": "at least",
    "lt": "less than",
    "lte": "at most",
    "in": "one of (comma-separated)",
    "range": "between (two comma-separated values)",
    "isnull": "is empty (true) or set (false)",
    "regex": "matches the regular expression",
    "iregex": "matches the regular expression (ignoring case)",
    "year": "year is",
    "month": "month is",
    "day": "day is",
    "date": "date is",
}


_RANGE_WORDS = {
    "min": "at least",
    "max": "at most",
    "after": "from (inclusive)",
    "before": "to (inclusive)",
}


def is_django_filter_backend(backend: Any) -> bool:
    if not HAVE_DJANGO_FILTER:
        return False
    from django_filters.rest_framework import DjangoFilterBackend

    return isinstance(backend, DjangoFilterBackend)


def filterset_parameters(backend: Any, view: Any) -> list[tuple[str, Schema]]:
    """(query parameter, schema) for every filter of the view's filterset."""
    try:
        queryset = view.get_queryset()
    except Exception:  # a get_queryset() that needs a real user
        queryset = getattr(view, "queryset", None)
    try:
        filterset_class = backend.get_filterset_class(view, queryset)
    except Exception:
        logger.warning(
            "%s: the filterset could not be built; its parameters are not described.",
            type(view).__name__,
            exc_info=True,
        )
        return []
    if filterset_class is None:
        return []
    model = getattr(getattr(filterset_class, "_meta", None), "model", None)
    parameters: list[tuple[str, Schema]] = []
    for name, filter_ in filterset_class.base_filters.items():
        parameters.extend(_parameters_of(name, filter_, model))
    return parameters


def _parameters_of(name: str, filter_: Any, model: Any) -> list[tuple[str, Schema]]:
    from django_filters import filters

    description = _describe(filter_)
    if isinstance(filter_, filters.OrderingFilter):
        values = [value for value, _label in filter_.field.choices if value]
        schema: Schema = {"type": "string", "enum": values} if values else {"type": "string"}
        return [(name, _described(schema, "Sort order."))]
    suffixes = getattr(getattr(filter_.field_class, "widget", None), "suffixes", None)
    if isinstance(filter_, filters.RangeFilter) and suffixes:
        # One parameter per widget part: price_min/price_max, created_after/created_before.
        value = _value_schema(filter_, model)
        field = str(filter_.label or filter_.field_name).replace("__", " ").replace("_", " ")
        return [
            (
                f"{name}_{suffix}",
                _described(dict(value), f"{field} {_RANGE_WORDS.get(suffix, suffix)}"),
            )
            for suffix in suffixes
        ]
    if isinstance(filter_, filters.BaseCSVFilter):
        schema = {"type": "string", "pattern": r"^[^,]+(,[^,]+)*$"}
        return [(name, _described(schema, f"{description} Separate values with commas."))]
    schema = _value_schema(filter_, model)
    if isinstance(filter_, (filters.MultipleChoiceFilter, filters.ModelMultipleChoiceFilter)):
        schema = {"type": "array", "items": schema}
    return [(name, _described(schema, description))]


def _described(schema: Schema, description: str) -> Schema:
    if description:
        schema["description"] = description
    return schema


def _describe(filter_: Any) -> str:
    label = getattr(filter_, "label", None)
    if label:
        return str(label)
    field_name = str(getattr(filter_, "field_name", "") or "").replace("__", " ")
    lookup = getattr(filter_, "lookup_expr", "exact")
    words = _LOOKUP_WORDS.get(str(lookup), str(lookup).replace("_", " "))
    return f"{field_name.replace('_', ' ')} {words}".strip()


def _value_schema(filter_: Any, model: Any) -> Schema:
    """The schema of one value of the filter."""
    from django_filters import filters

    from ..schema.fields import model_field_schema

    date_times = (
        filters.DateTimeFromToRangeFilter,
        filters.IsoDateTimeFromToRangeFilter,
        filters.IsoDateTimeFilter,
    )
    if isinstance(filter_, date_times):
        return {"type": "string", "format": "date-time"}
    if isinstance(filter_, filters.DateFromToRangeFilter):
        return {"type": "string", "format": "date"}
    if isinstance(filter_, filters.TimeRangeFilter):
        return {"type": "string", "format": "time"}
    if isinstance(filter_, filters.BooleanFilter):
        return {"type": "boolean"}
    if getattr(filter_, "lookup_expr", "") == "isnull":
        return {"type": "boolean"}
    # Model choice filters are choice filters too: they go first.
    if isinstance(filter_, (filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter)):
        queryset = filter_.extra.get("queryset")
        related = getattr(queryset, "model", None)
        if related is None:
            related = getattr(_model_field(model, filter_), "related_model", None)
        if related is not None:
            schema = model_field_schema(related._meta.pk)
            schema["type"] = schema.get("type", "string")
            if isinstance(schema["type"], list):
                schema["type"] = next(t for t in schema["type"] if t != "null")
            return schema
        return {"type": "string"}
    if isinstance(filter_, (filters.ChoiceFilter, filters.MultipleChoiceFilter)):
        choices = filter_.extra.get("choices")
        if callable(choices):
            choices = None
        if choices is None:
            choices = getattr(_model_field(model, filter_), "choices", None)
        values = [value for value, _label in choices or [] if value != ""]
        if values:
            kinds = {type(v) for v in values}
            kind = "integer" if kinds == {int} else "string"
            return {"type": kind, "enum": values if kind == "integer" else [str(v) for v in values]}
        return {"type": "string"}
    if isinstance(filter_, filters.DateFilter):
        return {"type": "string", "format": "date"}
    if isinstance(filter_, (filters.DateTimeFilter, filters.IsoDateTimeFilter)):
        return {"type": "string", "format": "date-time"}
    if isinstance(filter_, filters.TimeFilter):
        return {"type": "string", "format": "time"}
    if isinstance(filter_, filters.UUIDFilter):
        return {"type": "string", "format": "uuid"}
    if isinstance(filter_, (filters.NumberFilter, filters.RangeFilter)):
        model_field = _model_field(model, filter_)
        internal = model_field.get_internal_type() if model_field is not None else ""
        whole = internal.endswith(("IntegerField", "AutoField")) or filter_.lookup_expr in {
            "year",
            "month",
            "day",
        }
        return {"type": "integer"} if whole else {"type": "number"}
    return {"type": "string"}


def _model_field(model: Any, filter_: Any) -> Any:
    """The model field at the end of the filter's ``field_name`` path, if any."""
    if model is None:
        return None
    field = None
    for part in str(getattr(filter_, "field_name", "") or "").split("__"):
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        model = getattr(field, "related_model", None) or model
    return field
