"""Extension points for the field → JSON Schema mapping.

Layers, first match wins (see :func:`drf_mcp_bridge.schema.fields.field_schema`):

1. a per-field override: ``style={"mcp_schema": {...}}`` on the field, or
   ``Meta.mcp_field_schemas = {"name": {...}}`` on the serializer;
2. a registered :class:`FieldExtension` whose ``target_class`` is the field's class or a
   base of it (a class or a dotted path, so third-party fields need no import), or a
   schema declared on the field class with :func:`mcp_field_schema`;
3. drf-spectacular's ``@extend_schema_field`` and registered extensions when it is installed;
4. the built-in mapping, dispatched on the field's MRO;
5. a permissive schema, a logged warning and system check ``drf_mcp_bridge.W002``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django.utils.module_loading import import_string

Schema = dict[str, Any]
T = TypeVar("T")

#: Fields that fell back to a permissive schema: (serializer, field name, field class).
UNMAPPED: set[tuple[str, str, str]] = set()


class FieldExtension:
    """Describe a field class (and its subclasses) for MCP.

    Subclass it anywhere that is imported at start-up::

        class MoneyFieldExtension(FieldExtension):
            target_class = "djmoney.contrib.django_rest_framework.MoneyField"

            def map(self, field, direction):
                return {"type": "string", "pattern": r"^-?[0-9]+(\\.[0-9]+)?$"}
    """

    target_class: ClassVar[type[Any] | str]
    #: Higher wins when several extensions match the same class.
    priority: ClassVar[int] = 0
    registry: ClassVar[list[type[FieldExtension]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "target_class" in cls.__dict__:
            FieldExtension.registry.append(cls)

    @classmethod
    def resolved_target(cls) -> type[Any] | None:
        target = cls.target_class
        if isinstance(target, str):
            try:
                target = import_string(target)
            except ImportError:
                return None  # the third-party package is not installed
        return target if isinstance(target, type) else None

    def map(self, field: Any, direction: str) -> Schema:
        raise NotImplementedError


def find_extension(field: Any) -> FieldExtension | None:
    """The extension for the most specific class of ``field`` that has one."""
    targets: dict[type[Any], type[FieldExtension]] = {}
    for extension in sorted(FieldExtension.registry, key=lambda e: e.priority):
        target = extension.resolved_target()
        if target is not None:
            targets[target] = extension
    for klass in type(field).__mro__:
        if klass in targets:
            return targets[klass]()
    return None


def mcp_field_schema(
    schema: Schema | Callable[[Any, str], Schema],
) -> Callable[[type[T]], type[T]]:
    """Class decorator: the JSON Schema of a custom serializer field.

    ``schema`` is a dict, or a callable ``(field, direction) -> dict`` where direction is
    "input" or "output"::

        @mcp_field_schema({"type": "string", "pattern": "^#[0-9a-f]{6}$"})
        class ColourField(serializers.CharField): ...
    """

    def decorator(cls: type[T]) -> type[T]:
        cls._mcp_schema = schema  # type: ignore[attr-defined]
        return cls

    return decorator


def declared_schema(field: Any, direction: str) -> Schema | None:
    """The schema declared with :func:`mcp_field_schema` on the field's class or a base."""
    for klass in type(field).__mro__:
        declared = klass.__dict__.get("_mcp_schema")
        if declared is not None:
            value = declared(field, direction) if callable(declared) else declared
            return dict(value)
    return None


def mcp_instruction(text: str) -> Callable[[T], T]:
    """Attach a plain-language instruction to a validator (function or class); it is put
    in the description of every field (or serializer) the validator guards::

        @mcp_instruction("Must be a weekday.")
        def not_weekend(value): ...
    """

    def decorator(validator: T) -> T:
        validator.mcp_instruction = text  # type: ignore[attr-defined]
        return validator

    return decorator
