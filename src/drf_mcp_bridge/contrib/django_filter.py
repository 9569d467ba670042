"""django-filter integration (optional extra ``[filters]``).

``DjangoFilterBackend`` (django-filter 25.1 and later) no longer describes its parameters
for schemas, so the view's filterset is read directly: one query parameter per filter,
typed by what its lookup means (text lookups take strings, ``isnull`` a boolean, ``in`` and
``range`` comma-separated values of the field's type, ``gt``/``lte``... a value of it), from
the filter class and the model field it filters, with the lookup in words.

At scale (filtersets that repeat each filter under several lookups, choice fields with
hundreds of values): a choice list of more than :data:`MAX_ENUM` values is described with a
few examples instead of an ``enum``, text lookups never repeat the choices, and the
``FILTER_LOOKUPS`` setting (or a view's ``mcp_filter_lookups``) keeps only chosen lookups.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
from typing import Any

# Lazy: an integration is imported at startup whether or not its library is used.
from ..schema.sources import FilterBackendExtension, register_filter_backend

logger = logging.getLogger("drf_mcp_bridge.schema")

HAVE_DJANGO_FILTER = importlib.util.find_spec("django_filters") is not None

Schema = dict[str, Any]

#: Choice lists longer than this are described with examples rather than an ``enum``.
MAX_ENUM = 50
_EXAMPLES = 3

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
    "in": "one of",
    "range": "between",
    "isnull": "is empty (true) or set (false)",
    "regex": "matches the regular expression",
    "iregex": "matches the regular expression (ignoring case)",
}

_NEGATED_WORDS = {
    "exact": "not equal to",
    "iexact": "not equal to (ignoring case)",
    "contains": "does not contain",
    "icontains": "does not contain (ignoring case)",
    "startswith": "does not start with",
    "istartswith": "does not start with (ignoring case)",
    "endswith": "does not end with",
    "iendswith": "does not end with (ignoring case)",
    "gt": "not greater than",
    "gte": "less than",
    "lt": "not less than",
    "lte": "greater than",
    "in": "not one of",
    "range": "not between",
    "isnull": "is set (true) or empty (false)",
    "regex": "does not match the regular expression",
    "iregex": "does not match the regular expression (ignoring case)",
}

#: Lookups that compare the value as text, whatever the field's type.
TEXT_LOOKUPS = frozenset(
    {
        "iexact",
        "contains",
        "icontains",
        "startswith",
        "istartswith",
        "endswith",
        "iendswith",
        "regex",
        "iregex",
    }
)

_RANGE_WORDS = {
    "min": "at least",
    "max": "at most",
    "after": "from (inclusive)",
    "before": "to (inclusive)",
}

_ITEM_PATTERNS = {"integer": "-?[0-9]+", "number": r"-?[0-9]+(\.[0-9]+)?"}


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
    except Exception as exc:
        # One line at WARNING (a project's filterset needing a request-time scope is no
        # error of ours); the traceback at DEBUG.
        logger.warning(
            "%s: the filterset could not be built outside a request (%s: %s); its "
            "parameters are not described. Describe them with @extend_schema(parameters=...) "
            "or build the filterset without a request.",
            type(view).__name__,
            type(exc).__name__,
            exc,
        )
        logger.debug("%s: filterset failure", type(view).__name__, exc_info=True)
        return []
    if filterset_class is None:
        return []
    model = getattr(getattr(filterset_class, "_meta", None), "model", None)
    kept = _lookups_setting(view)
    if kept == AUTO:
        # "auto": every lookup, unless the filterset is so large (Nautobot's locations: 249
        # filters) that its tool alone would be over the catalogue budget.
        many = len(filterset_class.base_filters) > AUTO_FILTER_LIMIT
        kept = set(AUTO_LOOKUPS) if many else None
    selected = [
        (name, filter_)
        for name, filter_ in filterset_class.base_filters.items()
        if _kept(filter_, kept)
    ]
    labels = [str(f.label) for _n, f in selected if getattr(f, "label", None)]
    context = _Context(
        model=model,
        view=view,
        owners=_choice_owners(selected, model),
        shared_labels={label for label in labels if labels.count(label) > 1},
    )
    parameters: list[tuple[str, Schema]] = []
    for name, filter_ in selected:
        parameters.extend(_parameters_of(name, filter_, context))
    return parameters


class _Context:
    def __init__(
        self, *, model: Any, view: Any, owners: dict[str, str], shared_labels: set[str]
    ) -> None:
        self.model = model
        self.view = view
        self.owners = owners  # field_name -> the parameter that lists the field's choices
        self.shared_labels = shared_labels  # labels several filters carry (NetBox copies)


#: FILTER_LOOKUPS = "auto" (the default): a filterset with more filters than this keeps only
#: the lookups of AUTO_LOOKUPS; smaller ones keep every lookup.
AUTO = frozenset({"auto"})
AUTO_FILTER_LIMIT = 60
AUTO_LOOKUPS = ("exact", "in", "icontains", "gte", "lte", "isnull", "range")


def _lookups_setting(view: Any) -> set[str] | frozenset[str] | None:
    """The lookups to keep (``None``: all; :data:`AUTO`: decided by the filterset's size),
    from the view's ``mcp_filter_lookups`` or the ``FILTER_LOOKUPS`` setting."""
    # Lazy: an integration is imported at startup whether or not its library is used.
    from ..conf.settings import mcp_settings

    value = getattr(view, "mcp_filter_lookups", None)
    if value is None:
        value = mcp_settings.FILTER_LOOKUPS
    if value == "auto":
        return AUTO
    if value == "all":
        return None
    if value == "exact":
        return {"exact"}
    if isinstance(value, (list, tuple, set, frozenset)) and all(isinstance(v, str) for v in value):
        return set(value)
    logger.warning(
        '%s: FILTER_LOOKUPS/mcp_filter_lookups must be "auto", "all", "exact" or a list of '
        "lookup names, not %r; every filter is described.",
        type(view).__name__,
        value,
    )
    return None


def _kept(filter_: Any, kept: set[str] | frozenset[str] | None) -> bool:
    from django_filters import filters

    if kept is None or isinstance(filter_, filters.OrderingFilter):
        return True
    if getattr(filter_, "exclude", False) and "exclude" not in kept:
        return False
    lookup = str(getattr(filter_, "lookup_expr", "exact"))
    if isinstance(filter_, filters.RangeFilter) and lookup == "exact":
        lookup = "range"  # the min/max (after/before) pair filters with gte/lte or range
    return lookup in kept


def _lookup_of(filter_: Any) -> tuple[list[str], str]:
    """(transforms, lookup) of the filter's ``lookup_expr``: "date__gte" is (["date"], "gte"),
    "year" (["year"], "exact")."""
    parts = [p for p in str(getattr(filter_, "lookup_expr", "") or "exact").split("__") if p]
    if parts and parts[-1] in _LOOKUP_WORDS:
        return parts[:-1], parts[-1]
    return parts, "exact"


def _is_choice_filter(filter_: Any) -> bool:
    from django_filters import filters

    return isinstance(filter_, (filters.ChoiceFilter, filters.MultipleChoiceFilter)) and not (
        isinstance(filter_, (filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter))
    )


def _choice_owners(selected: list[tuple[str, Any]], model: Any) -> dict[str, str]:
    """For each field filtered by choice filters, the parameter whose schema lists the
    choices: the first one that is not a text lookup (an exact one if any)."""
    owners: dict[str, str] = {}
    ranked = sorted(
        selected,
        key=lambda item: (
            _lookup_of(item[1])[1] != "exact",
            bool(getattr(item[1], "exclude", False)),
        ),
    )
    for name, filter_ in ranked:
        field = str(getattr(filter_, "field_name", "") or "")
        transforms, lookup = _lookup_of(filter_)
        if (
            field
            and field not in owners
            and _is_choice_filter(filter_)
            and not transforms
            and lookup not in TEXT_LOOKUPS
            and _choices(filter_, model)
        ):
            owners[field] = name
    return owners


def _parameters_of(name: str, filter_: Any, context: _Context) -> list[tuple[str, Schema]]:
    from django_filters import filters

    model = context.model
    if isinstance(filter_, filters.OrderingFilter):
        values = [value for value, _label in filter_.field.choices if value]
        schema: Schema = {"type": "string", "enum": values} if values else {"type": "string"}
        return [(name, _described(schema, "Sort order."))]
    transforms, lookup = _lookup_of(filter_)
    multiple = isinstance(
        filter_, (filters.MultipleChoiceFilter, filters.ModelMultipleChoiceFilter)
    )
    description = _describe(filter_, lookup, transforms, multiple, context)
    suffixes = getattr(getattr(filter_.field_class, "widget", None), "suffixes", None)
    if isinstance(filter_, filters.RangeFilter) and suffixes:
        # One parameter per widget part: price_min/price_max, created_after/created_before.
        value = _value_schema(filter_, model)
        field = str(filter_.label or filter_.field_name).replace("__", " ").replace("_", " ")
        negated = " (rows outside the range)" if filter_.exclude else ""
        return [
            (
                f"{name}_{suffix}",
                _described(dict(value), f"{field} {_RANGE_WORDS.get(suffix, suffix)}{negated}"),
            )
            for suffix in suffixes
        ]
    value = _value_schema(filter_, model)
    notes: list[str] = []
    if lookup in TEXT_LOOKUPS and not _is_choice_filter(filter_):
        if value.get("type") in _ITEM_PATTERNS:  # compared as text, validated as a number
            value = {"type": "string", "pattern": f"^{_ITEM_PATTERNS[value['type']]}$"}
    elif _is_choice_filter(filter_) and lookup != "isnull":
        value, notes = _choice_schema(name, filter_, lookup, transforms, context)
    if isinstance(filter_, filters.BaseCSVFilter):
        schema = _csv_schema(value, lookup)
        if lookup == "range":
            notes.append('Give "min,max".')
        else:
            notes.append("Separate values with commas.")
    elif multiple:
        schema = {"type": "array", "items": value}
    else:
        schema = value
    text = ". ".join([description, " ".join(notes)]) if notes and description else description
    return [(name, _described(schema, text or " ".join(notes)))]


def _choice_schema(
    name: str, filter_: Any, lookup: str, transforms: list[str], context: _Context
) -> tuple[Schema, list[str]]:
    """One value of a choice filter, and notes for its description."""
    values = _choices(filter_, context.model)
    if not values:
        return {"type": "string"}, []
    kind = (
        "integer"
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values)
        else "string"
    )
    if kind == "string":
        values = [str(v) for v in values]
    field = str(getattr(filter_, "field_name", "") or "")
    owner = context.owners.get(field)
    if (lookup in TEXT_LOOKUPS or transforms) and owner is not None and owner != name:
        # The choice form field still checks the value: say where the values are listed.
        return {"type": kind}, [f'The value must be one of the values of "{owner}".']
    if len(values) <= MAX_ENUM:
        return {"type": kind, "enum": values}, []
    examples = ", ".join(json.dumps(v) for v in values[:_EXAMPLES])
    where = _where_values_show(field, context.view)
    return {"type": kind}, [f"{len(values)} allowed values, e.g. {examples}; {where}."]


