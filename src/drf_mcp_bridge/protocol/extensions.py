"""Protocol extensions registered from outside the core (``contrib.tasks`` registers the
Tasks extension here in its ``AppConfig.ready()``): the capability advertised under
``capabilities.extensions``, the extension's methods, and a hook that may answer a
``tools/call`` differently (a task instead of the result).

The core never imports an extension; an extension imports this module and calls
:func:`register_extension`. Extensions registered with ``stateless_only`` exist only in
the 2026-07-28 revision (the Tasks extension is defined for it alone): their methods are
unknown methods under the 2025 revisions, and their capability is not advertised there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.context import RequestContext

#: ``(server, params, context) -> result``, as an entry of ``MCPServer.methods``.
Method = Callable[[Any, dict[str, Any], "RequestContext"], Any]
#: ``(server, tool, arguments, params, context) -> result or None``: consulted by
#: tools/call for a tool whose ``task_support`` is not "forbidden"; None runs the call
#: as usual.
CallHook = Callable[[Any, Any, dict[str, Any], dict[str, Any], "RequestContext"], Any]


class ListenSource:
    """What an extension lets ``subscriptions/listen`` follow: the items named under
    ``params.notifications[field]`` (the Tasks extension: ``taskIds``)."""

    #: The key of ``params.notifications`` (and of the acknowledgment).
    field: str = ""

    def accept(self, items: Any, params: dict[str, Any], context: RequestContext) -> list[str]:
        """The items this caller may follow (raise a JSONRPCError to refuse the request)."""
        raise NotImplementedError

    def counter(self, item: str) -> str:
        """The name of the item's change counter (``subscriptions.notify_resource_updated``
        bumps it)."""
        raise NotImplementedError

    def render(self, item: str, context: RequestContext) -> dict[str, Any] | None:
        """The notification for a change of ``item``, or None to send nothing."""
        raise NotImplementedError


@dataclass(frozen=True)
class Extension:
    """One extension: its identifier (``io.modelcontextprotocol/tasks``), the object
    advertised for it, its methods, and an optional tools/call hook."""

    id: str
    capability: dict[str, Any] = field(default_factory=dict)
    methods: dict[str, Method] = field(default_factory=dict)
    call_hook: CallHook | None = None
    listen: ListenSource | None = None
    stateless_only: bool = True


_registered: dict[str, Extension] = {}


def register_extension(extension: Extension) -> None:
    """Add (or replace, by id) an extension; every server instance sees it."""
    _registered[extension.id] = extension


def _active(stateless: bool) -> list[Extension]:
    """The registered extensions of this era (``stateless_only`` ones only in 2026-07-28)."""
    return [e for e in _registered.values() if stateless or not e.stateless_only]


def extension_capabilities(stateless: bool) -> dict[str, Any]:
    """``capabilities.extensions`` entries of the registered extensions."""
    return {e.id: dict(e.capability) for e in _active(stateless)}


def extension_method(name: str, stateless: bool) -> Method | None:
    """The handler an extension of this era has for the method ``name``, or None."""
    return next((e.methods[name] for e in _active(stateless) if name in e.methods), None)


def call_hooks(stateless: bool) -> list[CallHook]:
    return [e.call_hook for e in _active(stateless) if e.call_hook is not None]


def listen_sources(stateless: bool) -> list[ListenSource]:
    return [e.listen for e in _active(stateless) if e.listen is not None]
