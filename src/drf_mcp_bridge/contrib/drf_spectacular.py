"""drf-spectacular integration (optional extra ``[spectacular]``).

What a project wrote for OpenAPI describes its tools too, so nobody describes anything twice:

* fields: ``@extend_schema_field`` (an OpenAPI fragment, an OpenApiTypes value, or a
  serializer or field, which the core's mapper describes) and registered
  ``OpenApiSerializerFieldExtension``/``OpenApiSerializerExtension`` classes;
* operations: ``@extend_schema``/``@extend_schema_view``'s ``request``, ``responses``,
  ``parameters``, ``summary``, ``description``, ``deprecated`` and ``exclude``;
* with ``SCHEMA_SOURCE = "spectacular"``, the whole operation the project's AutoSchema
  generates (:func:`operation_schemas`).

OpenAPI 3.0 fragments are turned into JSON Schema 2020-12 (:func:`_json_schema`). The core
calls the functions here lazily; drf-spectacular is imported only when installed.
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
    # Lazy: an integration is imported at startup whether or not its library is used.
    from ..schema.parameters import openapi_to_json_schema

    annotation = _annotation(field)
    if annotation is None:
        return _from_extension(field, direction)

    if isinstance(annotation, dict):
        schema = _json_schema(annotation, {}, direction)
        return schema if isinstance(schema, dict) else None
    from rest_framework.fields import Field

    annotated_class = annotation if isinstance(annotation, type) else type(annotation)
    if (
        isinstance(annotated_class, type)
        and issubclass(annotated_class, Field)
        and not issubclass(annotated_class, type(field))  # its own class: no recursion
    ):
        # A serializer or a field, class or instance: described by the core's mapper (with
        # its allow_null, many=True...), never as drf-spectacular's "string" fallback.
        return _field_or_serializer(annotation, direction)
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

    extension = OpenApiSerializerFieldExtension.get_match(field)
    if extension is None:
        return None
    auto_schema = _auto_schema(direction)
    try:
        schema = extension.map_serializer_field(
            auto_schema, "request" if direction == "input" else "response"
        )
    except Exception:  # an extension that needs a full schema generator run
        return None
    converted = _json_schema(schema, _components(auto_schema), direction)
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


# NOT_DECLARED: what the hooks answer when nothing is declared (shared with the core).
from ..schema.sources import NOT_DECLARED, SchemaSource, install_schema_source  # noqa: E402


def declared_request(view: Any, function: Any, method: str) -> Any:
    """What ``@extend_schema(request=...)`` on the view method ``function`` (an
    ``@action``, or a ``@extend_schema_view`` entry) declares as the body of ``method``:
    None for ``request=None`` (the action takes no body), the declared serializer (or
    whatever else was declared), or :data:`NOT_DECLARED`.

    drf-spectacular keeps the declaration in the schema class it stores in
    ``function.kwargs["schema"]``; it is asked the way drf-spectacular asks it, with the
    view's own serializer replaced by a marker so that a fallback to it is recognised.
    """
    if (getattr(function, "kwargs", None) or {}).get("schema") is None:
        return NOT_DECLARED  # no @extend_schema on this method
    probe = _probe(view, function, method)
    if probe is None:
        return NOT_DECLARED
    try:
        return probe.get_request_serializer()
    except Exception:  # a schema class that needs a whole generator run
        return NOT_DECLARED


# Operations: what @extend_schema / @extend_schema_view declare ---------------------------


def _schema_class(view_class: Any, function: Any) -> Any:
    """The schema class drf-spectacular uses for an operation: the one ``@extend_schema``
    left on the view method (``@action`` or CRUD method), else the view's own."""
    stored = (getattr(function, "kwargs", None) or {}).get("schema")
    if stored is None:
        try:
            stored = getattr(view_class, "schema", None)
        except Exception:  # DRF's DefaultSchema descriptor with an odd setting
            return None
    if stored is None:
        return None
    schema_class = stored if isinstance(stored, type) else type(stored)
    if not any(k.__module__.startswith("drf_spectacular.") for k in schema_class.__mro__):
        return None
    return schema_class


