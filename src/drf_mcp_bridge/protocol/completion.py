"""``completion/complete``: values for prompt arguments and resource-template variables.

* ``drf://<resource>/{<lookup>}`` templates: the lookup values of the rows the caller's
  list call would return — the view's filter backends over ``get_queryset()``, after its
  authentication, permissions and throttles, exactly as the list call runs them — that
  start with what was typed, at most ``MAX_COMPLETION_VALUES``. Nothing for a caller the list
  refuses; nothing at all with ``COMPLETION_QUERYSETS = False``.
* ``@mcp_resource`` / ``@mcp_prompt`` with ``complete={"arg": [...] or callable}``.
"""

from __future__ import annotations

import logging
from typing import Any

from ..catalogue import resources
from ..conf.settings import mcp_settings
from ..core.jsonrpc import JSONRPCError, checked_uri
from ..core.types import INVALID_PARAMS
from ..invocation.prepared import ReadRefused

logger = logging.getLogger("drf_mcp_bridge")


def complete(server: Any, params: dict[str, Any], context: Any) -> dict[str, Any]:
    ref = params.get("ref")
    argument = params.get("argument")
    if not isinstance(ref, dict) or not isinstance(argument, dict):
        raise JSONRPCError(
            INVALID_PARAMS, 'completion/complete needs "ref" and "argument" objects in params.'
        )
    name, value = argument.get("name"), argument.get("value", "")
    if not isinstance(name, str) or not isinstance(value, str):
        raise JSONRPCError(INVALID_PARAMS, '"argument" needs "name" and "value" strings.')
    kind = ref.get("type")
    if kind == "ref/prompt":
        prompt = server.prompts(context).get(ref.get("name"))
        if prompt is None:
            raise JSONRPCError(INVALID_PARAMS, f"Unknown prompt: {ref.get('name')!r}.")
        if name not in {a["name"] for a in prompt.arguments}:
            raise JSONRPCError(INVALID_PARAMS, f"Prompt {prompt.name} has no argument {name!r}.")
        values = _declared(prompt.complete.get(name), value, context)
    elif kind == "ref/resource":
        uri = checked_uri(ref.get("uri"), "ref/resource")
        values = _for_template(server, uri, name, value, context)
    else:
        raise JSONRPCError(
            INVALID_PARAMS, f"Unknown ref type {kind!r}: use ref/prompt or ref/resource."
        )
    limit = _limit()
    more = len(values) > limit
    completion: dict[str, Any] = {"values": values[:limit], "hasMore": more}
    if not more:
        completion["total"] = len(values)
    return {"completion": completion}


def _limit() -> int:
    """The most values one answer carries: MAX_COMPLETION_VALUES (the specification allows
    at most 100; check E015 reports a larger setting)."""
    return min(int(mcp_settings.MAX_COMPLETION_VALUES), 100)


def _declared(source: Any, value: str, context: Any) -> list[str]:
    if source is None:
        return []
    if callable(source):
        found = source(value, context.drf_request)
        return [str(v) for v in found][: _limit() + 1]
    return [str(v) for v in source if str(v).startswith(value)][: _limit() + 1]


def _for_template(server: Any, uri: str, name: str, value: str, context: Any) -> list[str]:
    for resource in resources.user_resources():
        if resource.is_template and resource.uri == uri:
            if name not in resource.variables:
                raise JSONRPCError(INVALID_PARAMS, f"{uri} has no variable {name!r}.")
            return _declared(resource.complete.get(name), value, context)
    _, details = resources.viewset_resources(server.registry.tools())
    for tool in details:
        if resources.template_entry(tool)["uriTemplate"] != uri:
            continue
        if name != tool.lookup_argument:
            raise JSONRPCError(INVALID_PARAMS, f"{uri} has no variable {name!r}.")
        if not server.gate.visible(tool, context) or not mcp_settings.COMPLETION_QUERYSETS:
            return []
        return _lookup_values(server, tool, value, context)
    raise JSONRPCError(INVALID_PARAMS, f"Unknown resource template: {uri!r}.")


def _lookup_values(server: Any, tool: Any, value: str, context: Any) -> list[str]:
    """Lookup values of the rows the caller's list call would return (the access gate's
    :meth:`~drf_mcp_bridge.access.AccessGate.readable_queryset`)."""

    def select(queryset: Any) -> list[str]:
        field = getattr(tool.viewset, "lookup_field", "pk")
        if field == "pk":
            field = queryset.model._meta.pk.name
        if value:
            queryset = queryset.filter(**{f"{field}__startswith": value})
        found = queryset.order_by(field).values_list(field, flat=True).distinct()[: _limit() + 1]
        return [str(v) for v in found]

    try:
        values: list[str] = server.gate.readable_queryset(tool, context, select)
    except ReadRefused:
        return []
    except Exception:
        logger.warning("Completion of %s failed", tool.name, exc_info=True)
        return []
    return values
