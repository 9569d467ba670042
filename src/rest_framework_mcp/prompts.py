"""Deprecated alias of :mod:`rest_framework_mcp.catalogue.prompts`.

Moved when the package was split into layers; kept for one release."""

import sys
import warnings

from .catalogue import prompts as _moved

warnings.warn(
    "rest_framework_mcp.prompts moved to rest_framework_mcp.catalogue.prompts",
    DeprecationWarning,
    stacklevel=2,
)
sys.modules[__name__] = _moved
