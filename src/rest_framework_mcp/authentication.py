"""Deprecated alias of :mod:`rest_framework_mcp.core.authentication`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import authentication as _moved

warnings.warn(
    "rest_framework_mcp.authentication moved to rest_framework_mcp.core.authentication",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
