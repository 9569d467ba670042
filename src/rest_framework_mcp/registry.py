"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.registry`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import registry as _moved

warnings.warn(
    "rest_framework_mcp.registry moved to rest_framework_mcp.catalogue.registry",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
