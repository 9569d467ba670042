"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.checks`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import checks as _moved

warnings.warn(
    "drf_mcp_bridge.checks moved to drf_mcp_bridge.catalogue.checks",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
