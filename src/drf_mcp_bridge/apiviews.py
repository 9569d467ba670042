"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.apiviews`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import apiviews as _moved

warnings.warn(
    "drf_mcp_bridge.apiviews moved to drf_mcp_bridge.catalogue.apiviews",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
