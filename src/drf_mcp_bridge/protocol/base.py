"""What every feature's method handlers share: the registry and the access gate."""

from __future__ import annotations

from ..catalogue.access import AccessGate
from ..catalogue.registry import Registry


class MethodsBase:
    """The state a server's method handlers read (set by ``MCPServer.__init__``)."""

    registry: Registry
    #: Who may see, run and read what: every method handler asks it.
    gate: AccessGate
