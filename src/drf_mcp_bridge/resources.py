"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.resources`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import resources as _moved

warnings.warn(
    "drf_mcp_bridge.resources moved to drf_mcp_bridge.catalogue.resources",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
