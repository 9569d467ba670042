"""Real cache servers for the tests: memcached and Redis, started on loopback once per test
session, and the ``shared_cache_backend`` fixture that points Django's cache at each.

A pytest plugin (``pytest_plugins`` in tests/conftest.py). Its fixtures:

``memcached_server`` / ``redis_server`` (session scope)
    Start ``memcached`` / ``redis-server`` (Debian's packages; scripts/bootstrap.sh
    installs them) on 127.0.0.1 and a free port, wait until they answer, and stop them
    when the session ends. Their value is a :class:`CacheServer` (``location`` is what
    Django's ``CACHES[...]["LOCATION"]`` takes). A test that never asks for one never
    starts it.

``shared_cache_backend`` (function scope, parametrized "locmem", "memcached", "redis")
    Points ``CACHES["default"]`` (the ``CACHE_ALIAS`` drf_mcp_bridge uses unless a
    test changes it) at that backend through pytest-django's ``settings`` fixture, checks
    that ``django.core.cache.caches`` now gives it, and clears it before and after the
    test. Its value is a :class:`SharedCache`.

When a server binary or its Python client is missing the fixtures skip, except under
``CI=true``, where they fail: bootstrap installs both there.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

#: Longest wait for a server to accept connections, in seconds.
START_TIMEOUT = 10.0
#: Longest wait for a server to exit after SIGTERM, before SIGKILL.
STOP_TIMEOUT = 5.0

BACKENDS = ("locmem", "memcached", "redis")

_BACKEND_CLASSES = {
    "locmem": "django.core.cache.backends.locmem.LocMemCache",
    "memcached": "django.core.cache.backends.memcached.PyMemcacheCache",
    "redis": "django.core.cache.backends.redis.RedisCache",
}
# What each server needs: its binary, the Debian package that has it, and the Python
# client of Django's backend (pyproject.toml's dev extra).
_REQUIREMENTS = {
    "memcached": ("memcached", "memcached", "pymemcache"),
    "redis": ("redis-server", "redis-server", "redis"),
}


@dataclass(frozen=True)
class CacheServer:
    """A running cache server of this test session."""

    name: str
    port: int
    location: str
    process: subprocess.Popen[bytes]
    log: Path


@dataclass(frozen=True)
class SharedCache:
    """The backend a test runs on: ``name`` (a BACKENDS value), the Django cache
    ``alias`` pointed at it, and that cache (``django.core.cache.caches[alias]``)."""

    name: str
    alias: str
    cache: Any
    server: CacheServer | None


def _unavailable(message: str) -> None:
    """Skip, or fail under CI (where scripts/bootstrap.sh installed everything)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{message} (CI=true: scripts/bootstrap.sh should have installed it)")
    pytest.skip(f"{message}; run scripts/bootstrap.sh")


