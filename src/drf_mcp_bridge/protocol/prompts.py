"""``prompts/list`` and ``prompts/get``: the ``@mcp_prompt`` prompts and the generated
guides of the resources whose tools the caller may see."""

from __future__ import annotations

from typing import Any

from ..catalogue import prompts
from ..catalogue.prompts import Prompt
from ..conf.settings import mcp_settings
from ..core.context import RequestContext
from ..core.jsonrpc import JSONRPCError
from ..core.types import INVALID_PARAMS, INVALID_REQUEST
from ..invocation import calls
from .base import MethodsBase
from .paging import page_of, read_cursor


class PromptMethods(MethodsBase):
    """The prompts methods of :class:`~drf_mcp_bridge.protocol.server.MCPServer`."""

    def prompts(self, context: RequestContext) -> dict[str, prompts.Prompt]:
        """The prompts this caller may see: the ``@mcp_prompt`` ones, and the generated
        guides of the resources whose tools it may see."""
        found = {p.name: p for p in prompts.user_prompts()}
        if mcp_settings.AUTO_PROMPTS:
            for prompt in self._guide_prompts(context):
                found.setdefault(prompt.name, prompt)
        return found

    def all_prompts(self) -> dict[str, Prompt]:
        """Every prompt, for every caller's eyes (the catalogue export)."""
        found = {p.name: p for p in prompts.user_prompts()}
        if mcp_settings.AUTO_PROMPTS:
            tools = self.registry.tools()
            guides = self.registry.derived("guide_prompts", lambda: prompts.guide_prompts(tools))
            for prompt in guides:
                found.setdefault(prompt.name, prompt)
        return found

    def _guide_prompts(self, context: RequestContext) -> list[Prompt]:
        """The generated guides, built once per set of visible tools."""
        guides: list[Prompt] = self.gate.visible_guides(context, prompts.guide_prompts)
        return guides

    def prompts_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        offset = read_cursor(params, "prompts")
        entries = [p.definition() for p in self.prompts(context).values()]
        return page_of("prompts", entries, offset, mcp_settings.RESOURCES_PAGE_SIZE)

    def prompts_get(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        name = params.get("name")
        if not isinstance(name, str) or not name:
            raise JSONRPCError(INVALID_PARAMS, 'prompts/get needs "name" (a string) in params.')
        prompt = self.prompts(context).get(name)
        if prompt is None:
            raise JSONRPCError(
                INVALID_PARAMS, f"Unknown prompt: {name!r}. Call prompts/list for the prompts."
            )
        arguments = params.get("arguments")
        calls.check_request_state(params)
        # A prompt function may ask the client for input as a tool does (current_call()).
        call = calls.CallContext(context, context.request_id, params)
        try:
            with calls.active(call):
                return prompt.get({} if arguments is None else arguments)
        except calls.InputRequired as needed:
            if not context.stateless:  # pragma: no cover - ask() raises it only then
                raise
            return needed.result()
        except calls.CapabilityMissing as missing:
            raise missing.error() from None
        except calls.InputUnavailable as unavailable:
            raise JSONRPCError(INVALID_REQUEST, str(unavailable)) from None
