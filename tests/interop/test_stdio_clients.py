"""The official SDKs' stdio clients against ``manage.py mcp_stdio`` (a real subprocess on
a migrated, seeded SQLite file)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

from tests.interop.conftest import ROOT, node_env, run_ts_script

pytestmark = pytest.mark.interop
HERE = Path(__file__).resolve().parent
SETTINGS = "tests.interop.live_settings"


@pytest.fixture(scope="module")
def stdio_env() -> Iterator[dict[str, str]]:
    workdir = tempfile.mkdtemp(prefix="drf-mcp-stdio-")
    env = dict(
        os.environ,
        INTEROP_DB=os.path.join(workdir, "db.sqlite3"),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE=SETTINGS,
    )
    subprocess.run(
        [sys.executable, "-m", "tests.interop.serve", "prepare", SETTINGS],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    yield env


COMMAND = [sys.executable, "-m", "django", "mcp_stdio", "--user", "alice"]


async def _python_session(env: dict[str, str]) -> dict[str, object]:
    params = StdioServerParameters(command=COMMAND[0], args=COMMAND[1:], env=env, cwd=ROOT)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        tools = await session.list_tools()
        created = await session.call_tool("customers_create", {"name": "From Python over stdio"})
        bad = await session.call_tool("customers_create", {"name": ""})
        return {
            "version": init.protocol_version,
            "server": init.server_info.name,
            "tools": [t.name for t in tools.tools],
            "created": created.structured_content,
            "bad": bad.is_error,
            "bad_text": str(bad.content),
        }


def test_python_sdk_stdio_client(stdio_env: dict[str, str]) -> None:
    seen = anyio.run(_python_session, stdio_env)
    assert seen["version"] == "2025-11-25"
    assert seen["server"] == "drf-mcp-bridge"
    assert "customers_create" in seen["tools"]  # type: ignore[operator]
    assert seen["created"]["owner"] == "alice"  # type: ignore[index]
    assert seen["bad"] is True
    assert "This field may not be blank." in str(seen["bad_text"])


def test_typescript_sdk_stdio_transport(stdio_env: dict[str, str]) -> None:
    env = dict(node_env(), **{k: v for k, v in stdio_env.items() if k != "PATH"})
    report = run_ts_script("stdio.ts", *COMMAND, env=env)
    assert report == {
        "ok": True,
        "server": "drf-mcp-bridge",
        "tools": report["tools"],
        "owner": "alice",
    }
    assert report["tools"] > 10


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_python_sdk_stdio_progress_and_elicitation(stdio_env: dict[str, str], mode: str) -> None:
    """Over stdio too: progress lines while the call runs and elicitation (a request on
    stdout answered on stdin in 2025; input_required rounds in 2026-07-28)."""
    from tests.interop.test_python_sdk import _check_talks_back, _talks_back

    params = StdioServerParameters(command=COMMAND[0], args=COMMAND[1:], env=stdio_env, cwd=ROOT)
    report = anyio.run(_talks_back, params, mode)
    _check_talks_back(report, "2025-11-25" if mode == "legacy" else "2026-07-28", True)
