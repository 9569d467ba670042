"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.overrides`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import overrides as _moved

warnings.warn(
    "rest_framework_mcp.overrides moved to rest_framework_mcp.catalogue.overrides",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
