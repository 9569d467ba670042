"""Deprecated alias of :mod:`rest_framework_mcp.invocation.routes`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import routes as _moved

warnings.warn(
    "rest_framework_mcp.routes moved to rest_framework_mcp.invocation.routes",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
