"""The MCP protocol: JSON-RPC dispatch by method name, versions and eras, and the
handlers per feature (tools, resources, prompts, completion, discovery, subscriptions).

``drf_mcp_bridge.protocol`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``drf_mcp_bridge.protocol.server``).
"""

from __future__ import annotations

from ..core.aliases import names_of

__getattr__ = names_of(__name__, __file__, "server")