class _Undeclared:
    """What ``@extend_schema`` over DRF's own schema class (which has none of these) falls
    back to: nothing declared."""

    def get_override_parameters(self) -> list[Any]:
        return []

    def get_summary(self) -> None:
        return None

    def is_deprecated(self) -> bool:
        return False

    def is_excluded(self) -> bool:
        return False

    def get_response_serializers(self) -> Any:
        return NOT_DECLARED


def _probe(view: Any, function: Any, method: str) -> Any:
    """An instance of the operation's schema class, set up for ``view`` and ``method``,
    whose fallback to the view's serializer answers :data:`NOT_DECLARED`."""
    if not HAVE_SPECTACULAR:
        return None
    schema_class = _schema_class(type(view), function)
    if schema_class is None:
        return None

    class Probe(schema_class, _Undeclared):  # type: ignore[valid-type,misc]
        def _get_serializer(self) -> Any:
            return NOT_DECLARED

    try:
        from drf_spectacular.plumbing import ComponentRegistry

        probe = Probe()
        probe.view = view
        probe.method = method.upper()
        probe.registry = ComponentRegistry()
        probe.path = probe.path_regex = probe.path_prefix = "/"
    except Exception:
        return None
    return probe


def _ask(probe: Any, name: str, default: Any) -> Any:
    try:
        return getattr(probe, name)()
    except Exception:  # DRF's own schema class underneath, or one that needs a generator run
        return default


def _baseline(probe: Any, name: str) -> Any:
    """What drf-spectacular's AutoSchema itself answers (nothing declared)."""
    from drf_spectacular.openapi import AutoSchema

    if not isinstance(probe, AutoSchema):
        return None
    try:
        return getattr(AutoSchema, name)(probe)
    except Exception:
        return None


def _view_for(viewset: Any, operation: Any) -> Any:
    from django.contrib.auth.models import AnonymousUser
    from django.test.client import RequestFactory
    from rest_framework.request import Request

    initkwargs = dict(getattr(operation.function, "kwargs", None) or {})
    view = viewset(action_map={operation.method: operation.action}, **initkwargs)
    view.action = operation.action
    view.args, view.kwargs, view.format_kwarg, view.headers = (), {}, None, {}
    django_request = RequestFactory().generic(operation.method.upper(), "/")
    django_request.user = AnonymousUser()
    view.request = Request(django_request, authenticators=())
    return view


def operation_function(operation: Any) -> Any:
    """The view method ``@extend_schema`` decorates for an operation."""
    return operation.function if operation.function is not None else operation.handler


_EXCLUDED: dict[tuple[Any, str, str], bool] = {}


def excluded(viewset: Any, operation: Any) -> bool:
    """Whether ``@extend_schema(exclude=True)`` leaves the operation out of the API schema
    (then it is no tool either)."""
    if not HAVE_SPECTACULAR:
        return False
    key = (viewset, operation.key, operation.method)
    found = _EXCLUDED.get(key)
    if found is None:
        try:
            view = _view_for(viewset, operation)
        except Exception:
            view = None
        probe = _probe(view, operation_function(operation), operation.method) if view else None
        found = bool(_ask(probe, "is_excluded", False)) if probe is not None else False
        _EXCLUDED[key] = found
    return found


def declared_description(view: Any, function: Any, method: str) -> tuple[str | None, bool]:
    """(``summary`` then ``description`` as declared, whether ``deprecated=True``)."""
    probe = _probe(view, function, method)
    if probe is None:
        return None, False
    parts: list[str] = []
    summary = _ask(probe, "get_summary", None)
    if summary and summary != _baseline(probe, "get_summary"):
        parts.append(_sentence(str(summary)))
    description = _ask(probe, "get_description", None)
    if description and description != _baseline(probe, "get_description"):
        parts.append(str(description).strip())
    deprecated = _ask(probe, "is_deprecated", False) is True
    return (" ".join(parts) or None), deprecated


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?:" else text + "."


