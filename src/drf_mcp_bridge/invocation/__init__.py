"""Running a call: the inner request through the project's middleware and the real view,
its transaction, and the response turned into a CallToolResult.

``drf_mcp_bridge.invocation`` was a module before the package was split into layers; its names
are still found here (deprecated: import them from ``drf_mcp_bridge.invocation.run``).
"""

from __future__ import annotations

from ..core.aliases import names_of

__getattr__ = names_of(__name__, __file__, "run")
