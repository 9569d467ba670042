"""Deprecated alias of :mod:`rest_framework_mcp.core.context`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import context as _moved

warnings.warn(
    "rest_framework_mcp.context moved to rest_framework_mcp.core.context",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