def declared_response(view: Any, function: Any, method: str) -> Any:
    """What ``@extend_schema(responses=...)`` declares for the success answer: None (no
    body), a serializer instance, a JSON Schema dict, or :data:`NOT_DECLARED`."""
    from rest_framework.serializers import BaseSerializer

    probe = _probe(view, function, method)
    if probe is None:
        return NOT_DECLARED
    found = _ask(probe, "get_response_serializers", NOT_DECLARED)
    if found is NOT_DECLARED:
        return NOT_DECLARED
    found = _success(found)
    if found is NOT_DECLARED or found is None:
        return found
    from drf_spectacular.types import OpenApiTypes
    from drf_spectacular.utils import OpenApiResponse

    if isinstance(found, OpenApiResponse):
        found = found.response
    if found is None or found is OpenApiTypes.NONE:
        return None
    if isinstance(found, type) and issubclass(found, BaseSerializer):
        found = found()
    if isinstance(found, BaseSerializer):
        return found
    if isinstance(found, dict):
        schema = _json_schema(found, {}, "output")
        is_object = isinstance(schema, dict) and schema.get("type") == "object"
        return schema if is_object else NOT_DECLARED
    return NOT_DECLARED  # an OpenApiTypes value or a Python type: no object to describe


def _success(declared: Any) -> Any:
    """The declaration of the first success status in a ``{status: ...}`` mapping."""
    if not isinstance(declared, dict) or not declared:
        return declared
    if not all(isinstance(k, (int, str, tuple)) for k in declared):
        return declared
    if any(isinstance(k, str) and not k.isdigit() for k in declared):
        return declared  # a plain OpenAPI schema dict ({"type": "object", ...})
    for key, value in declared.items():
        code = str(key[0] if isinstance(key, tuple) else key)
        if code.startswith("2"):
            return None if code == "204" else value
    return NOT_DECLARED


def declared_parameters(view: Any, function: Any, method: str) -> list[tuple[str, Any, bool]]:
    """Query parameters declared with ``OpenApiParameter`` (or a serializer of them), as
    (name, JSON Schema, required); the schema is None for ``exclude=True``."""
    if not HAVE_SPECTACULAR:
        return []
    from drf_spectacular.utils import OpenApiParameter
    from rest_framework.serializers import BaseSerializer

    # Lazy: an integration is imported at startup whether or not its library is used.
    from ..schema.fields import field_schema

    probe = _probe(view, function, method)
    if probe is None:
        return []
    found: list[tuple[str, Any, bool]] = []
    for parameter in _ask(probe, "get_override_parameters", []) or []:
        if isinstance(parameter, type) and issubclass(parameter, BaseSerializer):
            parameter = parameter()
        if isinstance(parameter, BaseSerializer):
            for name, field in getattr(parameter, "fields", {}).items():
                if not field.read_only:
                    found.append((name, field_schema(field, "input"), bool(field.required)))
            continue
        if not isinstance(parameter, OpenApiParameter) or parameter.location != "query":
            continue
        if parameter.exclude:
            found.append((parameter.name, None, False))
            continue
        found.append((parameter.name, _parameter_schema(parameter), bool(parameter.required)))
    return found


def _parameter_schema(parameter: Any) -> dict[str, Any]:
    from drf_spectacular.plumbing import build_basic_type
    from rest_framework.serializers import BaseSerializer, Field

    declared = parameter.type
    found: Any
    if isinstance(declared, dict):
        found = _json_schema(declared, {}, "input")
    elif isinstance(declared, (BaseSerializer, Field)) or (
        isinstance(declared, type) and issubclass(declared, Field)
    ):
        found = _field_or_serializer(declared, "input")
    else:
        try:
            found = _json_schema(build_basic_type(declared) or {}, {}, "input")
        except Exception:
            found = {}
    schema: dict[str, Any] = dict(found) if isinstance(found, dict) else {}
    if parameter.enum:
        schema["enum"] = list(parameter.enum)
    if parameter.pattern:
        schema["pattern"] = parameter.pattern
    if parameter.many:
        schema = {"type": "array", "items": schema}
    if parameter.default is not None:
        schema["default"] = parameter.default
    if parameter.description:
        schema["description"] = str(parameter.description)
    if parameter.deprecated:
        schema["deprecated"] = True
    return schema


