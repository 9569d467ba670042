"""Every client configuration in docs/clients.md: valid JSON in the shape its client
reads, a command it starts is a real one, and the headers it sends — its variables filled
in with a real token — get the user's answer from the endpoint (and a wrong token in the
same place is refused), so a user who pastes it is connected as that user."""

from __future__ import annotations

import itertools
import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import get_commands
from django.test import Client

PAGE = Path(__file__).resolve().parent.parent / "docs" / "clients.md"
DEMO_TOKEN = "a11ce0000000000000000000000000000000demo"
#: The variables the pages use for the token, as each client writes them.
VARIABLES = {"${LIBRARY_TOKEN}", "${env:LIBRARY_TOKEN}", "${input:library-token}"}


def sections() -> dict[str, str]:
    parts = re.split(r"^## ", PAGE.read_text(), flags=re.MULTILINE)[1:]
    return {part.split("\n", 1)[0].strip(): part for part in parts}


def json_blocks(text: str) -> list[Any]:
    return [json.loads(b) for b in re.findall(r"```json\n(.*?)```", text, flags=re.DOTALL)]


def headers_sent(entry: dict[str, Any], token: str) -> dict[str, str]:
    """The HTTP headers a client sends for ``entry``, its token variables filled in."""
    if "command" in entry:  # mcp-remote: --header "Name:Value", ${VAR} from "env"
        args = entry["args"]
        found: dict[str, str] = {}
        for flag, value in itertools.pairwise(args):
            if flag == "--header":
                name, _, raw = value.partition(":")
                for variable, setting in entry.get("env", {}).items():
                    raw = raw.replace(f"${{{variable}}}", setting)
                found[name] = raw
    else:
        found = dict(entry.get("headers", {}))
    filled = {}
    for name, value in found.items():
        value = value.replace(DEMO_TOKEN, token)
        for variable in VARIABLES:
            value = value.replace(variable, token)
        assert "${" not in value, f"an unfilled variable in {value!r}"
        filled[name] = value
    return filled


def ask(client: Client, url: str, headers: dict[str, str]) -> Any:
    meta = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return client.post(
        urlsplit(url).path,
        data=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
        **meta,
    )


def connects(client: Client, url: str, headers: dict[str, str], token: str) -> None:
    assert url.startswith("http://127.0.0.1:8000/") and url.endswith("/mcp/"), url
    answered = ask(client, url, headers)
    assert answered.status_code == 200, answered.content
    assert answered.json()["result"]["tools"]
    wrong = {name: value.replace(token, "wrong") for name, value in headers.items()}
    refused = ask(client, url, wrong)
    assert refused.status_code == 401, "the configuration's header does not carry the token"


def check_entry(client: Client, entry: dict[str, Any], token: str) -> None:
    if "command" in entry:
        if entry["command"] == "npx":
            assert entry["args"][:2] == ["-y", "mcp-remote"], entry
            connects(client, entry["args"][2], headers_sent(entry, token), token)
        else:  # this package's stdio server, started by the project's Python
            assert entry["command"].endswith("/python"), entry
            assert entry["args"][0].endswith("manage.py") and entry["args"][1] in get_commands()
            assert entry["args"][1] == "mcp_stdio"
    else:
        connects(client, entry["url"], headers_sent(entry, token), token)


@pytest.mark.django_db
def test_every_configuration_on_the_page_connects_as_the_user(
    client: Client, alice_token: str
) -> None:
    found = sections()
    shapes = {
        "Claude Desktop (stdio)": "mcpServers",
        "Claude Desktop (HTTP through mcp-remote)": "mcpServers",
        "mcp-remote (any stdio-only client)": "mcpServers",
        "Claude Code": "mcpServers",
        "Cursor": "mcpServers",
        "VS Code": "servers",
    }
    checked = 0
    for title, key in shapes.items():
        blocks = json_blocks(found[title])
        assert blocks, f"{title}: no configuration"
        for config in blocks:
            entries = config[key]
            assert set(config) <= {key, "inputs"}, config
            for entry in entries.values():
                if title in ("Claude Code", "VS Code") and "url" in entry:
                    assert entry["type"] == "http", entry  # both read "type" for a URL
                check_entry(client, entry, alice_token)
                checked += 1
            if title == "VS Code":
                declared = {i["id"]: i for i in config["inputs"]}
                assert declared["library-token"]["password"] is True
    assert checked == 6


@pytest.mark.django_db
def test_the_claude_code_command_sends_the_token(client: Client, alice_token: str) -> None:
    block = re.findall(r"```console\n(.*?)```", sections()["Claude Code"], flags=re.DOTALL)[0]
    words = shlex.split(block.strip())
    assert words[:5] == ["claude", "mcp", "add", "--transport", "http"]
    name, url = words[5], words[6]
    assert name == "library"
    header = words[words.index("--header") + 1]
    field, _, value = header.partition(": ")
    connects(client, url, {field: value.replace(DEMO_TOKEN, alice_token)}, alice_token)
