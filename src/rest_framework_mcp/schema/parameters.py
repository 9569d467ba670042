"""Query parameters of list tools, from the view's paginator and filter backends."""

from __future__ import annotations

import copy
import logging
from typing import Any

from .fields import Schema

logger = logging.getLogger("rest_framework_mcp.schema")


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


def list_query_parameters(view: Any) -> tuple[Schema, list[str]]:
    """(properties, required) for the query parameters of a list action."""
    properties: Schema = {}
    required: list[str] = []
    components: list[Any] = [backend() for backend in getattr(view, "filter_backends", None) or []]
    paginator = getattr(view, "paginator", None)
    if paginator is not None:
        components.append(paginator)
    for component in components:
        for parameter in _parameters_of(component, view):
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
    """The exact envelope the view's list action answers with."""
    paginator = getattr(view, "paginator", None)
    item_schema = dict(item_schema)
    definitions = item_schema.pop("$defs", None)  # "#/$defs/..." points at the root
    items = {"type": "array", "items": item_schema}
    envelope = _envelope(paginator, items)
    if definitions:
        envelope["$defs"] = definitions
    return envelope


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