def _where_values_show(field: str, view: Any) -> str:
    """Where a model can find a large choice list's values in use."""
    try:
        serializer = view.get_serializer_class()()
        names = [n for n, f in serializer.fields.items() if getattr(f, "source", n) == field]
    except Exception:
        names = []
    if names:
        return f'the values in use are the "{names[0]}" of this list\'s results'
    return "the values in use show in the results of the list tools"


def _csv_schema(value: Schema, lookup: str) -> Schema:
    """Comma-separated values (BaseInFilter, BaseRangeFilter), each of ``value``'s type."""
    enum = value.get("enum")
    if enum and len(enum) <= MAX_ENUM:
        item = "(" + "|".join(re.escape(str(v)) for v in enum) + ")"
    else:
        item = _ITEM_PATTERNS.get(str(value.get("type")), "[^,]+")
    if lookup == "range":
        return {"type": "string", "pattern": f"^{item},{item}$"}
    return {"type": "string", "pattern": f"^{item}(,{item})*$"}


def _described(schema: Schema, description: str) -> Schema:
    if description:
        schema["description"] = description
    return schema


def _describe(
    filter_: Any, lookup: str, transforms: list[str], multiple: bool, context: _Context
) -> str:
    negated = bool(getattr(filter_, "exclude", False))
    if multiple and lookup == "exact":
        lookup = "in"
    words = (_NEGATED_WORDS if negated else _LOOKUP_WORDS).get(lookup, lookup)
    if multiple and lookup != "in":  # each value given is a condition; any may hold
        words = f"{words} any value given"
    label = getattr(filter_, "label", None)
    if label:
        label = str(label)
        # Labels copied onto every lookup of a field would all read the same.
        return f"{label} ({words})" if label in context.shared_labels else label
    field_name = str(getattr(filter_, "field_name", "") or "").replace("__", " ")
    parts = [field_name.replace("_", " "), *transforms, words]
    return " ".join(p for p in parts if p).strip()


