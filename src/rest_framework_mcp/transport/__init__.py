"""Transports: Streamable HTTP (the /mcp view, its header and status rules, SSE), the
browsable explorer, and in-process / stdio serving. Each builds the caller's context
and hands messages to the protocol.

``rest_framework_mcp.transport`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``rest_framework_mcp.transport.rules``).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one module of the layer does not import them all.
    if name.startswith("__") or (Path(__file__).parent / f"{name}.py").exists():
        raise AttributeError(name)  # a submodule not imported yet: the import system's job
    moved = importlib.import_module(f"{__name__}.rules")
    try:
        return getattr(moved, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