def _field_or_serializer(declared: Any, direction: str) -> dict[str, Any]:
    """A field or serializer (class or instance) named in a declaration, described by the
    core's mapper."""
    # Lazy: an integration is imported at startup whether or not its library is used.
    from ..schema.fields import field_schema

    instance = declared() if isinstance(declared, type) else declared
    schema: dict[str, Any] = field_schema(instance, direction)
    return schema


# OpenAPI fragments → JSON Schema -----------------------------------------------------

_REF_PREFIX = "#/components/schemas/"


def _json_schema(schema: Any, components: dict[str, Any], direction: str, depth: int = 0) -> Any:
    """An OpenAPI 3.0 fragment as JSON Schema 2020-12: component ``$ref`` inlined (a
    recursive one becomes permissive), ``readOnly`` properties left out of input and
    ``writeOnly`` ones out of output, drf-spectacular's ``x-`` keys dropped, ``nullable``
    as a null type."""
    # Lazy: an integration is imported at startup whether or not its library is used.
    from ..schema.parameters import openapi_to_json_schema

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            name = ref[len(_REF_PREFIX) :]
            if name in seen or name not in components:
                return {}
            return walk(components[name], (*seen, name))
        if node.get("nullable") and "type" not in node:
            # OpenAPI 3.0's {"allOf": [{"$ref": ...}], "nullable": true}
            inner = walk({k: v for k, v in node.items() if k != "nullable"}, seen)
            return {"anyOf": [inner, {"type": "null"}]}
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key in {"enum", "const", "default", "required"}:
                result[key] = value
                continue
            if isinstance(key, str) and key.startswith("x-"):
                continue
            if key in {"readOnly", "writeOnly"}:
                continue
            if key == "properties" and isinstance(value, dict):
                kept = {
                    name: walk(sub, seen)
                    for name, sub in value.items()
                    if not _left_out(sub, direction)
                }
                result[key] = kept
                continue
            result[key] = walk(value, seen)
        for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            flag = result.get(bound)
            if isinstance(flag, bool):  # OpenAPI 3.0: a flag on the limit
                del result[bound]
                if flag and limit in result:
                    result[bound] = result.pop(limit)
        if isinstance(result.get("required"), list) and isinstance(result.get("properties"), dict):
            required = [n for n in result["required"] if n in result["properties"]]
            if required:
                result["required"] = required
            else:
                del result["required"]
        return result

    return openapi_to_json_schema(walk(schema, ()))


def _left_out(schema: Any, direction: str) -> bool:
    if not isinstance(schema, dict):
        return False
    return bool(schema.get("readOnly" if direction == "input" else "writeOnly"))


def _components(auto_schema: Any) -> dict[str, Any]:
    registry = getattr(auto_schema, "registry", None)
    found: dict[str, Any] = {}
    for (name, kind), component in getattr(registry, "_components", {}).items():
        if kind == "schemas" and getattr(component, "schema", None) is not None:
            found[name] = component.schema
    return found


def _auto_schema(direction: str) -> Any:
    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.plumbing import ComponentRegistry

    auto_schema = AutoSchema()
    auto_schema.registry = ComponentRegistry()
    auto_schema.method = "POST" if direction == "input" else "GET"
    auto_schema.path = auto_schema.path_regex = auto_schema.path_prefix = "/"
    auto_schema.view = _stand_in_view(auto_schema.method)
    return auto_schema


