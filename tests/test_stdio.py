"""The stdio transport (``manage.py mcp_stdio``): newline-delimited JSON-RPC handed to the
same protocol, access gate and DRF views as HTTP (without the HTTP view), in-process here
and with the official SDKs' stdio clients in tests/interop/test_stdio_clients.py."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from drf_mcp_bridge.management.commands.mcp_stdio import serve
from tests.conftest import tool_call
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db


def run(lines: list[Any], user: Any, headers: dict[str, str] | None = None) -> list[Any]:
    stdin = io.StringIO("".join((m if isinstance(m, str) else json.dumps(m)) + "\n" for m in lines))
    stdout = io.StringIO()
    serve(stdin, stdout, user, headers or {})
    return [json.loads(line) for line in stdout.getvalue().splitlines()]


def test_a_session_over_stdio(alice: User) -> None:
    answers = run(
        [
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "t", "version": "1"},
                },
            },
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            "",
            {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
            tool_call("customers_create", {"name": "Over stdio"}, id=3),
            "{not json",
            {"jsonrpc": "2.0", "id": 4, "method": "nope"},
        ],
        alice,
    )
    # One answer per request; none for the notification or the blank line.
    assert [a.get("id") for a in answers] == [1, 2, 3, None, 4]
    assert answers[0]["result"]["protocolVersion"] == "2025-06-18"
    assert "customers_create" in [t["name"] for t in answers[1]["result"]["tools"]]
    created = answers[2]["result"]
    assert created.get("isError") is not True
    assert created["structuredContent"]["owner"] == "alice"
    assert Customer.objects.get(name="Over stdio").owner == alice
    assert answers[3]["error"]["code"] == -32700
    assert answers[4]["error"]["code"] == -32601


def test_anonymous_calls_get_what_rest_gives_anonymous(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    (answer,) = run(
        [tool_call("customers_create", {"name": "x"}, id=1)],
        AnonymousUser(),
    )
    assert answer["result"]["isError"] is True
    assert not Customer.objects.filter(name="x").exists()


def test_header_credentials(alice: User, alice_token: str) -> None:
    from django.contrib.auth.models import AnonymousUser

    (answer,) = run(
        [tool_call("invoices_list", {}, id=1)],
        AnonymousUser(),
        {"Authorization": f"Token {alice_token}"},
    )
    assert answer["result"].get("isError") is not True


def test_unknown_user_is_refused(db: Any) -> None:
    with pytest.raises(CommandError, match="No user 'ghost'"):
        call_command("mcp_stdio", user="ghost")


def test_streamed_call_and_2026_over_stdio(alice: User) -> None:
    from drf_mcp_bridge import CallContext, mcp_tool
    from drf_mcp_bridge.catalogue.registry import registry

    @mcp_tool(name="steps")
    def steps(mcp: CallContext) -> str:
        for n in (1, 2):
            mcp.progress(n, 2)
        return "stepped"

    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    try:
        answers = run(
            [
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "tools/call",
                    "params": {"name": "steps", "arguments": {}, "_meta": {"progressToken": "p"}},
                },
                {"jsonrpc": "2.0", "id": 2, "method": "server/discover", "params": {"_meta": meta}},
                {"jsonrpc": "2.0", "id": 3, "method": "ping", "params": {"_meta": meta}},
            ],
            alice,
        )
    finally:
        registry.unregister("steps")
    # Progress lines come before the call's answer, each on its own line.
    assert [a.get("method") for a in answers[:2]] == ["notifications/progress"] * 2
    assert answers[2] == {
        "jsonrpc": "2.0",
        "id": 1,
        "result": {"content": [{"type": "text", "text": "stepped"}]},
    }
    assert answers[3]["result"]["resultType"] == "complete"
    assert "2026-07-28" in answers[3]["result"]["supportedVersions"]
    assert answers[4]["error"]["code"] == -32601  # no ping in 2026-07-28


def test_refused_credentials_answer_each_request_under_its_id(db: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    answers = run(
        [
            {"jsonrpc": "2.0", "id": 7, "method": "tools/list"},
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            tool_call("customers_create", {"name": "refused"}, id="eight"),
        ],
        AnonymousUser(),
        {"Authorization": "Token not-a-real-token"},
    )
    # As over HTTP (a 401 there), the refusal names what DRF said; nothing ran.
    assert [a["id"] for a in answers] == [7, "eight"]
    assert all(a["error"]["code"] == -32600 for a in answers)
    assert "Invalid token" in answers[0]["error"]["message"]
    assert not Customer.objects.filter(name="refused").exists()


def test_listen_streams_are_refused_in_process(alice: User, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "SUBSCRIPTIONS": True}
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
    }
    listen = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "subscriptions/listen",
        "params": {"notifications": {"resourceSubscriptions": []}, "_meta": meta},
    }
    (answer,) = run([listen, {"jsonrpc": "2.0", "id": 2, "method": "x/none"}], alice)[:1]
    assert answer["id"] == 1
    assert answer["error"]["code"] == -32000
    assert "HTTP only" in answer["error"]["message"]
