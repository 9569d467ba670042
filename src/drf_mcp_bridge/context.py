"""Deprecated alias of :mod:`drf_mcp_bridge.core.context`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import context as _moved

warnings.warn(
    "drf_mcp_bridge.context moved to drf_mcp_bridge.core.context",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
