"""Query parameters of list tools, from the view's paginator and filter backends."""

from __future__ import annotations

import copy
import logging
from typing import Any

from .fields import Schema
from .sources import filter_backend_extension

logger = logging.getLogger("drf_mcp_bridge.schema")


def openapi_to_json_schema(schema: Any) -> Any:
    """Turn an OpenAPI 3.0 schema fragment (as DRF's paginators and filters produce) into
    JSON Schema 2020-12: ``nullable`` becomes a ``null`` type and ``example`` goes.
    """
    if isinstance(schema, list):
        return [openapi_to_json_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: Schema = {}
    for key, value in schema.items():
        if key in {"example", "nullable"}:
            continue
        if key in {"properties"} and isinstance(value, dict):
            result[key] = {name: openapi_to_json_schema(sub) for name, sub in value.items()}
        else:
            result[key] = openapi_to_json_schema(value)
    if schema.get("nullable"):
        current = result.get("type")
        if current is not None:
            types = current if isinstance(current, list) else [current]
            if "null" not in types:
                result["type"] = [*types, "null"]
    return result


def _parameters_of(component: Any, view: Any) -> list[dict[str, Any]]:
    getter = getattr(component, "get_schema_operation_parameters", None)
    if getter is None:
        return []
    try:
        parameters = getter(view)
    except Exception:  # one odd backend must not break tools/list
        logger.warning(
            "%s.get_schema_operation_parameters() failed; its parameters are not described.",
            type(component).__name__,
            exc_info=True,
        )
        return []
    return [p for p in parameters or [] if isinstance(p, dict) and p.get("in") == "query"]


_SEARCH_PREFIXES = {
    "^": "starts with",
    "=": "equals",
    "@": "full-text",
    "$": "regex",
}


def _search_parameter(backend: Any, view: Any) -> dict[str, Any] | None:
    """SearchFilter's parameter, saying which fields it searches and how."""
    try:
        fields = backend.get_search_fields(view, view.request)
    except Exception:
        fields = getattr(view, "search_fields", None)
    if not fields:
        return None
    described = []
    for field in fields:
        field = str(field)
        how = _SEARCH_PREFIXES.get(field[:1])
        name = (field[1:] if how else field).replace("__", " ")
        described.append(f"{name} ({how})" if how else name)
    return {
        "name": backend.search_param,
        "in": "query",
        "schema": {"type": "string"},
        "description": (
            f"Search in {', '.join(described)}. Every word must match some field "
            "(case-insensitive)."
        ),
    }


def _ordering_parameter(backend: Any, view: Any) -> dict[str, Any] | None:
    """OrderingFilter's parameter: the allowed orderings, each also with "-" (descending)."""
    queryset = getattr(view, "queryset", None)
    try:
        valid = backend.get_valid_fields(queryset, view, {"request": view.request})
    except Exception:
        return None
    names = [str(name) for name, _label in valid]
    if not names:
        return None
    description = 'Sort order; "-" before a field sorts descending.'
    default = getattr(view, "ordering", None)
    if default:
        default_text = default if isinstance(default, str) else ",".join(default)
        description += f" Default: {default_text}."
    return {
        "name": backend.ordering_param,
        "in": "query",
        "schema": {"type": "string", "enum": [v for n in names for v in (n, f"-{n}")]},
        "description": description,
    }


def _backend_parameters(backend: Any, view: Any) -> list[dict[str, Any]]:
    """The query parameters a filter backend reads, described better than DRF's own
    schema methods do where this package knows the backend.
    """
    from rest_framework.filters import OrderingFilter, SearchFilter

    extension = filter_backend_extension(backend)  # django-filter's (contrib), say
    if extension is not None:
        return [
            {"name": name, "in": "query", "schema": schema}
            for name, schema in extension.parameters(backend, view)
        ]
    if isinstance(backend, SearchFilter):
        search = _search_parameter(backend, view)
        return [search] if search else []
    if isinstance(backend, OrderingFilter):
        ordering = _ordering_parameter(backend, view)
        return [ordering] if ordering else []
    return _parameters_of(backend, view)


def list_query_parameters(view: Any) -> tuple[Schema, list[str]]:
    """(properties, required) for the query parameters of a list action."""
    properties: Schema = {}
    required: list[str] = []
    parameters: list[dict[str, Any]] = []
    for backend_class in getattr(view, "filter_backends", None) or []:
        parameters.extend(_backend_parameters(backend_class(), view))
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        parameters.extend(_parameters_of(paginator, view))
    for parameter in parameters:
        name = parameter.get("name")
        if not isinstance(name, str) or not name:
            continue
        schema = openapi_to_json_schema(copy.deepcopy(parameter.get("schema") or {}))
        description = parameter.get("description")
        if description and "description" not in schema:
            schema["description"] = str(description)
        properties[name] = schema
        if parameter.get("required"):
            required.append(name)
    return properties, required


def paginated_output_schema(view: Any, item_schema: Schema) -> Schema:
    """The envelope the view's list action answers with; when the paginator can also
    answer a bare list (no page size, or LimitOffsetPagination without ``limit``), which
    is sent as ``{"results": [...]}``, the schema accepts that shape too."""
    paginator = getattr(view, "paginator", None)
    item_schema = dict(item_schema)
    definitions = item_schema.pop("$defs", None)  # "#/$defs/..." points at the root
    items = {"type": "array", "items": item_schema}
    envelope = _envelope(paginator, items)
    if paginator is not None and may_skip_pagination(paginator):
        envelope = _or_bare_list(envelope, items)
    if definitions:
        envelope["$defs"] = definitions
    return envelope


def may_skip_pagination(paginator: Any) -> bool:
    """Whether ``paginate_queryset`` may return None, so that the view answers a bare
    list: DRF's paginators do without a page size (a client-chosen one aside) or, for
    LimitOffsetPagination, without a default limit unless ``limit`` is sent. A paginator
    whose code this cannot read (its own ``paginate_queryset``) may."""
    from rest_framework import pagination

    known = {
        pagination.PageNumberPagination: ("page_size", "get_page_size"),
        pagination.CursorPagination: ("page_size", "get_page_size"),
        pagination.LimitOffsetPagination: ("default_limit", "get_limit"),
    }
    for base, (size_attribute, getter) in known.items():
        if not isinstance(paginator, base):
            continue
        own_code = any(
            getattr(type(paginator), name) is not getattr(base, name)
            for name in ("paginate_queryset", getter)
        )
        return own_code or not getattr(paginator, size_attribute, None)
    return True


def _or_bare_list(envelope: Schema, items: Schema) -> Schema:
    """``envelope`` that also accepts ``{"results": [...]}`` (a list sent unpaginated)."""
    properties = envelope.get("properties")
    if isinstance(properties, dict) and properties.get("results") == items:
        if set(envelope.get("required") or []) <= {"results"}:
            return envelope  # CursorPagination's: {"results": [...]} fits it already
        relaxed = dict(envelope)
        relaxed["required"] = ["results"]
        note = "The other keys are missing when the list is not paginated."
        relaxed["description"] = " ".join(p for p in (envelope.get("description"), note) if p)
        return relaxed
    if set(envelope) <= {"type"}:
        return envelope  # already any object
    bare = {"type": "object", "properties": {"results": items}, "required": ["results"]}
    return {"type": "object", "anyOf": [envelope, bare]}


def _envelope(paginator: Any, items: Schema) -> Schema:
    if paginator is not None and hasattr(paginator, "get_paginated_response_schema"):
        try:
            schema = openapi_to_json_schema(paginator.get_paginated_response_schema(items))
        except Exception:
            logger.warning("Paginator schema failed; using a permissive envelope.", exc_info=True)
            return {"type": "object"}
        if isinstance(schema, dict) and schema.get("type") == "object":
            return schema
        return {"type": "object"}
    # Unpaginated lists are wrapped so that structuredContent is an object.
    return {"type": "object", "properties": {"results": items}, "required": ["results"]}
