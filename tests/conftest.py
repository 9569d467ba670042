from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from rest_framework_mcp.test import MCPClient
from tests.testapp.models import Category, Customer, Invoice, Note


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
