"""The Skills extension (SEP-2640, setting ``SKILLS``): each resource's generated guide is a
skill, ``skill://<resource>/SKILL.md``, listed per caller like the guide prompts."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge.catalogue.prompts import Prompt
from drf_mcp_bridge.catalogue.skills import EXTENSION_ID, guide_skills, skill_name
from drf_mcp_bridge.test import MCPClient, MCPError

pytestmark = pytest.mark.django_db

CUSTOMERS = "skill://customers/SKILL.md"
INVOICES = "skill://invoices/SKILL.md"


@pytest.fixture
def skills(settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "SKILLS": True}


@pytest.fixture
def per_user(skills: None, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": True}


def error_of(client: MCPClient, method: str, params: dict[str, Any]) -> MCPError:
    with pytest.raises(MCPError) as raised:
        client.request_mcp(method, params)
    return raised.value


def all_skills(client: MCPClient) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.request_mcp("skills/list")["skills"]
    return found


def read_skill(client: MCPClient, uri: str) -> dict[str, Any]:
    contents = client.request_mcp("resources/read", {"uri": uri})["contents"]
    assert len(contents) == 1
    found: dict[str, Any] = contents[0]
    return found


def frontmatter_of(text: str) -> dict[str, Any]:
    match = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert match, text
    # Parsed as hosts parse it (PyYAML comes with the docs tools; the oldest-versions run
    # has no YAML parser and skips these checks).
    yaml = pytest.importorskip("yaml")
    parsed: dict[str, Any] = yaml.safe_load(match.group(1))
    return parsed


# off by default -----------------------------------------------------------------------


def test_off_by_default(mcp: MCPClient) -> None:
    assert "extensions" not in mcp.initialize("2025-11-25")["capabilities"]
    assert error_of(mcp, "skills/list", {}).code == -32601
    assert error_of(mcp, "skills/get", {"uri": CUSTOMERS}).code == -32601
    uris = [r["uri"] for r in mcp.request_mcp("resources/list")["resources"]]
    assert not [u for u in uris if u.startswith("skill://")]
    assert error_of(mcp, "resources/read", {"uri": CUSTOMERS}).code in (-32002, -32602)


# declared in both eras ----------------------------------------------------------------


@pytest.mark.parametrize("version", ["2025-11-25", "2025-06-18"])
def test_declared_inline_at_initialize(skills: None, version: str) -> None:
    capabilities = MCPClient(protocol_version=version).initialize()["capabilities"]
    assert capabilities["extensions"] == {EXTENSION_ID: {}}
    assert "resources" in capabilities


def test_declared_inline_at_discover(skills: None) -> None:
    client = MCPClient(protocol_version="2026-07-28")
    capabilities = client.request_mcp("server/discover")["capabilities"]
    # Beside the Tasks extension (contrib.tasks is installed in the tests' settings).
    assert capabilities["extensions"][EXTENSION_ID] == {}
    assert set(capabilities["extensions"]) <= {EXTENSION_ID, "io.modelcontextprotocol/tasks"}


# the skills ---------------------------------------------------------------------------


def test_each_resource_guide_is_a_skill(skills: None, mcp: MCPClient) -> None:
    listed = {s["uri"]: s for s in all_skills(mcp)}
    guides = {
        p["name"].removesuffix("_guide")
        for p in mcp.request_mcp("prompts/list")["prompts"]
        if p["name"].endswith("_guide")
    }
    assert {skill_name(k) for k in guides} == {u.split("/")[2] for u in listed}
    entry = listed[CUSTOMERS]
    assert entry["frontmatter"]["name"] == "customers"
    assert entry["frontmatter"]["description"].startswith("Explains the customers resource")
    assert [r["uri"] for r in entry["resources"]] == [CUSTOMERS]


def test_skill_md_matches_its_entry(skills: None, mcp: MCPClient) -> None:
    entry = mcp.request_mcp("skills/get", {"uri": CUSTOMERS})["skill"]
    assert entry == next(s for s in all_skills(mcp) if s["uri"] == CUSTOMERS)
    content = read_skill(mcp, CUSTOMERS)
    assert content["mimeType"] == "text/markdown"
    text = content["text"]
    data = text.encode("utf-8")
    (file,) = entry["resources"]
    assert file["size"] == len(data)
    assert file["digest"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert frontmatter_of(text) == entry["frontmatter"]
    # The body is the guide prompt's text.
    guide = mcp.request_mcp("prompts/get", {"name": "customers_guide"})["messages"][0]
    assert guide["content"]["text"] in text
    assert "customers_list" in text and "drf://customers" in text


def test_skill_md_is_listed_among_the_resources(skills: None, mcp: MCPClient) -> None:
    listed = {r["uri"]: r for r in mcp.request_mcp("resources/list")["resources"]}
    assert "drf://customers" in listed
    entry = listed[CUSTOMERS]
    frontmatter = frontmatter_of(read_skill(mcp, CUSTOMERS)["text"])
    assert entry["name"] == frontmatter["name"]
    assert entry["description"] == frontmatter["description"]
    assert entry["mimeType"] == "text/markdown"


def test_skills_get_refuses_unknown_uris(skills: None, mcp: MCPClient) -> None:
    unknown = error_of(mcp, "skills/get", {"uri": "skill://nothing-here/SKILL.md"})
    assert unknown.code == -32602
    assert unknown.data == {"uri": "skill://nothing-here/SKILL.md"}
    assert error_of(mcp, "skills/get", {}).code == -32602
    assert error_of(mcp, "skills/get", {"uri": 7}).code == -32602
    # A SKILL.md that is no skill of this server is no resource either.
    assert error_of(mcp, "resources/read", {"uri": "skill://nothing/SKILL.md"}).code in (
        -32002,
        -32602,
    )


def test_pagination_keeps_each_entry_on_one_page(
    skills: None, settings: Any, mcp: MCPClient
) -> None:
    every = [s["uri"] for s in all_skills(mcp)]
    assert len(every) > 2
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "RESOURCES_PAGE_SIZE": 2}
    seen: list[str] = []
    params: dict[str, Any] = {}
    while True:
        page = mcp.request_mcp("skills/list", params)
        assert len(page["skills"]) <= 2
        seen += [s["uri"] for s in page["skills"]]
        if "nextCursor" not in page:
            break
        params = {"cursor": page["nextCursor"]}
    assert seen == every
    assert error_of(mcp, "skills/list", {"cursor": "not-a-cursor"}).code == -32602
    # A resources/list cursor is not a skills/list one.
    cursor = mcp.request_mcp("resources/list")["nextCursor"]
    assert error_of(mcp, "skills/list", {"cursor": cursor}).code == -32602


def test_2026_results_carry_cache_hints(skills: None) -> None:
    client = MCPClient(protocol_version="2026-07-28")
    listed = client.request_mcp("skills/list")
    assert listed["ttlMs"] == 60_000 and listed["cacheScope"] == "public"
    got = client.request_mcp("skills/get", {"uri": CUSTOMERS})
    assert "nextCursor" not in got
    assert got["ttlMs"] == 60_000 and got["cacheScope"] == "public"
    assert client.request_mcp("resources/read", {"uri": CUSTOMERS})["cacheScope"] == "private"


# per caller ---------------------------------------------------------------------------


def test_a_caller_sees_only_skills_of_resources_it_may_use(
    per_user: None, alice_token: str
) -> None:
    anonymous = MCPClient()
    uris = {s["uri"] for s in all_skills(anonymous)}
    assert CUSTOMERS in uris and INVOICES not in uris  # invoices need a signed-in user
    assert error_of(anonymous, "skills/get", {"uri": INVOICES}).code == -32602
    assert error_of(anonymous, "resources/read", {"uri": INVOICES}).code in (-32002, -32602)
    listed = {r["uri"] for r in anonymous.request_mcp("resources/list")["resources"]}
    assert INVOICES not in listed
    # No visible skill names a hidden tool.
    for uri in uris:
        assert "invoices_" not in read_skill(anonymous, uri)["text"]

    signed_in = MCPClient()
    signed_in.credentials(HTTP_AUTHORIZATION=f"Token {alice_token}")
    assert INVOICES in {s["uri"] for s in all_skills(signed_in)}
    assert "invoices_list" in read_skill(signed_in, INVOICES)["text"]
    assert signed_in.request_mcp("skills/get", {"uri": INVOICES})["skill"]["uri"] == INVOICES


def test_a_caller_sees_only_the_tools_it_may_use_in_a_skill(per_user: None, alice: User) -> None:
    anonymous = read_skill(MCPClient(), CUSTOMERS)["text"]
    assert "customers_list" in anonymous and "customers_create" not in anonymous
    session = MCPClient()
    session.force_login(alice)
    assert "customers_create" in read_skill(session, CUSTOMERS)["text"]


# REST and names -----------------------------------------------------------------------


def test_rest_is_unchanged(settings: Any, data: dict[str, Any]) -> None:
    before = APIClient().get("/api/customers/")
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "SKILLS": True}
    after = APIClient().get("/api/customers/")
    assert (after.status_code, after.json()) == (before.status_code, before.json())


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("customers", "customers"),
        ("order_items", "order-items"),
        ("Shop__Orders", "shop-orders"),
        ("_x_", "x"),
        ("___", "resource"),
        ("a" * 70, "a" * 64),
    ],
)
def test_skill_names_follow_the_agent_skills_rules(key: str, name: str) -> None:
    assert skill_name(key) == name
    assert re.fullmatch(r"(?!.*--)[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?", skill_name(key))


def test_names_two_resources_come_to_are_numbered() -> None:
    def guide(key: str) -> Prompt:
        return Prompt(name=f"{key}_guide", render=lambda _: f"About {key}.", description=key)

    found = guide_skills([guide("a_b"), guide("a-b"), guide("a__b")])
    assert list(found) == [
        "skill://a-b/SKILL.md",
        "skill://a-b-2/SKILL.md",
        "skill://a-b-3/SKILL.md",
    ]
    text = found["skill://a-b-2/SKILL.md"].text()
    assert frontmatter_of(text) == {"name": "a-b-2", "description": "a-b"}
    assert "About a-b." in text


def test_frontmatter_values_stay_strings() -> None:
    found = guide_skills(
        [Prompt(name="true_guide", render=lambda _: "x", description='yes: "no" # 1')]
    )
    skill = found["skill://true/SKILL.md"]
    assert frontmatter_of(skill.text()) == {"name": "true", "description": 'yes: "no" # 1'}
