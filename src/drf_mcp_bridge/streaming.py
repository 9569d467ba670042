"""Deprecated alias of :mod:`drf_mcp_bridge.transport.streaming`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import streaming as _moved

warnings.warn(
    "drf_mcp_bridge.streaming moved to drf_mcp_bridge.transport.streaming",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
