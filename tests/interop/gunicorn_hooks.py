"""The gunicorn configuration docs/deployment.md shows for a preloaded app (Django set up in
the arbiter, before the workers set their signal handlers): each worker told to stop ends
its long-lived MCP streams at once. tests/interop/test_stream_limits.py runs gthread
workers with it."""

from typing import Any

preload_app = True


def post_worker_init(worker: Any) -> None:
    from drf_mcp_bridge.transport.streaming import end_streams_on_signals

    end_streams_on_signals()
