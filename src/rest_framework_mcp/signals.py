"""Deprecated alias of :mod:`rest_framework_mcp.core.signals`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .core import signals as _moved

warnings.warn(
    "rest_framework_mcp.signals moved to rest_framework_mcp.core.signals",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
