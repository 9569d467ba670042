"""The Skills extension (``io.modelcontextprotocol/skills``, SEP-2640), setting ``SKILLS``:
``skills/list``, ``skills/get``, and the ``skill://`` SKILL.md files in ``resources/list``
and ``resources/read``. A caller's skills are the generated guides of the resources whose
tools it may see (catalogue/skills.py)."""

from __future__ import annotations

from typing import Any

from ..catalogue import prompts, resources
from ..catalogue.skills import EXTENSION_ID, Skill, guide_skills
from ..conf.settings import mcp_settings
from ..core.context import RequestContext
from ..core.jsonrpc import JSONRPCError, checked_uri
from ..core.types import INVALID_PARAMS, METHOD_NOT_FOUND
from .paging import page_of, read_cursor
from .resources import ResourceMethods


class SkillMethods(ResourceMethods):
    """The skills methods of :class:`~drf_mcp_bridge.protocol.server.MCPServer`, and
    the SKILL.md files among its resources (hence the resources methods beneath)."""

    def skills(self, context: RequestContext) -> dict[str, Skill]:
        """URI -> skill, for this caller (none with ``SKILLS`` off)."""
        if not mcp_settings.SKILLS:
            return {}
        return guide_skills(self.gate.visible_guides(context, prompts.guide_prompts))

    def skills_capability(self) -> dict[str, Any]:
        """``capabilities.extensions`` entries: the extension's settings inline under its
        identifier (no optional feature, so an empty object)."""
        return {EXTENSION_ID: {}} if mcp_settings.SKILLS else {}

    def _skills_on(self, method: str) -> None:
        if not mcp_settings.SKILLS:
            raise JSONRPCError(
                METHOD_NOT_FOUND,
                f"{method} is off on this server (REST_FRAMEWORK_MCP['SKILLS']).",
            )

    def skills_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        self._skills_on("skills/list")
        offset = read_cursor(params, "skills")
        # One entry per skill, so no skill's files are split across pages.
        entries = [s.entry() for s in self.skills(context).values()]
        return page_of("skills", entries, offset, mcp_settings.RESOURCES_PAGE_SIZE)

    def skills_get(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        self._skills_on("skills/get")
        uri = params.get("uri")
        if not isinstance(uri, str) or not uri:
            raise JSONRPCError(INVALID_PARAMS, 'skills/get needs "uri" (a string) in params.')
        skill = self.skills(context).get(uri)
        if skill is None:
            raise JSONRPCError(
                INVALID_PARAMS,
                f"Unknown skill: {uri!r}. Call skills/list for the skills.",
                {"uri": uri},
            )
        return {"skill": skill.entry()}

    # SKILL.md files as resources ------------------------------------------------------
    def resources_list(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        if not mcp_settings.SKILLS:
            return super().resources_list(params, context)
        offset = read_cursor(params, "resources")
        tools = self.registry.tools()
        entries = resources.resource_entries(tools, lambda t: self._visible(t, context))
        entries += [s.resource() for s in self.skills(context).values()]
        return page_of("resources", entries, offset, mcp_settings.RESOURCES_PAGE_SIZE)

    def resources_read(self, params: dict[str, Any], context: RequestContext) -> dict[str, Any]:
        uri = params.get("uri")
        if mcp_settings.SKILLS and isinstance(uri, str) and uri.startswith("skill://"):
            skill = self.skills(context).get(checked_uri(uri, "resources/read"))
            if skill is not None:
                return {"contents": [skill.contents()]}
        return super().resources_read(params, context)
