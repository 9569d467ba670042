"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.routers`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import routers as _moved

warnings.warn(
    "drf_mcp_bridge.routers moved to drf_mcp_bridge.catalogue.routers",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
