"""Deprecated alias of :mod:`rest_framework_mcp.invocation.results`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import results as _moved

warnings.warn(
    "rest_framework_mcp.results moved to rest_framework_mcp.invocation.results",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
