"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.access`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import access as _moved

warnings.warn(
    "drf_mcp_bridge.access moved to drf_mcp_bridge.catalogue.access",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
