"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.checks`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import checks as _moved

warnings.warn(
    "rest_framework_mcp.checks moved to rest_framework_mcp.catalogue.checks",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
