"""Deprecated alias of :mod:`drf_mcp_bridge.transport.local`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import local as _moved

warnings.warn(
    "drf_mcp_bridge.local moved to drf_mcp_bridge.transport.local",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
