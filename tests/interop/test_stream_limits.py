"""SSE streams against live servers (security finding 10): idle subscriptions/listen
streams do not hold up other calls under uvicorn, sync gunicorn workers refuse long-lived
streams and keep answering the REST API, gthread workers serve them, and each server stops
at once with streams open (they end gracefully first).

Every request goes to 127.0.0.1; every read has a timeout.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx2
import pytest
from mcp import ClientSession
from mcp.client.streamable_http import streamable_http_client

from tests.interop.conftest import ROOT, _wait_until_up, free_port
from tests.interop.conftest import stop as stop_process
from tests.interop.seed import ALICE_TOKEN

pytestmark = pytest.mark.interop

HOOKS = Path(__file__).resolve().parent / "gunicorn_hooks.py"
V = "2026-07-28"
META = {
    "io.modelcontextprotocol/protocolVersion": V,
    "io.modelcontextprotocol/clientCapabilities": {},
    "io.modelcontextprotocol/clientInfo": {"name": "stream-limits", "version": "1"},
}


@contextlib.contextmanager
def server(**env: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``tests.interop.serve`` on a free port, as conftest.serve starts it, yielding the
    process too: these tests time how it stops."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="drf-mcp-limits-")
    environment = dict(
        os.environ, INTEROP_DB=os.path.join(workdir, "db.sqlite3"), PYTHONPATH=str(ROOT), **env
    )
    log = open(os.path.join(workdir, "server.log"), "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.interop.serve", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/mcp/"
    try:
        _wait_until_up(url, process)
        yield url, process
    finally:
        stop_process(process, timeout=40)
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


class Listen:
    """A subscriptions/listen request over its own connection: the stream (its
    acknowledgment read) or the JSON-RPC error refusing it."""

    def __init__(self, url: str, request_id: int, token: str | None = ALICE_TOKEN) -> None:
        parts = urlsplit(url)
        assert parts.hostname == "127.0.0.1"
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
            "MCP-Protocol-Version": V,
            "Mcp-Method": "subscriptions/listen",
        }
        if token:
            headers["Authorization"] = f"Token {token}"
        params = {"_meta": META, "notifications": {"resourceSubscriptions": ["drf://categories"]}}
        body = {"jsonrpc": "2.0", "id": request_id, "method": "subscriptions/listen"}
        self.connection.request("POST", parts.path, json.dumps({**body, "params": params}), headers)
        self.response = self.connection.getresponse()
        self.refusal: dict[str, Any] | None = None
        if self.response.getheader("Content-Type", "").startswith("application/json"):
            self.refusal = json.loads(self.response.read())
        else:
            acknowledged = self.next_event()
            assert acknowledged["method"] == "notifications/subscriptions/acknowledged"

    def next_event(self) -> dict[str, Any]:
        data: list[bytes] = []
        while True:
            line = self.response.readline()
            if not line:
                raise EOFError("the stream ended")
            line = line.rstrip(b"\r\n")
            if line.startswith(b"data: "):
                data.append(line[6:])
            elif not line and data:
                found: dict[str, Any] = json.loads(b"\n".join(data))
                return found

    def rest(self) -> list[dict[str, Any]]:
        """The events until the server ends the stream."""
        found = []
        with contextlib.suppress(EOFError):
            while True:
                found.append(self.next_event())
        return found

    def close(self) -> None:
        self.connection.close()


def listen_all(url: str, count: int, first_id: int = 1) -> list[Listen]:
    streams = [Listen(url, first_id + i) for i in range(count)]
    refused = [s.refusal for s in streams if s.refusal is not None]
    assert not refused, refused
    return streams


def rest_api(url: str) -> tuple[int, float]:
    """GET /api/categories/ (the project's REST API): its status and how long it took."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    started = time.monotonic()
    try:
        connection.request(
            "GET", "/api/categories/", headers={"Authorization": f"Token {ALICE_TOKEN}"}
        )
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


async def _progress_call(url: str) -> tuple[float, list[float], str]:
    """A tool call with a progress token from the official Python SDK: how long the call
    took, the progress it heard (only over an SSE answer), and its text."""
    progress: list[float] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    headers = {"Authorization": f"Token {ALICE_TOKEN}"}
    with anyio.fail_after(60):
        async with (
            httpx2.AsyncClient(headers=headers, timeout=30) as http,
            streamable_http_client(url, http_client=http) as (read, write),
            ClientSession(read, write) as session,
        ):
            await session.initialize()
            started = time.monotonic()
            result = await session.call_tool(
                "test_tool_with_progress", {}, progress_callback=on_progress
            )
            took = time.monotonic() - started
    return took, progress, result.content[0].text  # type: ignore[union-attr]


def stop(process: subprocess.Popen[bytes], limit: float) -> float:
    """SIGTERM (a graceful stop), then the seconds until the server process ended."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=limit)
    return time.monotonic() - started


def test_idle_listen_streams_do_not_hold_up_a_streamed_call_under_uvicorn() -> None:
    # One caller: 8 listen streams plus the tool call's stream fit its cap of 9.
    env = {"INTEROP_SESSIONS": "0", "INTEROP_MAX_STREAMS_PER_CALLER": "9"}
    with server(INTEROP_SERVER="uvicorn", **env) as (url, process):
        held = listen_all(url, 8)
        took, progress, text = anyio.run(_progress_call, url)
        print(f"\nuvicorn: streamed tool call beside 8 idle listen streams: {took:.3f} s")
        assert progress == [0, 50, 100]  # it was streamed
        assert text == "Tool with progress executed successfully"
        assert took < 5, took
        # The caller's cap, live: a 9th stream opens, a 10th is refused.
        held += listen_all(url, 1, first_id=9)
        refused = Listen(url, 10).refusal
        assert refused is not None and refused["error"]["code"] == -32000
        assert "MAX_STREAMS_PER_CALLER" in refused["error"]["message"]
        # The clients go away: their slots come back.
        for stream in held:
            stream.close()
        deadline = time.monotonic() + 15
        while True:
            again = [Listen(url, 100 + i) for i in range(9)]
            if all(s.refusal is None for s in again) or time.monotonic() > deadline:
                break
            for stream in again:
                stream.close()
            time.sleep(0.2)
        assert all(s.refusal is None for s in again), [s.refusal for s in again]
        # Stopping ends the 9 open streams gracefully (uvicorn alone would wait for them
        # for ever), so the server stops at once.
        took = stop(process, limit=30)
        print(f"uvicorn: SIGTERM with 9 listen streams open -> stopped in {took:.2f} s")
        assert took < 5, took
        for stream in again:
            final = stream.rest()[-1]
            assert "result" in final and final["id"] >= 100, final
            stream.close()


def test_sync_gunicorn_workers_refuse_long_lived_streams_and_keep_serving() -> None:
    with server(INTEROP_SERVER="gunicorn") as (url, process):  # 2 sync workers
        # More listen requests than workers: each is refused, none holds a worker.
        for request_id in range(4):
            refused = Listen(url, request_id).refusal
            assert refused is not None, "a sync worker kept a stream open"
            assert refused["error"]["code"] == -32000
            assert "gunicorn --threads" in refused["error"]["message"]
        # A session's GET stream is not offered either (HTTP 405, as the spec allows).
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        initialize = {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {
                "protocolVersion": "2025-11-25",
                "capabilities": {},
                "clientInfo": {"name": "stream-limits", "version": "1"},
            },
        }
        auth = {"Authorization": f"Token {ALICE_TOKEN}"}
        connection.request(
            "POST",
            parts.path,
            json.dumps(initialize),
            {"Content-Type": "application/json", "Accept": "application/json", **auth},
        )
        answer = connection.getresponse()
        answer.read()
        session = answer.getheader("Mcp-Session-Id")
        assert session
        connection.request(
            "GET",
            parts.path,
            headers={"Accept": "text/event-stream", "Mcp-Session-Id": session, **auth},
        )
        get = connection.getresponse()
        assert get.status == 405
        assert "gunicorn --threads" in json.loads(get.read())["error"]["message"]
        connection.close()
        status, took = rest_api(url)
        print(f"\ngunicorn sync: REST API after 4 refused listen requests: {took:.3f} s")
        assert status == 200 and took < 5, (status, took)
        # Tool-call streams last as long as their call: they still stream here.
        took, progress, _ = anyio.run(_progress_call, url)
        assert progress == [0, 50, 100]
        took = stop(process, limit=40)
        print(f"gunicorn sync: SIGTERM -> stopped in {took:.2f} s")
        assert took < 5, took


@pytest.mark.parametrize("preloaded", [False, True])
def test_gthread_workers_serve_listen_streams_and_stop_at_once(preloaded: bool) -> None:
    env = {"INTEROP_SESSIONS": "0", "INTEROP_GUNICORN_THREADS": "4"}
    if preloaded:  # preload_app, and the post_worker_init hook docs/deployment.md shows
        env["INTEROP_GUNICORN_CONFIG"] = str(HOOKS)
    name = "gunicorn gthread" + (" preloaded" if preloaded else "")
    with server(INTEROP_SERVER="gunicorn", **env) as (url, process):
        held = listen_all(url, 2)
        status, took = rest_api(url)
        print(f"\n{name}: REST API beside 2 listen streams: {took:.3f} s")
        assert status == 200 and took < 5, (status, took)
        took, progress, _ = anyio.run(_progress_call, url)
        assert progress == [0, 50, 100] and took < 5
        took = stop(process, limit=40)
        print(f"{name}: SIGTERM with 2 listen streams open -> stopped in {took:.2f} s")
        assert took < 5, took  # not the 30 s of --graceful-timeout
        for stream in held:
            final = stream.rest()[-1]
            assert "result" in final, final
            stream.close()


def test_a_gthread_worker_frees_the_slot_of_a_client_gone() -> None:
    """Under WSGI a gone client is noticed when a write to it fails: the first keep-alive
    after it went still reaches the kernel, the second fails, about 30 s later. Its slot
    then comes back. One worker: the caps are per process."""
    env = {
        "INTEROP_SESSIONS": "0",
        "INTEROP_GUNICORN_THREADS": "4",
        "INTEROP_GUNICORN_WORKERS": "1",
        "INTEROP_MAX_STREAMS_PER_CALLER": "2",
    }
    with server(INTEROP_SERVER="gunicorn", **env) as (url, _):
        held = listen_all(url, 2)
        refused = Listen(url, 3).refusal
        assert refused is not None and "MAX_STREAMS_PER_CALLER" in refused["error"]["message"]
        for stream in held:
            stream.close()
        gone = time.monotonic()
        deadline = gone + 45
        while True:
            again = Listen(url, 4)
            if again.refusal is None or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        took = time.monotonic() - gone
        print(f"\ngunicorn gthread: a gone client's slot came back after {took:.1f} s")
        assert again.refusal is None, again.refusal
        assert took < 40, took
        again.close()
