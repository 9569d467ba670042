"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.overrides`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import overrides as _moved

warnings.warn(
    "drf_mcp_bridge.overrides moved to drf_mcp_bridge.catalogue.overrides",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
