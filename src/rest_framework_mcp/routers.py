"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.routers`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import routers as _moved

warnings.warn(
    "rest_framework_mcp.routers moved to rest_framework_mcp.catalogue.routers",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
