"""Live servers on free loopback ports for the official-client tests."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
NODE_BIN = Path(__file__).resolve().parent / "node_modules" / ".bin"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    body = b'{"jsonrpc":"2.0","id":1,"method":"ping"}'
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with {process.returncode}")
        try:
            request = urllib.request.Request(
                url, data=body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as refused:
            if refused.code in (401, 403):  # up, and asking for credentials
                return
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up in {timeout}s")


@contextlib.contextmanager
def serve(settings_module: str | None = None, **env: str) -> Iterator[str]:
    """A real server (``tests.interop.serve``) on a free port; yields its /mcp/ URL."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="drf-mcp-interop-")
    environment = dict(
        os.environ, INTEROP_DB=os.path.join(workdir, "db.sqlite3"), PYTHONPATH=str(ROOT), **env
    )
    command = [sys.executable, "-m", "tests.interop.serve", str(port)]
    if settings_module:
        command.append(settings_module)
    log = open(os.path.join(workdir, "server.log"), "wb")  # noqa: SIM115
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    url = f"http://127.0.0.1:{port}/mcp/"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """The test app (plus the conformance fixtures) served over real HTTP."""
    with serve() as url:
        yield url


def node_tool(name: str) -> str:
    """Path of a pinned Node tool from tests/interop/node_modules (installed by bootstrap)."""
    path = NODE_BIN / name
    if not path.exists():
        raise RuntimeError(
            f"{path} is missing: run `bash scripts/bootstrap.sh` (npm ci in tests/interop)."
        )
    return str(path)


def node_env() -> dict[str, str]:
    """Environment whose PATH starts with the pinned Node 22."""
    return dict(os.environ, PATH=f"{NODE_BIN}{os.pathsep}{os.environ.get('PATH', '')}")


def run_ts_script(script: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run one of the TypeScript client scripts here with the pinned Node; the JSON report
    it prints last (the assertion message is its stderr when it fails)."""
    completed = subprocess.run(
        [node_tool("node"), "--experimental-strip-types", "--no-warnings", script, *args],
        cwd=Path(__file__).resolve().parent,
        env=env or node_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])
