"""The MCP protocol: JSON-RPC dispatch by method name, versions and eras, and the
handlers per feature (tools, resources, prompts, completion, discovery, subscriptions).

``rest_framework_mcp.protocol`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``rest_framework_mcp.protocol.server``).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one module of the layer does not import them all.
    if name.startswith("__") or (Path(__file__).parent / f"{name}.py").exists():
        raise AttributeError(name)  # a submodule not imported yet: the import system's job
    moved = importlib.import_module(f"{__name__}.server")
    try:
        return getattr(moved, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
