"""Deprecated alias of :mod:`rest_framework_mcp.core.sessions`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import sessions as _moved

warnings.warn(
    "rest_framework_mcp.sessions moved to rest_framework_mcp.core.sessions",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
