"""Deprecated alias of :mod:`drf_mcp_bridge.invocation.calls`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import calls as _moved

warnings.warn(
    "drf_mcp_bridge.calls moved to drf_mcp_bridge.invocation.calls",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
