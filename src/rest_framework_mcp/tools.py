"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.tools`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import tools as _moved

warnings.warn(
    "rest_framework_mcp.tools moved to rest_framework_mcp.catalogue.tools",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
