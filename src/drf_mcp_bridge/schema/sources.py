"""Where schemas come from besides DRF itself: the extension points that integrations
(``drf_mcp_bridge.contrib``) register into, so that the core never imports them.

* :class:`SchemaSource`: what a project declared for OpenAPI (field and serializer
  schemas, an operation's request, responses, parameters, description, exclusion, or the
  whole operation its AutoSchema generates). The default declares nothing;
  ``contrib.drf_spectacular`` installs one with :func:`install_schema_source`.
* :class:`RelationReaders`: which tool reads a related object (the catalogue installs it).
* :class:`FilterBackendExtension`: the query parameters one kind of filter backend reads.
  ``contrib.django_filter`` registers one for ``DjangoFilterBackend`` with
  :func:`register_filter_backend`.
* :class:`FieldSelectionExtension`: the sparse-fields query parameters a kind of
  serializer reads. ``contrib.flex_fields`` (drf-flex-fields) and
  ``contrib.sparse_fields`` (this package's mixin) register one with
  :func:`register_field_selection`.

The modules named by the ``EXTENSIONS`` setting are imported when the app is ready (the
integrations by default); each registers itself on import, as drf-spectacular's own
``contrib`` modules do.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

#: An operation declares nothing of this kind (as opposed to None: "declared as none").
NOT_DECLARED: Any = object()


class SchemaSource:
    """Declarations a project wrote elsewhere. Every hook answers "nothing declared"."""

    def field_schema(self, field: Any, direction: str) -> Schema | None:
        """A field's declared schema (``@extend_schema_field``, a field extension)."""
        return None

    def serializer_schema(self, serializer: Any, direction: str) -> Schema | None:
        """A serializer's declared schema (a serializer extension)."""
        return None

    def operation_function(self, operation: Any) -> Any:
        """The function that holds an operation's declarations (None: none)."""
        return None

    def excluded(self, viewset: Any, operation: Any) -> bool:
        """Whether the project left the operation out of its schema."""
        return False

    def declared_description(
        self, view: Any, function: Any, method: str
    ) -> tuple[str | None, bool]:
        """(description, deprecated) as declared."""
        return None, False

    def declared_request(self, view: Any, function: Any, method: str) -> Any:
        """The declared request body: a serializer, a schema, None, or NOT_DECLARED."""
        return NOT_DECLARED

    def declared_response(self, view: Any, function: Any, method: str) -> Any:
        """The declared success response: a serializer, a schema, None, or NOT_DECLARED."""
        return NOT_DECLARED

    def declared_parameters(
        self, view: Any, function: Any, method: str
    ) -> list[tuple[str, Any, bool]]:
        """(name, schema or None for "left out", required) of declared query parameters."""
        return []

    def operation_schemas(
        self, view: Any, function: Any, method: str, lookup: str | None, listing: bool
    ) -> Any:
        """The whole operation as the project's schema generator makes it (None: not)."""
        return None


class RelationReaders:
    """Which tool reads the object a relation field points at, for its description ("Id of
    a category; read it with categories_retrieve"). The catalogue installs the real one:
    the schema layer knows no registry."""

    def reader_of(self, model: Any, key: str | None) -> str | None:
        return None

    def reader_of_view_name(self, view_name: str) -> str | None:
        return None


class FilterBackendExtension:
    """The query parameters of one kind of filter backend."""

    def matches(self, backend: Any) -> bool:
        raise NotImplementedError

    def parameters(self, backend: Any, view: Any) -> list[tuple[str, Schema]]:
        raise NotImplementedError


class FieldSelectionExtension:
    """Sparse fields a kind of serializer reads from the query string (drf-flex-fields'
    ``fields``/``omit``, :class:`~drf_mcp_bridge.contrib.sparse_fields.SparseFieldsMixin`):
    :meth:`parameters` answers (the parameter that keeps only the named fields, the one
    that drops them; either may be None) for a serializer it knows, else None. Both take
    comma-separated field names of the serializer's top level, as the view reads them
    for a REST client."""

    def parameters(self, serializer: Any) -> tuple[str | None, str | None] | None:
        raise NotImplementedError


_source = SchemaSource()
_filter_backends: list[FilterBackendExtension] = []
_field_selections: list[FieldSelectionExtension] = []
_readers = RelationReaders()


def relation_readers() -> RelationReaders:
    return _readers


def install_relation_readers(readers: RelationReaders) -> None:
    global _readers
    _readers = readers


def schema_source() -> SchemaSource:
    return _source


def install_schema_source(source: SchemaSource) -> None:
    """Make ``source`` the one the core asks (the last installed wins)."""
    global _source
    _source = source


def register_filter_backend(extension: FilterBackendExtension) -> None:
    """Describe the backends ``extension`` matches with it (registered once per class)."""
    _filter_backends[:] = [e for e in _filter_backends if type(e) is not type(extension)]
    _filter_backends.append(extension)


def filter_backend_extension(backend: Any) -> FilterBackendExtension | None:
    for extension in _filter_backends:
        if extension.matches(backend):
            return extension
    return None


def register_field_selection(extension: FieldSelectionExtension) -> None:
    """Describe the sparse fields of the serializers ``extension`` knows (registered once
    per class)."""
    _field_selections[:] = [e for e in _field_selections if type(e) is not type(extension)]
    _field_selections.append(extension)


def field_selection(serializer: Any) -> tuple[str | None, str | None] | None:
    """(fields parameter, omit parameter) of a serializer that selects its fields from
    the query string, else None."""
    for extension in _field_selections:
        found = extension.parameters(serializer)
        if found is not None and (found[0] or found[1]):
            return found
    return None