def _stand_in_view(method: str) -> Any:
    """A view for extensions to look at when no real one is at hand (a field's schema)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test.client import RequestFactory
    from rest_framework.generics import GenericAPIView
    from rest_framework.request import Request

    view: Any = GenericAPIView()
    view.args, view.kwargs, view.format_kwarg, view.headers = (), {}, None, {}
    django_request = RequestFactory().generic(method, "/")
    django_request.user = AnonymousUser()
    view.request = Request(django_request, authenticators=())
    return view


def serializer_extension_schema(serializer: Any, direction: str) -> dict[str, Any] | None:
    """The schema a registered ``OpenApiSerializerExtension`` gives ``serializer``."""
    if not HAVE_SPECTACULAR:
        return None
    from drf_spectacular.extensions import OpenApiSerializerExtension

    extension = OpenApiSerializerExtension.get_match(serializer)
    if extension is None:
        return None
    auto_schema = _auto_schema(direction)
    try:
        schema = extension.map_serializer(
            auto_schema, "request" if direction == "input" else "response"
        )
    except Exception:
        return None
    converted = _json_schema(schema, _components(auto_schema), direction)
    return converted if isinstance(converted, dict) else None


# SCHEMA_SOURCE = "spectacular": the operation drf-spectacular generates ------------------


class OperationSchemas:
    """What drf-spectacular's schema class generates for one operation, as JSON Schema."""

    def __init__(self) -> None:
        #: The body's properties and required names; None when it has no JSON body.
        self.body: dict[str, Any] | None = None
        self.body_required: list[str] = []
        self.body_description: str | None = None
        #: Query parameters: (name, schema, required).
        self.query: list[tuple[str, dict[str, Any], bool]] = []
        #: The success answer's schema; None when it has no JSON body (or lists items).
        self.output: dict[str, Any] | None = None
        #: For list tools: the schema of one listed item, if the answer lists them.
        self.items: dict[str, Any] | None = None


#: Formats kept: an unknown one ("decimal", "binary", "double") is no JSON Schema format;
#: rendered values do not always satisfy input formats (see schema.fields).
_INPUT_FORMATS = {"date", "date-time", "time", "email", "uri", "uuid", "ipv4", "ipv6"}
_OUTPUT_FORMATS = {"uuid", "date", "ipv4", "ipv6"}


def operation_schemas(
    view: Any, function: Any, method: str, lookup: str | None, listing: bool
) -> OperationSchemas | None:
    """The operation the project's AutoSchema (``DEFAULT_SCHEMA_CLASS``, an
    ``@extend_schema`` over it, or a view's own ``schema``) generates, or None when it is
    not drf-spectacular's or fails (the caller then uses its own mapping)."""
    if not HAVE_SPECTACULAR:
        return None
    from drf_spectacular.openapi import AutoSchema
    from drf_spectacular.plumbing import ComponentRegistry

    schema_class = _schema_class(type(view), function)
    if schema_class is None or not issubclass(schema_class, AutoSchema):
        return None
    path = f"/x/{{{lookup}}}/" if lookup else "/x/"
    regex = f"^x/(?P<{lookup}>[^/.]+)/$" if lookup else "^x/$"
    registry = ComponentRegistry()
    try:
        auto_schema = schema_class()
        auto_schema.view = view
        operation = auto_schema.get_operation(path, regex, "/", method.upper(), registry)
    except Exception:
        import logging

        logging.getLogger("drf_mcp_bridge.schema").warning(
            "drf-spectacular failed on %s %s; its serializers are described instead.",
            type(view).__name__,
            method.upper(),
            exc_info=True,
        )
        return None
    if not isinstance(operation, dict):
        return None
    components = _components(auto_schema)
    found = OperationSchemas()
    for parameter in operation.get("parameters") or []:
        if not isinstance(parameter, dict) or parameter.get("in") != "query":
            continue
        schema = _clean(_json_schema(parameter.get("schema") or {}, components, "input"), "input")
        if parameter.get("description") and isinstance(schema, dict):
            schema.setdefault("description", str(parameter["description"]).strip())
        name = parameter.get("name")
        if isinstance(name, str) and isinstance(schema, dict):
            found.query.append((name, schema, bool(parameter.get("required"))))
    body = _json_content((operation.get("requestBody") or {}).get("content"))
    if body is not None:
        converted = _clean(_json_schema(body, components, "input"), "input")
        if isinstance(converted, dict) and converted.get("type") == "object":
            found.body = dict(converted.get("properties") or {})
            found.body_required = list(converted.get("required") or [])
            found.body_description = converted.get("description")
    responses = operation.get("responses") or {}
    success = next((code for code in sorted(responses) if str(code).startswith("2")), None)
    content = (responses.get(success) or {}).get("content") if success else None
    answer = _json_content(content)
    if answer is not None:
        output = _clean(_json_schema(answer, components, "output"), "output")
        if listing and isinstance(output, dict):
            # The items; the caller puts them in the envelope list tools answer with (a
            # bare list as {"results": [...]}, a paginator that may skip paginating...).
            listed = output
            results = (output.get("properties") or {}).get("results")
            if output.get("type") == "object" and isinstance(results, dict):
                listed = results
            if listed.get("type") == "array" and isinstance(listed.get("items"), dict):
                found.items = listed["items"]
        elif isinstance(output, dict) and output.get("type") == "object":
            found.output = output
    return found


