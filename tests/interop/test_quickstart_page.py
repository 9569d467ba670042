"""docs/quickstart.md, "Authenticate your client", followed as written against the
example project: every ``$`` command of the section runs (``python manage.py`` in the
example project, ``npx @modelcontextprotocol/inspector`` as the pinned Inspector), with
the page's token replaced by the one ``drf_create_token`` printed and the page's URL by
the live server's; each output line the page shows must be in what the command printed
("..." stands for more lines), and a command the page shows failing must fail."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop.conftest import example_project, node_env, node_tool

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "example"
PAGE = ROOT / "docs" / "quickstart.md"
PAGE_URL = "http://127.0.0.1:8000/mcp/"

pytestmark = pytest.mark.interop


def section(title: str) -> str:
    text = PAGE.read_text()
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def steps(text: str) -> list[tuple[str, list[str]]]:
    """(command, the output lines shown after it) of every console block, in order."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.DOTALL):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            elif found and line.strip():
                found[-1][1].append(line)
    return found


@pytest.fixture(scope="module")
def example_server() -> Iterator[tuple[str, dict[str, str]]]:
    """The example project with the user ``alice`` (the page's "a user of your site")."""
    create = "from django.contrib.auth.models import User; User.objects.create_user('alice')"
    with example_project(["shell", "-c", create]) as (url, env):
        yield f"{url}/mcp/", env


def tool_names(listing: str) -> list[str]:
    """The tool names of ``mcp_call tools/list``'s table (its last line counts them)."""
    rows = [line.split()[0] for line in listing.splitlines() if line.strip()]
    return [row for row in rows if not row.isdigit()]


def run(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    if words[:2] == ["python", "manage.py"]:
        argv, cwd, environ = [sys.executable, "manage.py", *words[2:]], EXAMPLE, env
    elif words[:2] == ["npx", "@modelcontextprotocol/inspector"]:
        argv = [node_tool("mcp-inspector"), *words[2:]]
        cwd, environ = Path(__file__).resolve().parent, node_env()
    else:
        raise AssertionError(f"the page runs a command this test does not know: {command}")
    return subprocess.run(
        argv,
        cwd=cwd,
        env=environ,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_authentication_steps_run_as_written(
    example_server: tuple[str, dict[str, str]],
) -> None:
    url, env = example_server
    shown = steps(section("5. Authenticate your client"))
    assert len(shown) == 6, shown  # create, three checks, two refusals
    first_command, first_output = shown[0]
    assert first_command == "python manage.py drf_create_token alice"
    page_token = re.fullmatch(r"Generated token (\w+) for user alice", first_output[0])
    assert page_token is not None, first_output
    created = run(first_command, env)
    assert created.returncode == 0, created.stderr
    real = re.search(r"Generated token (\w+) for user alice", created.stdout)
    assert real is not None, created.stdout
    token = real.group(1)

    outputs: dict[str, str] = {}
    for command, expected in shown[1:]:
        command = command.replace(page_token.group(1), token).replace(PAGE_URL, url)
        done = run(command, env)
        printed = done.stdout + done.stderr
        outputs[command] = done.stdout
        fails = any("CommandError" in line or "auth_required" in line for line in expected)
        if fails:
            assert done.returncode != 0, printed
        else:
            assert done.returncode == 0, printed
        if "auth_required" in expected:
            assert done.returncode == 3, printed  # what the page's text says
        for line in expected:
            if line.strip() == "...":
                continue
            line = line.replace(page_token.group(1), token).replace(PAGE_URL, url)
            assert line.strip() in printed, f"{command!r} printed:\n{printed}"

    # The three checks list the same tools: the user's, whichever way they are asked for.
    in_process, over_http, inspector = list(outputs.values())[:3]
    names = tool_names(in_process)
    assert names and names == tool_names(over_http)
    assert [tool["name"] for tool in json.loads(inspector)["tools"]] == names


def test_without_credentials_the_client_gets_what_rest_gives_anonymous_users(
    example_server: tuple[str, dict[str, str]],
) -> None:
    url, env = example_server
    anonymous = run(f"python manage.py mcp_call tools/list --url {url}", env)
    alice = run("python manage.py mcp_call tools/list --user alice", env)
    assert anonymous.returncode == 0 and alice.returncode == 0, anonymous.stderr + alice.stderr
    listed, theirs = set(tool_names(anonymous.stdout)), set(tool_names(alice.stdout))
    assert listed and listed < theirs  # the example lets anonymous users read, not write
    assert "books_create" in theirs and "books_create" not in listed
