"""The example project (the README's demo) works as documented."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "example"


@pytest.fixture(scope="module")
def manage(tmp_path_factory: pytest.TempPathFactory) -> object:
    env = dict(
        os.environ,
        EXAMPLE_DB_PATH=str(tmp_path_factory.mktemp("example") / "db.sqlite3"),
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("PYTHONPATH", None)

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        completed = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=EXAMPLE,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert completed.returncode == 0, completed.stderr
        return completed

    run("migrate", "--noinput")
    run.env = env  # type: ignore[attr-defined]
    return run


def test_seed_is_idempotent_and_check_passes(manage: object) -> None:
    first = manage("seed_demo")  # type: ignore[operator]
    second = manage("seed_demo")  # type: ignore[operator]
    assert "6 authors, 25 books, 3 loans" in first.stdout
    assert "6 authors, 25 books, 3 loans" in second.stdout
    assert manage("check").returncode == 0  # type: ignore[operator]


def test_tools_and_owner_only_loans(manage: object) -> None:
    manage("seed_demo")  # type: ignore[operator]
    # tools/list shows each user the tools their permissions let through.
    anonymous_tools = manage("mcp_call", "tools/list").stdout  # type: ignore[operator]
    for name in ("books_list", "books_availability", "authors_list", "authors_retrieve"):
        assert name in anonymous_tools
    for name in ("books_create", "loans_list", "loans_destroy"):
        assert name not in anonymous_tools  # IsAuthenticated(OrReadOnly)
    listed = manage("mcp_call", "tools/list", "--user", "alice").stdout  # type: ignore[operator]
    for name in ("books_create", "loans_list", "loans_destroy", "loans_return_book"):
        assert name in listed
    assert "authors_create" not in listed  # a ReadOnlyModelViewSet
    alice = json.loads(manage("mcp_call", "loans_list", "--user", "alice").stdout)  # type: ignore[operator]
    assert alice["count"] == 2
    assert {loan["borrower"] for loan in alice["results"]} == {"alice"}
    bob_loan = json.loads(manage("mcp_call", "loans_list", "--user", "bob").stdout)["results"][0]  # type: ignore[operator]
    refused = manage(
        "mcp_call", "loans_retrieve", f"pk={bob_loan['id']}", "--user", "alice", check=False
    )  # type: ignore[operator]
    assert refused.returncode != 0
    assert "404" in refused.stdout
    # The documented @action tools (docs/drf.md) work as written.
    found = json.loads(manage("mcp_call", "books_list", "search=earthsea").stdout)  # type: ignore[operator]
    assert found["count"] >= 1 and all("Earthsea" in b["title"] for b in found["results"])
    book = found["results"][0]["id"]
    shelf = json.loads(manage("mcp_call", "books_availability", f"pk={book}").stdout)  # type: ignore[operator]
    assert set(shelf) == {"copies", "on_loan", "available"}
    own = alice["results"][0]["id"]
    returned = json.loads(
        manage("mcp_call", "loans_return_book", f"pk={own}", "--user", "alice").stdout  # type: ignore[operator]
    )
    assert returned["returned"] is True
    anonymous = manage("mcp_call", "loans_list", check=False)  # type: ignore[operator]
    assert anonymous.returncode != 0
    assert "HTTP 403" in anonymous.stdout  # SessionAuthentication comes first: 403, not 401


@pytest.mark.interop  # needs the official SDK (not in the oldest-combination session)
def test_claude_desktop_stdio_config_runs_as_written(manage: object) -> None:
    """example/claude_desktop_stdio.json, with <repo> replaced by this checkout, started
    the way Claude Desktop starts it, answers the official Python SDK's stdio client."""
    import anyio
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    manage("seed_demo")  # type: ignore[operator]
    repo = str(EXAMPLE.parent)
    config = json.loads((EXAMPLE / "claude_desktop_stdio.json").read_text().replace("<repo>", repo))
    server = config["mcpServers"]["library-example"]
    command = server["command"]
    if not Path(command).exists():  # CI's interpreter may live elsewhere than .venv
        command = sys.executable
    # What Claude Desktop passes: no Django settings or Python path of ours, only the
    # demo database this test made.
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "DJANGO_SETTINGS_MODULE"}}
    env["EXAMPLE_DB_PATH"] = manage.env["EXAMPLE_DB_PATH"]  # type: ignore[attr-defined]

    async def session() -> tuple[list[str], object]:
        params = StdioServerParameters(command=command, args=server["args"], env=env)
        async with stdio_client(params) as (read, write), ClientSession(read, write) as s:
            await s.initialize()
            tools = [t.name for t in (await s.list_tools()).tools]
            loans = await s.call_tool("loans_list", {})
            return tools, loans.structured_content

    tools, loans = anyio.run(session)
    assert "books_list" in tools and "loans_list" in tools
    assert loans["count"] >= 1  # type: ignore[index]


def test_loans_renew_runs_without_a_client_to_ask(manage: object) -> None:
    """The example's loans_renew (progress, log lines and a question when streamed, as the
    explorer's end-to-end test shows) renews by the days it is given when no one can be
    asked: a plain JSON tool call."""
    manage("seed_demo")  # type: ignore[operator]
    before = json.loads(manage("mcp_call", "loans_list", "--user", "bob").stdout)["results"]  # type: ignore[operator]
    renewed = json.loads(manage("mcp_call", "loans_renew", "days=3", "--user", "bob").stdout)  # type: ignore[operator]
    assert renewed["renewed"] == len([loan for loan in before if not loan["returned"]]) >= 1
    assert renewed["days"] == 3
    due = {loan["id"]: datetime.date.fromisoformat(loan["due"]) for loan in before}
    for loan in renewed["loans"]:
        assert datetime.date.fromisoformat(loan["due"]) == due[loan["id"]] + datetime.timedelta(3)
    refused = manage("mcp_call", "loans_renew", "days=40", "--user", "bob", check=False)  # type: ignore[operator]
    assert refused.returncode != 0 and "less than or equal to 28" in refused.stdout
