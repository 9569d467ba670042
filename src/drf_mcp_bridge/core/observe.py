"""Observation points around the server's work, for instrumentation registered from
outside the core (``contrib.otel`` registers its tracer here in ``AppConfig.ready()``).

Three points, each wrapping the work it observes: every incoming JSON-RPC request or
notification (``message``), every tool run (``tool_call``), and every inner request a tool
sends through the project's middleware to its view (``inner_request``). An observer gets a
``proceed`` callable and returns what it returns (raising what it raises), so it can open a
span around the work, make it current for the code inside (Django and database
instrumentation nest under it), and read the outcome.

With no observer registered, each point costs one truthiness test of the module-level list
:data:`OBSERVERS`, which the call sites check before building anything.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .context import RequestContext
    from .jsonrpc import Message

T = TypeVar("T")


class Observer:
    """Override the points you observe; each must call ``proceed()`` exactly once and
    return its value (or let its exception propagate)."""

    def message(self, proceed: Callable[[], T], message: Message, context: RequestContext) -> T:
        """One incoming request or notification (not a client's reply to the server)."""
        return proceed()

    def tool_call(
        self,
        proceed: Callable[[], T],
        tool: Any,
        arguments: dict[str, Any],
        context: RequestContext,
    ) -> T:
        """One tool run; ``proceed()`` returns the ``CallToolResult`` dict."""
        return proceed()

    def inner_request(
        self,
        proceed: Callable[[], T],
        request: HttpRequest,
        tool: Any,
        context: RequestContext,
    ) -> T:
        """A tool's inner request through the middleware to its view; ``proceed()``
        returns the Django response."""
        return proceed()


#: The registered observers, outermost first (the call sites test it for emptiness).
OBSERVERS: list[Observer] = []
_observers = OBSERVERS


def register_observer(observer: Observer) -> None:
    """Add an observer (once); the first registered is the outermost."""
    if observer not in _observers:
        _observers.append(observer)


def unregister_observer(observer: Observer) -> None:
    if observer in _observers:
        _observers.remove(observer)


def observed(point: str, proceed: Callable[[], T], *details: Any) -> T:
    """Run ``proceed`` inside every registered observer's ``point``."""
    for observer in reversed(_observers):
        proceed = functools.partial(getattr(observer, point), proceed, *details)
    return proceed()
