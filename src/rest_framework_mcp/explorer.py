"""Deprecated alias of :mod:`rest_framework_mcp.transport.explorer`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import explorer as _moved

warnings.warn(
    "rest_framework_mcp.explorer moved to rest_framework_mcp.transport.explorer",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
