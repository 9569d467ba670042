"""Deprecated alias of :mod:`drf_mcp_bridge.invocation.routes`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import routes as _moved

warnings.warn(
    "drf_mcp_bridge.routes moved to drf_mcp_bridge.invocation.routes",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
