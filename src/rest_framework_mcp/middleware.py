"""Deprecated alias of :mod:`rest_framework_mcp.invocation.middleware`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import middleware as _moved

warnings.warn(
    "rest_framework_mcp.middleware moved to rest_framework_mcp.invocation.middleware",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
