"""Deprecated alias of :mod:`rest_framework_mcp.transport.streaming`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import streaming as _moved

warnings.warn(
    "rest_framework_mcp.streaming moved to rest_framework_mcp.transport.streaming",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
