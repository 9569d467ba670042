"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.resources`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import resources as _moved

warnings.warn(
    "rest_framework_mcp.resources moved to rest_framework_mcp.catalogue.resources",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
