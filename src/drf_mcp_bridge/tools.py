"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.tools`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import tools as _moved

warnings.warn(
    "drf_mcp_bridge.tools moved to drf_mcp_bridge.catalogue.tools",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
