"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.decorators`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import decorators as _moved

warnings.warn(
    "rest_framework_mcp.decorators moved to rest_framework_mcp.catalogue.decorators",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