def _require(name: str) -> str:
    """The path of the server binary, once it and its Python client are known present."""
    binary, package, module = _REQUIREMENTS[name]
    path = shutil.which(binary)
    if path is None:
        _unavailable(f"{binary} is not installed (Debian package {package})")
    if importlib.util.find_spec(module) is None:
        _unavailable(f"the Python package {module!r} is not installed (the dev extra)")
    assert path is not None
    return path


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int, probe: bytes, expected: bytes) -> bool:
    """Whether the server on ``port`` answers ``probe`` with a line starting ``expected``."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(probe)
            return connection.recv(64).startswith(expected)
    except OSError:
        return False


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def _start(
    name: str, command: list[str], port: int, probe: bytes, expected: bytes, workdir: Path
) -> tuple[subprocess.Popen[bytes], Path]:
    """Run ``command`` (its output in a log file) until it answers on ``port``."""
    log = workdir / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, cwd=workdir, stdin=subprocess.DEVNULL, stdout=output, stderr=output
        )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if _answers(port, probe, expected):
            return process, log
        time.sleep(0.05)
    exited = process.poll() is not None
    _stop(process)
    output_text = log.read_text(errors="replace").strip() or "(no output)"
    what = (
        f"exited with status {process.returncode}"
        if exited
        else f"did not accept connections on 127.0.0.1:{port} within {START_TIMEOUT} s"
    )
    raise RuntimeError(f"{name} {what}; command {command}; output:\n{output_text}")


@contextlib.contextmanager
def _serve(
    name: str,
    command: Callable[[int], list[str]],
    probe: bytes,
    expected: bytes,
    workdir: Path,
) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    """Run ``command(port)`` on a free port (retried: another process may take the port
    between the probe and the server's bind) while the block runs, then stop it."""
    error: RuntimeError | None = None
    for _attempt in range(3):
        port = _free_port()
        try:
            process, log = _start(name, command(port), port, probe, expected, workdir)
        except RuntimeError as failed:
            error = failed
            continue
        try:
            yield process, port, log
        finally:
            _stop(process)
        return
    assert error is not None
    raise error


@pytest.fixture(scope="session")
def memcached_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CacheServer]:
    """``memcached -l 127.0.0.1 -p <port> -U 0`` (TCP only) for the whole session."""
    binary = _require("memcached")
    workdir = tmp_path_factory.mktemp("memcached")

    def command(port: int) -> list[str]:
        argv = [binary, "-l", "127.0.0.1", "-p", str(port), "-U", "0"]
        if os.geteuid() == 0:  # memcached refuses to run as root without -u
            argv += ["-u", _unprivileged_user()]
        return argv

    with _serve("memcached", command, b"version\r\n", b"VERSION", workdir) as (process, port, log):
        yield CacheServer("memcached", port, f"127.0.0.1:{port}", process, log)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CacheServer]:
    """``redis-server`` on 127.0.0.1 without persistence, for the whole session."""
    binary = _require("redis")
    workdir = tmp_path_factory.mktemp("redis")

    def command(port: int) -> list[str]:
        return [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ]

    with _serve("redis", command, b"PING\r\n", b"+PONG", workdir) as (process, port, log):
        yield CacheServer("redis", port, f"redis://127.0.0.1:{port}/0", process, log)


def _unprivileged_user() -> str:
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        return "root"
    return "nobody"


def cache_config(name: str, server: CacheServer | None) -> dict[str, Any]:
    """The ``CACHES`` entry of backend ``name`` (a BACKENDS value)."""
    if name == "locmem":
        return {"BACKEND": _BACKEND_CLASSES[name], "LOCATION": "drf-mcp-shared-cache-tests"}
    assert server is not None
    options: dict[str, Any]
    if name == "memcached":
        options = {"connect_timeout": 2, "timeout": 5}
    else:
        options = {"socket_connect_timeout": 2, "socket_timeout": 5}
    return {"BACKEND": _BACKEND_CLASSES[name], "LOCATION": server.location, "OPTIONS": options}


@pytest.fixture(params=BACKENDS)
def shared_cache_backend(request: pytest.FixtureRequest, settings: Any) -> Iterator[SharedCache]:
    """Run the test with ``CACHES["default"]`` on LocMemCache, a real memcached or a real
    Redis (the servers start on first use, once per session)."""
    from django.core.cache import caches
    from django.utils.module_loading import import_string

    name: str = request.param
    server: CacheServer | None = None
    if name != "locmem":
        server = request.getfixturevalue(f"{name}_server")
    alias = "default"
    settings.CACHES = {**settings.CACHES, alias: cache_config(name, server)}
    # Django's setting_changed handler (django.test.signals.clear_cache_handlers) drops
    # the cache connections when CACHES changes; make sure it did.
    cache = caches[alias]
    expected = import_string(_BACKEND_CLASSES[name])
    if type(cache) is not expected:
        pytest.fail(
            f"caches[{alias!r}] is {type(cache).__name__}, not {expected.__name__}, "
            "after CACHES changed"
        )
    cache.clear()
    cache.set("drf-mcp-cache-check", "ok", timeout=30)
    if cache.get("drf-mcp-cache-check") != "ok":
        pytest.fail(f"the {name} cache does not keep values: {settings.CACHES[alias]}")
    cache.delete("drf-mcp-cache-check")
    try:
        yield SharedCache(name, alias, cache, server)
    finally:
        with contextlib.suppress(Exception):  # a server that died fails the next test
            caches[alias].clear()
