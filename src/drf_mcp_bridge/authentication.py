"""Deprecated alias of :mod:`drf_mcp_bridge.core.authentication`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import authentication as _moved

warnings.warn(
    "drf_mcp_bridge.authentication moved to drf_mcp_bridge.core.authentication",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
