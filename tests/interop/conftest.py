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
from dataclasses import dataclass
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
def serve(
    settings_module: str | None = None, *, task_workers: int = 0, **env: str
) -> Iterator[str]:
    """A real server (``tests.interop.serve``) on a free port; yields its /mcp/ URL.
    ``task_workers``: also that many django-tasks-db ``db_worker`` processes on its
    database, which run its tasks (the Tasks extension)."""
    with cluster(settings_module, servers=1, task_workers=task_workers, **env) as found:
        yield found.urls[0]


@dataclass
class Cluster:
    """Server processes and task workers sharing one database and cache."""

    urls: list[str]
    workers: list[subprocess.Popen[bytes]]
    environment: dict[str, str]
    workdir: str

    def start_worker(self) -> subprocess.Popen[bytes]:
        """One more ``db_worker`` process (polling every 0.1 s)."""
        log = open(  # noqa: SIM115
            os.path.join(self.workdir, f"worker-{len(self.workers)}.log"), "wb"
        )
        command = [
            sys.executable,
            "-m",
            "django",
            "db_worker",
            "--interval",
            "0.1",
            "--no-reload",
            "--no-startup-delay",
        ]
        process = subprocess.Popen(
            command, cwd=ROOT, env=self.environment, stdout=log, stderr=subprocess.STDOUT
        )
        self.workers.append(process)
        return process


def stop(process: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if ``process`` has not ended within ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def cluster(
    settings_module: str | None = None, *, servers: int = 1, task_workers: int = 0, **env: str
) -> Iterator[Cluster]:
    """``servers`` real servers on one database (the first migrates and seeds it) and
    ``task_workers`` task worker processes."""
    workdir = tempfile.mkdtemp(prefix="drf-mcp-interop-")
    environment = dict(
        os.environ,
        INTEROP_DB=os.path.join(workdir, "db.sqlite3"),
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE=settings_module or "tests.interop.live_settings",
        **env,
    )
    processes: list[subprocess.Popen[bytes]] = []
    found = Cluster([], [], environment, workdir)
    logs = []
    try:
        for index in range(servers):
            port = free_port()
            command = [sys.executable, "-m", "tests.interop.serve", str(port)]
            if settings_module:
                command.append(settings_module)
            log = open(os.path.join(workdir, f"server-{index}.log"), "wb")  # noqa: SIM115
            logs.append(log)
            process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
            processes.append(process)
            url = f"http://127.0.0.1:{port}/mcp/"
            _wait_until_up(url, process)  # one after the other: the first migrates
            found.urls.append(url)
        for _ in range(task_workers):
            found.start_worker()
        yield found
    finally:
        for process in [*processes, *found.workers]:
            stop(process)
        for log in logs:
            log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def example_project(*commands: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """The example project on a fresh SQLite database, set up by the ``manage.py``
    ``commands`` (after ``migrate``) and served by runserver on a free port; yields its
    base URL and the environment that reaches its database."""
    workdir = tempfile.mkdtemp(prefix="drf-mcp-example-")
    env = dict(os.environ, EXAMPLE_DB_PATH=os.path.join(workdir, "db.sqlite3"))
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    manage = [sys.executable, str(ROOT / "example" / "manage.py")]
    for command in (["migrate", "--noinput"], *commands):
        subprocess.run([*manage, *command], env=env, check=True, capture_output=True)
    port = free_port()
    log = open(os.path.join(workdir, "server.log"), "wb")  # noqa: SIM115
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{url}/mcp/", server)
        yield url, env
    finally:
        stop(server)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    """The test app (plus the conformance fixtures) served over real HTTP, with two task
    workers."""
    with serve(task_workers=2) as url:
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
