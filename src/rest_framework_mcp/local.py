"""Deprecated alias of :mod:`rest_framework_mcp.transport.local`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import local as _moved

warnings.warn(
    "rest_framework_mcp.local moved to rest_framework_mcp.transport.local",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
