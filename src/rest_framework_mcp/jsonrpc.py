"""Deprecated alias of :mod:`rest_framework_mcp.core.jsonrpc`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import jsonrpc as _moved

warnings.warn(
    "rest_framework_mcp.jsonrpc moved to rest_framework_mcp.core.jsonrpc",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
