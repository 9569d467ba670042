"""Transports: Streamable HTTP (the /mcp view, its header and status rules, SSE), the
browsable explorer, and in-process / stdio serving. Each builds the caller's context
and hands messages to the protocol.

``drf_mcp_bridge.transport`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``drf_mcp_bridge.transport.rules``).
"""

from __future__ import annotations

from ..core.aliases import names_of

__getattr__ = names_of(__name__, __file__, "rules")
