"""Deprecated alias of :mod:`drf_mcp_bridge.catalogue.prompts`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import prompts as _moved

warnings.warn(
    "drf_mcp_bridge.prompts moved to drf_mcp_bridge.catalogue.prompts",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
