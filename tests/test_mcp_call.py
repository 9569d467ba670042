"""``manage.py mcp_call``: in-process and over HTTP."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from drf_mcp_bridge.management.commands.mcp_call import parse_arguments
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("mcp_call", *args, stdout=out)
    return out.getvalue()


def test_tools_list_table() -> None:
    output = run("tools/list")
    assert "customers_list" in output
    assert "List customers" in output
    assert output.strip().endswith("26 tools")


def test_initialize_and_raw_json() -> None:
    result = json.loads(run("initialize"))
    assert result["protocolVersion"] == "2025-11-25"
    assert json.loads(run("tools/list", "--json"))["tools"][0]["name"] == "customers_list"


def test_create_as_user(alice: User) -> None:
    output = run("customers_create", "name=Ann", "tier=pro", "vip=true", "--user", "alice")
    assert json.loads(output)["owner"] == "alice"
    customer = Customer.objects.get()
    assert customer.vip is True and customer.tier == "pro"


def test_json_args(alice: User) -> None:
    run("customers_create", "--args", '{"name": "Bo", "credit_limit": "2.50"}', "--user", "alice")
    assert str(Customer.objects.get().credit_limit) == "2.50"


def test_tool_error_is_a_command_error(alice: User) -> None:
    with pytest.raises(CommandError, match="returned an error"):
        run("customers_create", "name=", "--user", "alice")
    with pytest.raises(CommandError, match="returned an error"):
        run("customers_create", "name=Anon")  # anonymous writes are refused


def test_bad_input() -> None:
    with pytest.raises(CommandError, match="No user 'ghost'"):
        run("customers_list", "--user", "ghost")
    with pytest.raises(CommandError, match="-32602"):
        run("no_such_tool")
    with pytest.raises(CommandError, match="key=value"):
        run("customers_list", "oops")
    with pytest.raises(CommandError, match="JSON object"):
        run("customers_list", "--args", "[1]")


def test_parse_arguments() -> None:
    assert parse_arguments(["a=1", "b=x", "c=[1,2]", "d=null", "e=a=b"]) == {
        "a": 1,
        "b": "x",
        "c": [1, 2],
        "d": None,
        "e": "a=b",
    }


@pytest.mark.django_db(transaction=True)
def test_over_http(live_server: Any) -> None:
    from rest_framework.authtoken.models import Token

    alice = User.objects.create_user("alice")
    token = Token.objects.create(user=alice)
    url = f"{live_server.url}/mcp/"
    assert "kb_notes_list" in run("tools/list", "--url", url)
    header = f"Authorization: Token {token.key}"
    created = json.loads(run("customers_create", "name=Remote", "--url", url, "--header", header))
    assert created["owner"] == "alice"
    with pytest.raises(CommandError, match="returned an error"):
        run("invoices_list", "--url", url)
    with pytest.raises(CommandError, match="Could not reach"):
        run("tools/list", "--url", "http://127.0.0.1:9/mcp/")


@pytest.mark.django_db(transaction=True)
def test_streamed_answers_in_process_and_over_http(live_server: Any) -> None:
    """A tool that reports progress answers as SSE; mcp_call prints its final result."""
    from drf_mcp_bridge import CallContext, mcp_tool
    from drf_mcp_bridge.catalogue.registry import registry

    @mcp_tool(name="stepper")
    def stepper(mcp: CallContext) -> str:
        mcp.progress(1, 1)
        return "stepped"

    try:
        assert "stepped" in run("stepper")
        assert "stepped" in run("stepper", "--url", f"{live_server.url}/mcp/")
    finally:
        registry.unregister("stepper")
