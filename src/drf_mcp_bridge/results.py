"""Deprecated alias of :mod:`drf_mcp_bridge.invocation.results`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import results as _moved

warnings.warn(
    "drf_mcp_bridge.results moved to drf_mcp_bridge.invocation.results",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
