"""Agent Skills (the ``io.modelcontextprotocol/skills`` extension, SEP-2640): a DRF
project's skills are its generated resource guides.

Each exposed resource's guide (:func:`~.prompts.guide_prompts`, the text that tells a model
how to use that resource's tools) is one skill: ``skill://<name>/SKILL.md``, a Markdown file
with YAML frontmatter (``name``, ``description``) whose body is the guide. A skill has no
other files. The guides a caller gets are the ones the access gate builds for the tools it
may see (``AccessGate.visible_guides``), so a caller sees exactly the skills of the
resources whose guide prompts it sees.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from .prompts import Prompt

#: The extension's identifier under ``capabilities.extensions``.
EXTENSION_ID = "io.modelcontextprotocol/skills"
SCHEME = "skill"
SKILL_FILE = "SKILL.md"
MIME_TYPE = "text/markdown"
#: The Agent Skills specification's longest name.
_NAME_LENGTH = 64


def skill_name(key: str) -> str:
    """The resource key as an Agent Skills name: lowercase letters, digits and single
    hyphens, neither first nor last, at most 64 characters (``order_items`` ->
    ``order-items``)."""
    name = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")
    return name[:_NAME_LENGTH].rstrip("-") or "resource"


def skill_uri(name: str) -> str:
    return f"{SCHEME}://{name}/{SKILL_FILE}"


@dataclass(frozen=True)
class Skill:
    """One skill: its name, its description (both in the frontmatter) and its body."""

    name: str
    description: str
    body: str

    @property
    def uri(self) -> str:
        return skill_uri(self.name)

    @property
    def frontmatter(self) -> dict[str, str]:
        return {"name": self.name, "description": self.description}

    def text(self) -> str:
        """SKILL.md: the frontmatter (each value a JSON string, which is a YAML
        double-quoted scalar, so that no name or description is read as another type),
        then the body."""
        head = "\n".join(f"{k}: {json.dumps(v)}" for k, v in self.frontmatter.items())
        return f"---\n{head}\n---\n\n{self.body.rstrip()}\n"

    def data(self) -> bytes:
        return self.text().encode("utf-8")

    def file_entry(self) -> dict[str, Any]:
        """The ``{uri, digest, size}`` triple of SKILL.md (the skill's only file)."""
        data = self.data()
        return {
            "uri": self.uri,
            "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
            "size": len(data),
        }

    def entry(self) -> dict[str, Any]:
        """The skill entry of ``skills/list`` and ``skills/get``."""
        return {"uri": self.uri, "frontmatter": self.frontmatter, "resources": [self.file_entry()]}

    def resource(self) -> dict[str, Any]:
        """The SKILL.md entry of ``resources/list`` (name and description from the
        frontmatter)."""
        return {
            "uri": self.uri,
            "name": self.name,
            "description": self.description,
            "mimeType": MIME_TYPE,
            "size": len(self.data()),
        }

    def contents(self) -> dict[str, Any]:
        """The ``resources/read`` contents of SKILL.md."""
        return {"uri": self.uri, "mimeType": MIME_TYPE, "text": self.text()}


def guide_skill(guide: Prompt) -> Skill:
    """The skill of one generated guide prompt (``<resource>_guide``)."""
    key = guide.name.removesuffix("_guide")
    title = guide.title or f"Guide to {key.replace('_', ' ')}"
    body = f"# {title}\n\n{guide.render({})}"
    description = guide.description or title
    return Skill(name=skill_name(key), description=description, body=body)


def guide_skills(guides: list[Prompt]) -> dict[str, Skill]:
    """URI -> skill for the generated guides, in their order; a name two resource keys
    come to (``a_b`` and ``a-b``) gets a number."""
    found: dict[str, Skill] = {}
    for guide in guides:
        skill = guide_skill(guide)
        name, number = skill.name, 2
        while skill_uri(name) in found:
            suffix = f"-{number}"
            name = skill.name[: _NAME_LENGTH - len(suffix)].rstrip("-") + suffix
            number += 1
        if name != skill.name:
            skill = Skill(name=name, description=skill.description, body=skill.body)
        found[skill.uri] = skill
    return found
