"""Deprecated alias of :mod:`drf_mcp_bridge.invocation.middleware`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import middleware as _moved

warnings.warn(
    "drf_mcp_bridge.middleware moved to drf_mcp_bridge.invocation.middleware",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
