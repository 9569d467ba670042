"""DRF responses → ``CallToolResult`` (rendered by :mod:`.renderers`), and the results of
calls that never reach a view."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.http import HttpResponseBase

from ..core.types import CallToolResult
from .renderers import (  # the others: importable from here as before they moved
    CACHE_HEADERS,  # noqa: F401
    STATUS_HINTS,  # noqa: F401
    ResultRenderer,  # noqa: F401
    file_result,  # noqa: F401
    renderer_for,
)

if TYPE_CHECKING:
    from .interfaces import ResultTool

logger = logging.getLogger("drf_mcp_bridge")

#: Django's data-upload limits: the setting, and what the model is told.
_UPLOAD_LIMITS: list[tuple[type[SuspiciousOperation], str, str]] = [
    (
        TooManyFieldsSent,
        "DATA_UPLOAD_MAX_NUMBER_FIELDS",
        "The call sends more parameters than the server accepts (at most {limit}, "
        "Django's {setting}); send fewer values, e.g. shorter lists.",
    ),
    (
        TooManyFilesSent,
        "DATA_UPLOAD_MAX_NUMBER_FILES",
        "The call sends more files than the server accepts (at most {limit}, "
        "Django's {setting}); send fewer files.",
    ),
    (
        RequestDataTooBig,
        "DATA_UPLOAD_MAX_MEMORY_SIZE",
        "The call's data is larger than the server accepts (at most {limit} bytes, "
        "Django's {setting}); send less.",
    ),
]


def refused_request_result(exc: SuspiciousOperation) -> CallToolResult:
    """The result of an inner request Django refuses as a ``SuspiciousOperation``
    (``TooManyFieldsSent``, ``RequestDataTooBig``, ``DisallowedHost``...): a 400 over REST,
    so a client's mistake, not a server error. The data-upload limits are explained; other
    refusals are named by their class only, since their messages may quote the request."""
    from django.conf import settings

    detail = f"Django refused the request as malformed or suspicious ({type(exc).__name__})."
    for refusal, setting, hint in _UPLOAD_LIMITS:
        if isinstance(exc, refusal):
            detail = hint.format(setting=setting, limit=getattr(settings, setting, None))
            break
    text = f"Error: HTTP 400 Bad Request. {detail}"
    return {"content": [{"type": "text", "text": text}], "isError": True}


def response_to_result(response: HttpResponseBase, tool: ResultTool) -> CallToolResult:
    """The tool result of a view's response, rendered by the tool's result renderer (its
    ``result_renderer``, else ``RESULT_RENDERER``; see :mod:`.renderers`)."""
    return renderer_for(tool)().render(response, tool)


def error_result(message: str) -> CallToolResult:
    return {"content": [{"type": "text", "text": message}], "isError": True}


def unknown_arguments(unknown: Sequence[str], accepted: Sequence[str]) -> CallToolResult:
    """The tool error for arguments a tool does not take, naming the ones it does, so the
    model can correct the call."""
    return error_result(
        f"Unknown argument(s): {', '.join(sorted(unknown))}. This tool accepts: "
        f"{', '.join(sorted(accepted)) or 'no arguments'}."
    )
