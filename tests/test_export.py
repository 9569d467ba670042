"""``manage.py mcp_export``: the catalogue as JSON (what the list methods answer) and as a
valid OpenAPI 3.1 document."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from drf_mcp_bridge.test import MCPClient

pytestmark = pytest.mark.django_db


def export(*args: str) -> Any:
    out = io.StringIO()
    call_command("mcp_export", *args, stdout=out)
    return json.loads(out.getvalue())


def test_json_is_what_the_list_methods_answer(mcp: MCPClient) -> None:
    data = export()
    assert data["tools"] == mcp.tools_list()
    assert data["resources"] == mcp.request_mcp("resources/list")["resources"]
    templates = mcp.request_mcp("resources/templates/list")["resourceTemplates"]
    assert data["resourceTemplates"] == templates
    assert data["prompts"] == mcp.request_mcp("prompts/list")["prompts"]
    assert data["serverInfo"]["name"] == "drf-mcp-bridge"


def test_openapi_is_valid_and_carries_every_tool(tmp_path: Path) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    target = tmp_path / "mcp-openapi.json"
    call_command("mcp_export", "--format", "openapi", "--output", str(target))
    document = json.loads(target.read_text())
    validator.validate(document)  # raises on any problem
    assert document["openapi"] == "3.1.0"
    tools = export()["tools"]
    assert sorted(document["paths"]) == sorted(f"/tools/{t['name']}" for t in tools)
    create = document["paths"]["/tools/customers_create"]["post"]
    assert create["operationId"] == "customers_create"
    schema = create["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["name"]
    # $defs of a tool moved to components, with references rewritten to match.
    text = json.dumps(document)
    assert '"#/$defs/' not in text
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text))
    assert "kitchen_create.Part" in refs  # the kitchen-sink serializer nests a reused Part
    assert refs <= set(document["components"]["schemas"])


def test_unwritable_output_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("mcp_export", "--output", str(tmp_path / "missing" / "x.json"))


@pytest.fixture
def admin_only() -> Any:
    from drf_mcp_bridge import mcp_viewset
    from drf_mcp_bridge.catalogue.registry import registry
    from tests.testapp.guarded import AdminCategories

    mcp_viewset(name="admin_only")(AdminCategories)
    yield
    registry.unregister(AdminCategories)


def test_export_as_a_user_is_what_their_client_is_shown(
    settings: Any, alice: Any, admin_only: None
) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "PER_USER_TOOLS": True}
    data = export("--user", "alice")
    client = MCPClient()
    client.force_authenticate(alice)
    assert [t["name"] for t in data["tools"]] == [t["name"] for t in client.tools_list()]
    assert data["prompts"] == client.request_mcp("prompts/list")["prompts"]
    assert data["resources"] == client.request_mcp("resources/list")["resources"]
    # alice is no staff: the staff-only tools are not in her export, but in the whole one.
    whole = {t["name"] for t in export()["tools"]}
    assert {t["name"] for t in data["tools"]} < whole
    assert "admin_only_list" in whole and "admin_only_list" not in str(data)
    with pytest.raises(CommandError, match="JSON only"):
        export("--user", "alice", "--format", "openapi")
    with pytest.raises(CommandError, match="No user"):
        export("--user", "nobody")
