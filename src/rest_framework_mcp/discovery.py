"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.discovery`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import discovery as _moved

warnings.warn(
    "rest_framework_mcp.discovery moved to rest_framework_mcp.catalogue.discovery",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
