"""Deprecated alias of :mod:`drf_mcp_bridge`, kept for one release.

The package was renamed before its first release (docs/decisions.md, "Distribution and
import names"): ``rest_framework_mcp`` is also the import name of another published
distribution. Every ``rest_framework_mcp`` import — ``INSTALLED_APPS = ["rest_framework_mcp"]``,
``include("rest_framework_mcp.urls")``, ``from rest_framework_mcp.test import MCPClient`` —
still works and gives the very same module objects as ``drf_mcp_bridge`` (one import, one
registry, one set of settings), with a :class:`DeprecationWarning` at the first import.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import drf_mcp_bridge as _target

OLD = "rest_framework_mcp"
NEW = "drf_mcp_bridge"

warnings.warn(
    f"'{OLD}' was renamed '{NEW}' (distribution drf-mcp-bridge); the old import path is a "
    f"deprecated alias that the next release removes. Replace '{OLD}' with '{NEW}' in "
    "INSTALLED_APPS, URLconfs and imports.",
    DeprecationWarning,
    stacklevel=2,
)


class _RenamedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolves ``rest_framework_mcp.<x>`` to the already renamed ``drf_mcp_bridge.<x>``."""

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith(OLD + "."):
            return None
        real = importlib.util.find_spec(NEW + fullname[len(OLD) :])
        if real is None:
            return None
        return importlib.util.spec_from_loader(
            fullname, self, is_package=real.submodule_search_locations is not None
        )

    def __init__(self) -> None:
        self._real_specs: dict[str, importlib.machinery.ModuleSpec | None] = {}

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(NEW + spec.name[len(OLD) :])
        self._real_specs[module.__name__] = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import machinery stamped the alias's spec on the real module: put its own back,
        # so the module keeps one identity (reloads and find_spec see drf_mcp_bridge.<x>).
        real_spec = self._real_specs.pop(module.__name__, None)
        if real_spec is not None:
            module.__spec__ = real_spec


if not any(isinstance(finder, _RenamedModules) for finder in sys.meta_path):
    sys.meta_path.insert(0, _RenamedModules())

__all__ = list(getattr(_target, "__all__", ()))


def __getattr__(name: str) -> Any:
    return getattr(_target, name)


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(globals()))
