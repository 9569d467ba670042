"""Deprecated alias of :mod:`drf_mcp_bridge.protocol.completion`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .protocol import completion as _moved

warnings.warn(
    "drf_mcp_bridge.completion moved to drf_mcp_bridge.protocol.completion",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
