from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Category, Customer, Invoice, Note

# memcached_server, redis_server and shared_cache_backend (real cache servers on loopback).
pytest_plugins = ["tests.cache_servers"]


@pytest.fixture(autouse=True)
def structured_content_matches_output_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every structuredContent any test receives is validated against its tool's
    outputSchema (JSON Schema 2020-12, with format checks as official clients do)."""
    from jsonschema import Draft202012Validator, FormatChecker

    from drf_mcp_bridge.catalogue.registry import registry

    original = MCPClient.call_tool

    def checked(self: MCPClient, name: str, arguments: Any = None, **extra: Any) -> Any:
        result = original(self, name, arguments, **extra)
        tool = registry.get_tool(name)
        schema = tool.output_schema() if tool is not None else None
        if result.structured is not None and schema is None:
            # Allowed by the spec for plain function tools; ViewSet tools always declare one.
            assert tool.__class__.__name__ == "FunctionTool", name
        elif result.structured is not None:
            Draft202012Validator(schema, format_checker=FormatChecker()).validate(result.structured)
        return result

    monkeypatch.setattr(MCPClient, "call_tool", checked)


@pytest.fixture
def alice(db: Any) -> User:
    return User.objects.create_user("alice", password="alice-pw")


@pytest.fixture
def bob(db: Any) -> User:
    return User.objects.create_user("bob", password="bob-pw")


@pytest.fixture
def staff(db: Any) -> User:
    return User.objects.create_user("staff", password="staff-pw", is_staff=True)


@pytest.fixture
def alice_token(alice: User) -> str:
    return Token.objects.create(user=alice).key


@pytest.fixture
def mcp(db: Any) -> MCPClient:
    return MCPClient()


@pytest.fixture
def api(db: Any) -> APIClient:
    return APIClient()


@pytest.fixture
def data(alice: User, bob: User) -> dict[str, Any]:
    books = Category.objects.create(name="books")
    a1 = Customer.objects.create(owner=alice, name="Ann", email="ann@example.com", tier="pro")
    a2 = Customer.objects.create(owner=alice, name="Abe", category=books)
    b1 = Customer.objects.create(owner=bob, name="Bea", credit_limit="12.50")
    invoice = Invoice.objects.create(customer=a1, number="INV-1", amount="99.90", due="2026-12-01")
    note = Note.objects.create(text="Hello", slug="hello")
    return {"books": books, "a1": a1, "a2": a2, "b1": b1, "invoice": invoice, "note": note}


def rpc(client: APIClient, payload: Any, **headers: Any) -> Any:
    """POST raw JSON-RPC to /mcp/ and return the response."""
    import json

    extra = {"HTTP_ACCEPT": "application/json, text/event-stream"}
    extra.update(headers)
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return client.post("/mcp/", data=body, content_type="application/json", **extra)


def tool_call(name: str, arguments: dict[str, Any], id: int = 1) -> dict[str, Any]:
    """A JSON-RPC ``tools/call`` request message."""
    return {
        "jsonrpc": "2.0",
        "id": id,
        "method": "tools/call",
        "params": {"name": name, "arguments": arguments},
    }
