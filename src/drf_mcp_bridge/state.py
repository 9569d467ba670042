"""Deprecated alias of :mod:`drf_mcp_bridge.core.state`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import state as _moved

warnings.warn(
    "drf_mcp_bridge.state moved to drf_mcp_bridge.core.state",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
