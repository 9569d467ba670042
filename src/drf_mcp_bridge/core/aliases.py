"""The deprecated names of the modules that became packages (``protocol``, ``invocation``,
``transport`` were single modules before the package was split into layers)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any


def names_of(package: str, package_file: str, module: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package`` that finds the names the old module had in
    its ``module`` (imported on first use, so that importing one module of the layer does
    not import them all)."""

    def getattr_(name: str) -> Any:
        if name.startswith("__") or (Path(package_file).parent / f"{name}.py").exists():
            raise AttributeError(name)  # a submodule not imported yet: the import system's job
        moved = importlib.import_module(f"{package}.{module}")
        try:
            return getattr(moved, name)
        except AttributeError:
            raise AttributeError(f"module {package!r} has no attribute {name!r}") from None

    return getattr_
