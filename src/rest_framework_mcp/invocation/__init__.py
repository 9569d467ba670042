"""Running a call: the inner request through the project's middleware and the real view,
its transaction, and the response turned into a CallToolResult.

``rest_framework_mcp.invocation`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``rest_framework_mcp.invocation.run``).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one module of the layer does not import them all.
    if name.startswith("__") or (Path(__file__).parent / f"{name}.py").exists():
        raise AttributeError(name)  # a submodule not imported yet: the import system's job
    moved = importlib.import_module(f"{__name__}.run")
    try:
        return getattr(moved, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
