"""Deprecated alias of :mod:`rest_framework_mcp.invocation.calls`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .invocation import calls as _moved

warnings.warn(
    "rest_framework_mcp.calls moved to rest_framework_mcp.invocation.calls",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
