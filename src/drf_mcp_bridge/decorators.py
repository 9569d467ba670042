"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.decorators`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import decorators as _moved

warnings.warn(
    "drf_mcp_bridge.decorators moved to drf_mcp_bridge.catalogue.decorators",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
