"""Deprecated alias of :mod:`rest_framework_mcp.core.state`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import state as _moved

warnings.warn(
    "rest_framework_mcp.state moved to rest_framework_mcp.core.state",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
