"""Deprecated alias of :mod:`drf_mcp_bridge.conf.settings`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .conf import settings as _moved

warnings.warn(
    "drf_mcp_bridge.settings moved to drf_mcp_bridge.conf.settings",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
