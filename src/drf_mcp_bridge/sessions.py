"""Deprecated alias of :mod:`drf_mcp_bridge.core.sessions`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import sessions as _moved

warnings.warn(
    "drf_mcp_bridge.sessions moved to drf_mcp_bridge.core.sessions",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
