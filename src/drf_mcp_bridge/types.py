"""Deprecated alias of :mod:`drf_mcp_bridge.core.types`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import types as _moved

warnings.warn(
    "drf_mcp_bridge.types moved to drf_mcp_bridge.core.types",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
