"""The official Python MCP SDK against a live server."""

from __future__ import annotations

import json
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, ClientSession
from mcp.client.streamable_http import streamable_http_client
from mcp.types import ElicitResult

from tests.interop.seed import ALICE_TOKEN

pytestmark = pytest.mark.interop


async def _crud(url: str) -> None:
    headers = {"Authorization": f"Token {ALICE_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        init = await session.initialize()
        assert init.protocol_version == "2025-11-25"
        assert init.server_info.name == "drf-mcp-bridge"

        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert {"customers_list", "customers_create", "customers_destroy"} <= set(tools)
        assert tools["customers_list"].annotations is not None
        assert tools["customers_list"].annotations.read_only_hint is True

        created = await session.call_tool(
            "customers_create", {"name": "From Python SDK", "tier": "pro"}
        )
        assert not created.is_error, created.content
        assert created.structured_content is not None
        pk = created.structured_content["id"]
        assert created.structured_content["owner"] == "alice"

        listed = await session.call_tool("customers_list", {"page_size": 50})
        assert listed.structured_content is not None
        assert pk in [c["id"] for c in listed.structured_content["results"]]

        fetched = await session.call_tool("customers_retrieve", {"pk": pk})
        assert fetched.structured_content is not None
        assert fetched.structured_content["name"] == "From Python SDK"

        patched = await session.call_tool("customers_partial_update", {"pk": pk, "vip": True})
        assert patched.structured_content is not None
        assert patched.structured_content["vip"] is True

        bad = await session.call_tool("customers_create", {"name": ""})
        assert bad.is_error
        assert "This field may not be blank." in str(bad.content)

        deleted = await session.call_tool("customers_destroy", {"pk": pk})
        assert not deleted.is_error

        gone = await session.call_tool("customers_retrieve", {"pk": pk})
        assert gone.is_error
        assert "404" in str(gone.content)


def test_python_sdk_crud(live_url: str) -> None:
    anyio.run(_crud, live_url)


async def _auto_mode(url: str) -> None:
    # The default Client probes 2026-07-28 server/discover first: this server answers it,
    # so the whole session runs stateless (no initialize, _meta on every request).
    headers = {"Authorization": f"Token {ALICE_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        assert client.protocol_version == "2026-07-28"
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert tools["customers_list"].annotations is not None
        assert tools["customers_list"].annotations.read_only_hint is True
        result = await client.call_tool("categories_list", {})
        assert result.structured_content == {"results": [{"id": 1, "name": "books"}]}
        created = await client.call_tool("customers_create", {"name": "Modern", "tier": "pro"})
        assert not created.is_error, created.content
        assert created.structured_content is not None
        pk = created.structured_content["id"]
        bad = await client.call_tool("customers_create", {"name": ""})
        assert bad.is_error
        assert "This field may not be blank." in str(bad.content)
        read = await client.read_resource(f"drf://customers/{pk}")
        assert '"Modern"' in read.contents[0].text  # type: ignore[union-attr]
        prompts = await client.list_prompts()
        assert "customers_guide" in [p.name for p in prompts.prompts]
        deleted = await client.call_tool("customers_destroy", {"pk": pk})
        assert not deleted.is_error


def test_python_sdk_default_client_speaks_2026(live_url: str) -> None:
    anyio.run(_auto_mode, live_url)


async def _legacy_mode(url: str) -> None:
    async with Client(url, mode="legacy") as client:
        assert client.protocol_version == "2025-11-25"
        result = await client.call_tool("categories_list", {})
        assert result.structured_content == {"results": [{"id": 1, "name": "books"}]}


def test_python_sdk_legacy_client_uses_the_handshake(live_url: str) -> None:
    anyio.run(_legacy_mode, live_url)


@pytest.mark.parametrize("server", ["uvicorn", "gunicorn"])
def test_python_sdk_under_asgi_and_wsgi_servers(server: str) -> None:
    """The same CRUD session under uvicorn (ASGI: Django's ASGI handler runs the sync
    endpoint view in its thread pool) and gunicorn (WSGI, two worker processes)."""
    from tests.interop.conftest import serve

    with serve(INTEROP_SERVER=server, INTEROP_SESSIONS="0") as url:
        anyio.run(_crud, url)


async def _talks_back(url: Any, mode: str) -> dict[str, Any]:
    """Progress, logs and elicitation with the official client: over the call's SSE stream
    in 2025 ('legacy'), as input_required rounds in 2026-07-28 ('auto')."""
    progress: list[float] = []
    asked: list[str] = []

    async def on_progress(value: float, total: float | None, message: str | None) -> None:
        progress.append(value)

    async def on_elicit(context: Any, params: Any) -> Any:
        asked.append(params.message)
        return ElicitResult(action="accept", content={"username": "ann", "email": "a@x.org"})

    async with Client(url, mode=mode, elicitation_callback=on_elicit) as client:  # type: ignore[arg-type]
        counted = await client.call_tool(
            "test_tool_with_progress", {}, progress_callback=on_progress
        )
        elicited = await client.call_tool("test_elicitation", {"message": "Who are you?"})
        return {
            "version": client.protocol_version,
            "progress": progress,
            "counted": counted.content[0].text,  # type: ignore[union-attr]
            "asked": asked,
            "elicited": elicited.content[0].text,  # type: ignore[union-attr]
        }


def _check_talks_back(report: dict[str, Any], version: str, streamed: bool) -> None:
    assert report["version"] == version
    assert report["counted"] == "Tool with progress executed successfully"
    # 2026-07-28 still has progress notifications on the call's stream.
    assert report["progress"] == ([0, 50, 100] if streamed else report["progress"])
    assert report["asked"] == ["Who are you?"]
    assert report["elicited"] == (
        "User response: action=accept, content={'username': 'ann', 'email': 'a@x.org'}"
    )


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_python_sdk_progress_and_elicitation(live_url: str, mode: str) -> None:
    report = anyio.run(_talks_back, live_url, mode)
    _check_talks_back(report, "2025-11-25" if mode == "legacy" else "2026-07-28", True)


@pytest.mark.parametrize("server", ["uvicorn", "gunicorn"])
def test_python_sdk_streams_under_asgi_and_wsgi(server: str) -> None:
    """SSE answers under uvicorn (an async iterator) and gunicorn (two processes: the
    elicitation reply may reach the other worker, and finds the call through the cache),
    stateless (no sessions)."""
    from tests.interop.conftest import serve

    with serve(INTEROP_SERVER=server, INTEROP_SESSIONS="0") as url:
        for _ in range(3):  # with two workers, replies land on either
            report = anyio.run(_talks_back, url, "legacy")
            _check_talks_back(report, "2025-11-25", True)


async def _async_viewset(url: str) -> list[str]:
    async with Client(url) as client:
        for name in ("one", "two", "three"):
            created = await client.call_tool("async_categories_create", {"name": name})
            assert not created.is_error, created.content
        listed = await client.call_tool("async_categories_list", {})
        # Its own list(): no outputSchema, so the SDK takes the JSON text as it is.
        assert listed.structured_content is None
        rows = json.loads(listed.content[0].text)["results"]
        assert [c["name"] for c in rows][-3:] == [
            "one",
            "two",
            "three",
        ]
        threads = await client.call_tool("async_handler_threads", {})
        assert threads.structured_content is not None
        found: list[str] = threads.structured_content["threads"]
        return found


def test_async_viewset_awaited_on_the_servers_event_loop() -> None:
    """Under uvicorn the adrf handlers run on the server's event loop (uvicorn's main
    thread) for every call: awaited, not given a thread of their own."""
    pytest.importorskip("adrf")
    from tests.interop.conftest import serve

    with serve(INTEROP_SERVER="uvicorn", INTEROP_SESSIONS="0") as url:
        threads = anyio.run(_async_viewset, url)
    assert threads == ["MainThread"] * 4


async def _cancel(url: str, mode: str) -> tuple[int, int]:
    """Abandon a slow call (the client's timeout): in 2025 the SDK sends
    notifications/cancelled; in 2026-07-28 it closes the call's stream."""
    headers = {"Authorization": f"Token {ALICE_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode) as client,  # type: ignore[arg-type]
    ):
        before = await client.call_tool("cancelled_count", {})
        assert before.structured_content is not None
        with pytest.raises(Exception):  # noqa: B017 - the SDK's timeout error
            await client.call_tool(
                "slow_steps",
                {"steps": 200},
                read_timeout_seconds=0.5,
                progress_callback=_ignore_progress,
            )
        await anyio.sleep(1.0)
        after = await client.call_tool("cancelled_count", {})
        assert after.structured_content is not None
        return before.structured_content["cancelled"], after.structured_content["cancelled"]


async def _ignore_progress(value: float, total: float | None, message: str | None) -> None:
    pass


@pytest.mark.parametrize("mode", ["legacy", "auto"])
def test_python_sdk_cancellation_stops_the_call(mode: str) -> None:
    """Under gunicorn with two workers, stateless: the cancellation may reach the worker
    that does not run the call, and stops it through the shared cache (2025); a closed
    stream stops it in 2026-07-28."""
    from tests.interop.conftest import serve

    with serve(INTEROP_SERVER="gunicorn", INTEROP_SESSIONS="0") as url:
        before, after = anyio.run(_cancel, url, mode)
    assert after == before + 1


async def _listen(url: str) -> tuple[list[str], list[str]]:
    """2026-07-28 subscriptions/listen with the official client: an update made through
    another request (another server thread) reaches the listening stream."""
    headers = {"Authorization": f"Token {ALICE_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        assert client.protocol_version == "2026-07-28"
        async with client.listen(
            resource_subscriptions=["drf://customers", "drf://nothing"]
        ) as sub:
            honored = list(sub.honored.resource_subscriptions or [])
            created = await client.call_tool("customers_create", {"name": "Heard of"})
            assert not created.is_error, created.content
            with anyio.fail_after(10):
                event = await sub.__anext__()
            return honored, [getattr(event, "uri", "")]


def test_python_sdk_subscriptions_listen(live_url: str) -> None:
    honored, uris = anyio.run(_listen, live_url)
    assert honored == ["drf://customers"]
    assert uris == ["drf://customers"]


async def _unlimited_list(url: str) -> tuple[int, int]:
    headers = {"Authorization": f"Token {ALICE_TOKEN}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        streamable_http_client(url, http_client=http) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert tools["list_unlimited_list"].output_schema is not None
        # Without limit DRF answers a bare list: the SDK validates it against the listed
        # outputSchema and must not raise.
        bare = await session.call_tool("list_unlimited_list", {})
        assert not bare.is_error, bare.content
        assert bare.structured_content is not None
        paged = await session.call_tool("list_unlimited_list", {"limit": 1})
        assert paged.structured_content is not None and "count" in paged.structured_content
        return len(bare.structured_content["results"]), len(paged.structured_content["results"])


def test_python_sdk_list_without_a_default_limit(live_url: str) -> None:
    """LimitOffsetPagination without default_limit: both shapes pass the SDK's check."""
    everything, one = anyio.run(_unlimited_list, live_url)
    assert everything >= 1 and one == 1
