"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.discovery`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import discovery as _moved

warnings.warn(
    "drf_mcp_bridge.discovery moved to drf_mcp_bridge.catalogue.discovery",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
