"""drf-flex-fields integration: list and retrieve tools of a ViewSet whose serializer is a
``FlexFieldsSerializerMixin`` (``FlexFieldsModelSerializer``) take ``fields`` and ``omit``
(the parameter names of its ``REST_FLEX_FIELDS`` settings), sent to the view as the same
query parameters a REST client sends. ``expand`` is not offered: it adds nested objects
the output schema does not describe.

Imported when the app is ready (the default ``EXTENSIONS``); finds nothing when
drf-flex-fields is not installed.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from ..schema.sources import FieldSelectionExtension, register_field_selection

HAVE_FLEX_FIELDS = importlib.util.find_spec("rest_flex_fields") is not None


def is_flex_serializer(serializer: Any) -> bool:
    """Whether ``serializer`` (an instance, or the child of a ListSerializer) is one of
    drf-flex-fields', told by its classes (no import when the library is absent)."""
    if not HAVE_FLEX_FIELDS:
        return False
    serializer = getattr(serializer, "child", serializer)
    from rest_flex_fields.serializers import FlexFieldsSerializerMixin

    return isinstance(serializer, FlexFieldsSerializerMixin)


def flex_parameters() -> tuple[str, str]:
    """The ``fields`` and ``omit`` parameter names (``REST_FLEX_FIELDS`` FIELDS_PARAM and
    OMIT_PARAM), read as drf-flex-fields reads them."""
    import rest_flex_fields

    return str(rest_flex_fields.FIELDS_PARAM), str(rest_flex_fields.OMIT_PARAM)


class FlexFieldsSelection(FieldSelectionExtension):
    def parameters(self, serializer: Any) -> tuple[str | None, str | None] | None:
        return flex_parameters() if is_flex_serializer(serializer) else None


register_field_selection(FlexFieldsSelection())
