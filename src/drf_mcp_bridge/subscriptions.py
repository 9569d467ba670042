"""Deprecated alias of :mod:`drf_mcp_bridge.protocol.subscriptions`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .protocol import subscriptions as _moved

warnings.warn(
    "drf_mcp_bridge.subscriptions moved to drf_mcp_bridge.protocol.subscriptions",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
