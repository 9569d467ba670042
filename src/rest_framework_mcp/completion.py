"""Deprecated alias of :mod:`rest_framework_mcp.protocol.completion`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .protocol import completion as _moved

warnings.warn(
    "rest_framework_mcp.completion moved to rest_framework_mcp.protocol.completion",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
