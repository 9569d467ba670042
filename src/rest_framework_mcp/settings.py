"""Deprecated alias of :mod:`rest_framework_mcp.conf.settings`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .conf import settings as _moved

warnings.warn(
    "rest_framework_mcp.settings moved to rest_framework_mcp.conf.settings",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