def _json_content(content: Any) -> Any:
    if not isinstance(content, dict) or not content:
        return None
    media = content.get("application/json")
    if media is None:
        media = next((v for k, v in content.items() if "json" in str(k)), None)
    return (media or {}).get("schema") if isinstance(media, dict) else None


_MARKDOWN = ("*", "`", "#", "[", "_", "\n")


def _clean(schema: Any, direction: str) -> Any:
    """Formats only where JSON Schema knows them and values keep to them; no markdown
    titles (drf-spectacular copies labels as given)."""
    if isinstance(schema, list):
        return [_clean(item, direction) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in {"properties", "$defs", "patternProperties"} and isinstance(value, dict):
            result[key] = {name: _clean(sub, direction) for name, sub in value.items()}
        elif key in {"enum", "const", "default", "required", "examples"}:
            result[key] = value
        else:
            result[key] = _clean(value, direction)
    allowed = _INPUT_FORMATS if direction == "input" else _OUTPUT_FORMATS
    if isinstance(result.get("format"), str) and result["format"] not in allowed:
        del result["format"]
    title = result.get("title")
    if isinstance(title, str) and any(mark in title for mark in _MARKDOWN):
        del result["title"]
    return result


class SpectacularSource(SchemaSource):
    """drf-spectacular's declarations, for the core (installed on import)."""

    def field_schema(self, field: Any, direction: str) -> dict[str, Any] | None:
        return field_schema(field, direction)

    def serializer_schema(self, serializer: Any, direction: str) -> dict[str, Any] | None:
        return serializer_extension_schema(serializer, direction)

    def operation_function(self, operation: Any) -> Any:
        return operation_function(operation)

    def excluded(self, viewset: Any, operation: Any) -> bool:
        return excluded(viewset, operation)

    def declared_description(
        self, view: Any, function: Any, method: str
    ) -> tuple[str | None, bool]:
        return declared_description(view, function, method)

    def declared_request(self, view: Any, function: Any, method: str) -> Any:
        return declared_request(view, function, method)

    def declared_response(self, view: Any, function: Any, method: str) -> Any:
        return declared_response(view, function, method)

    def declared_parameters(
        self, view: Any, function: Any, method: str
    ) -> list[tuple[str, Any, bool]]:
        return declared_parameters(view, function, method)

    def operation_schemas(
        self, view: Any, function: Any, method: str, lookup: str | None, listing: bool
    ) -> Any:
        return operation_schemas(view, function, method, lookup, listing)


install_schema_source(SpectacularSource())
