"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.access`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import access as _moved

warnings.warn(
    "rest_framework_mcp.access moved to rest_framework_mcp.catalogue.access",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
