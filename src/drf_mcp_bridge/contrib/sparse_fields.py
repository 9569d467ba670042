"""``SparseFieldsMixin``: sparse fields for a serializer without drf-flex-fields.

Put it first in a serializer's bases; a REST client (``?fields=id,name`` or
``?omit=notes``) and a tool call (the list and retrieve tools then take ``fields`` and
``omit``) get the same subset of its fields::

    class CustomerSerializer(SparseFieldsMixin, serializers.ModelSerializer): ...

Only the top-level serializer of a request reads the parameters (a nested one keeps its
fields); names that are not fields of the serializer are ignored, as drf-flex-fields
ignores them (tool calls refuse them before the view runs). ``fields_param`` and
``omit_param`` rename the parameters (None: not offered).

Importing this module registers the mixin with the core (a project that uses it imports
it); it needs no ``EXTENSIONS`` entry.
"""

from __future__ import annotations

from typing import Any

from ..schema.sources import FieldSelectionExtension, register_field_selection


def _names(request: Any, parameter: str | None) -> list[str]:
    if request is None or not parameter:
        return []
    params = getattr(request, "query_params", None)
    if params is None:
        params = getattr(request, "GET", {})
    values = params.getlist(parameter) if hasattr(params, "getlist") else []
    return [name.strip() for value in values for name in str(value).split(",") if name.strip()]


class SparseFieldsMixin:
    """Keeps the fields a request's ``fields`` names, drops those its ``omit`` names."""

    fields_param: str | None = "fields"
    omit_param: str | None = "omit"

    def get_fields(self) -> dict[str, Any]:
        found: dict[str, Any] = super().get_fields()  # type: ignore[misc]
        root: Any = getattr(self, "root", self)
        top = root is self or (getattr(root, "child", None) is self and root.parent is None)
        if not top:
            return found
        request = (getattr(self, "context", None) or {}).get("request")
        keep = _names(request, self.fields_param)
        drop = set(_names(request, self.omit_param))
        if keep or drop:
            found = {n: f for n, f in found.items() if (not keep or n in keep) and n not in drop}
        return found


class SparseFieldsSelection(FieldSelectionExtension):
    def parameters(self, serializer: Any) -> tuple[str | None, str | None] | None:
        serializer = getattr(serializer, "child", serializer)
        if not isinstance(serializer, SparseFieldsMixin):
            return None
        return serializer.fields_param, serializer.omit_param


register_field_selection(SparseFieldsSelection())
