"""What every layer shares: the MCP wire types, the JSON-RPC codec, the request context
and caller, the cache-backed state and sessions, the endpoint's authentication, signals.
"""
