"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.apiviews`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import apiviews as _moved

warnings.warn(
    "rest_framework_mcp.apiviews moved to rest_framework_mcp.catalogue.apiviews",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