def _value_schema(filter_: Any, model: Any) -> Schema:
    """The schema of one value of the filter (choices aside)."""
    from django_filters import filters

    # Lazy: an integration is imported at startup whether or not its library is used.
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
    if _lookup_of(filter_)[1] == "isnull":
        return {"type": "boolean"}
    # Model choice filters are choice filters too: they go first.
    if isinstance(filter_, (filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter)):
        queryset = filter_.extra.get("queryset")
        related = getattr(queryset, "model", None)
        if related is None:
            related = getattr(_model_field(model, filter_), "related_model", None)
        if related is None:
            return {"type": "string"}
        to_field = filter_.extra.get("to_field_name")
        try:
            target = related._meta.get_field(to_field) if to_field else related._meta.pk
        except Exception:
            return {"type": "string"}
        schema = {k: v for k, v in model_field_schema(target).items() if k in {"type", "format"}}
        kind = schema.get("type", "string")
        if isinstance(kind, list):
            kind = next((t for t in kind if t != "null"), "string")
        schema["type"] = kind
        return schema
    if _is_choice_filter(filter_):
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
        transforms, _lookup = _lookup_of(filter_)
        whole = internal.endswith(("IntegerField", "AutoField")) or bool(
            set(transforms) & {"year", "month", "day", "week", "week_day", "quarter", "hour"}
        )
        return {"type": "integer"} if whole else {"type": "number"}
    return {"type": "string"}


def _choices(filter_: Any, model: Any) -> list[Any]:
    """The values a choice filter accepts (empty: unknown)."""
    choices = filter_.extra.get("choices")
    if callable(choices):
        choices = None
    if choices is None:
        choices = getattr(_model_field(model, filter_), "choices", None)
    values: list[Any] = []
    for value, label in choices or []:
        if isinstance(label, (list, tuple)):  # an optgroup: (group, [(value, label), ...])
            values.extend(v for v, _l in label if v != "")
        elif value != "":
            values.append(value)
    return values


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


class DjangoFilterExtension(FilterBackendExtension):
    """``DjangoFilterBackend``'s parameters, from the view's filterset (registered on import)."""

    def matches(self, backend: Any) -> bool:
        return is_django_filter_backend(backend)

    def parameters(self, backend: Any, view: Any) -> list[tuple[str, Schema]]:
        return filterset_parameters(backend, view)


register_filter_backend(DjangoFilterExtension())
