"""Deprecated alias of :mod:`rest_framework_mcp.protocol.subscriptions`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .protocol import subscriptions as _moved

warnings.warn(
    "rest_framework_mcp.subscriptions moved to rest_framework_mcp.protocol.subscriptions",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
