"""Deprecated alias of :mod:`rest_framework_mcp.core.types`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import types as _moved

warnings.warn(
    "rest_framework_mcp.types moved to rest_framework_mcp.core.types",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
