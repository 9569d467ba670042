"""Transports: Streamable HTTP (the /mcp view, its header and status rules, SSE), the
browsable explorer, and in-process / stdio serving. Each builds the caller's context
and hands messages to the protocol.

``rest_framework_mcp.transport`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``rest_framework_mcp.transport.rules``).
"""

from __future__ import annotations

from ..core.aliases import names_of

__getattr__ = names_of(__name__, __file__, "rules")
