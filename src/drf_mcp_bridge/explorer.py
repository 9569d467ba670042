"""Deprecated alias of :mod:`drf_mcp_bridge.transport.explorer`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import explorer as _moved

warnings.warn(
    "drf_mcp_bridge.explorer moved to drf_mcp_bridge.transport.explorer",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
