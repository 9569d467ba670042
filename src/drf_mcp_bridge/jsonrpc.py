"""Deprecated alias of :mod:`drf_mcp_bridge.core.jsonrpc`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import jsonrpc as _moved

warnings.warn(
    "drf_mcp_bridge.jsonrpc moved to drf_mcp_bridge.core.jsonrpc",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
