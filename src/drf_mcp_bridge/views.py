"""Deprecated alias of :mod:`drf_mcp_bridge.transport.http`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import http as _moved

warnings.warn(
    "drf_mcp_bridge.views moved to drf_mcp_bridge.transport.http",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
