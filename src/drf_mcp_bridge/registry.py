"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.registry`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import registry as _moved

warnings.warn(
    "drf_mcp_bridge.registry moved to drf_mcp_bridge.catalogue.registry",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
