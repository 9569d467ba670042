"""Deprecated alias of :mod:`drf_mcp_bridge.core.signals`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import signals as _moved

warnings.warn(
    "drf_mcp_bridge.signals moved to drf_mcp_bridge.core.signals",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
