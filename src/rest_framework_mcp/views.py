"""Deprecated alias of :mod:`rest_framework_mcp.transport.http`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .transport import http as _moved

warnings.warn(
    "rest_framework_mcp.views moved to rest_framework_mcp.transport.http",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
