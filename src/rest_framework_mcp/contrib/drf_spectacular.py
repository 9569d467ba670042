"""drf-spectacular integration (optional extra ``[spectacular]``).

Fields described for OpenAPI with ``@extend_schema_field`` are described the same way for
MCP, so nobody describes a field twice. The OpenAPI 3.0 fragment is turned into JSON Schema
2020-12 (``nullable`` → a ``null`` type, ``example`` dropped).
"""

from __future__ import annotations

import importlib.util
from typing import Any

HAVE_SPECTACULAR = importlib.util.find_spec("drf_spectacular") is not None


def field_schema(field: Any, direction: str) -> dict[str, Any] | None:
    """The schema drf-spectacular's ``@extend_schema_field`` declares for ``field``, if any.

    Returns None when drf-spectacular is not installed, when nothing is declared, or when
    the declaration is a serializer or an OpenApiTypes value this module cannot convert.
    """
    if not HAVE_SPECTACULAR:
        return None
    from ..schema.parameters import openapi_to_json_schema

    annotation = _annotation(field)
    if annotation is None:
        return _from_extension(field, direction)

    if isinstance(annotation, dict):
        schema = openapi_to_json_schema(annotation)
        return schema if isinstance(schema, dict) else None
    try:
        from drf_spectacular.plumbing import build_basic_type
    except ImportError:  # pragma: no cover - very old drf-spectacular
        return None
    try:
        basic = build_basic_type(annotation)
    except Exception:
        return None
    if isinstance(basic, dict):
        converted = openapi_to_json_schema(basic)
        return converted if isinstance(converted, dict) else None
    return None


def _from_extension(field: Any, direction: str) -> dict[str, Any] | None:
    """The schema a registered ``OpenApiSerializerFieldExtension`` gives the field."""
    from drf_spectacular.extensions import OpenApiSerializerFieldExtension
    from drf_spectacular.openapi import AutoSchema

    from ..schema.parameters import openapi_to_json_schema

    extension = OpenApiSerializerFieldExtension.get_match(field)
    if extension is None:
        return None
    try:
        schema = extension.map_serializer_field(
            AutoSchema(), "request" if direction == "input" else "response"
        )
    except Exception:  # an extension that needs a full schema generator run
        return None
    converted = openapi_to_json_schema(schema)
    return converted if isinstance(converted, dict) else None


def _annotation(field: Any) -> Any:
    # extend_schema_field sets _spectacular_annotation on the field class (or a
    # SerializerMethodField's method); a per-direction dict is also allowed by it.
    method_name = getattr(field, "method_name", None)
    parent = getattr(field, "parent", None)
    if method_name and parent is not None:
        method = getattr(type(parent), method_name, None)
        annotation = getattr(method, "_spectacular_annotation", None)
        if annotation is not None:
            return _unwrap(annotation)
    for klass in type(field).__mro__:
        annotation = klass.__dict__.get("_spectacular_annotation")
        if annotation is not None:
            return _unwrap(annotation)
    return None


def _unwrap(annotation: Any) -> Any:
    if isinstance(annotation, dict) and "field" in annotation:
        return annotation["field"]
    return annotation


#: What :func:`declared_request` answers when ``@extend_schema`` declares no request body.
NOT_DECLARED: Any = object()


def declared_request(view: Any, function: Any, method: str) -> Any:
    """What ``@extend_schema(request=...)`` on the view method ``function`` (an
    ``@action``, or a ``@extend_schema_view`` entry) declares as the body of ``method``:
    None for ``request=None`` (the action takes no body), the declared serializer (or
    whatever else was declared), or :data:`NOT_DECLARED`.

    drf-spectacular keeps the declaration in the schema class it stores in
    ``function.kwargs["schema"]``; it is asked the way drf-spectacular asks it, with the
    view's own serializer replaced by a marker so that a fallback to it is recognised.
    """
    if not HAVE_SPECTACULAR:
        return NOT_DECLARED
    stored = (getattr(function, "kwargs", None) or {}).get("schema")
    if stored is None:
        return NOT_DECLARED
    schema_class = stored if isinstance(stored, type) else type(stored)
    # extend_schema's class, over drf-spectacular's AutoSchema or DRF's (when
    # DEFAULT_SCHEMA_CLASS is not drf-spectacular's; asking DRF's own then fails, which
    # means nothing was declared).
    if not any(k.__module__.startswith("drf_spectacular.") for k in schema_class.__mro__):
        return NOT_DECLARED

    class Probe(schema_class):  # type: ignore[valid-type,misc]
        def _get_serializer(self) -> Any:
            return NOT_DECLARED

    try:
        probe = Probe()
        probe.view = view
        probe.method = method.upper()
        return probe.get_request_serializer()
    except Exception:  # a schema class that needs a whole generator run
        return NOT_DECLARED
