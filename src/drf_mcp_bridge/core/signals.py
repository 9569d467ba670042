"""Signals sent for every tool call, for auditing and metrics.

``tool_called`` is sent after every call, ``tool_failed`` also when the result is an
error (``isError``). Keyword arguments: ``tool`` (the name), ``arguments`` (as the client
sent them: they may hold secrets, so do not log them blindly), ``user``, ``result`` (the
``CallToolResult``), ``status`` (the inner HTTP status, or None for function tools),
``duration_ms`` and ``request`` (the outer Django request).
"""

from __future__ import annotations

from django.dispatch import Signal

tool_called = Signal()
tool_failed = Signal()
