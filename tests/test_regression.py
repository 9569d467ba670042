"""Normal DRF requests are unchanged, and REST and MCP agree for every user and action."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Customer

pytestmark = pytest.mark.django_db

IGNORED_HEADERS = {"Date", "Server"}


def comparable(response: Any, prefix: str) -> tuple[int, Any, dict[str, str]]:
    body = response.content.decode().replace(f"/api/{prefix}/", "/api/X/")
    # Timestamps and the view's own name/docstring (OPTIONS) differ by construction.
    body = re.sub(r'"created":"[^"]*"', '"created":"T"', body)
    body = re.sub(r'"name":"(Plain )?Customer List","description":"[^"]*"', '"name":"N"', body)
    headers = {k: v for k, v in response.headers.items() if k not in IGNORED_HEADERS}
    headers.pop("Content-Length", None)
    return response.status_code, body, headers


@pytest.mark.parametrize("user_name", [None, "alice", "bob"])
@pytest.mark.parametrize(
    ("method", "suffix", "payload"),
    [
        ("get", "", None),
        ("get", "{a1}/", None),
        ("get", "999/", None),
        ("post", "", {"name": "New"}),
        ("post", "", {"name": ""}),
        ("patch", "{a1}/", {"vip": True}),
        ("put", "{a1}/", {"name": "Put"}),
        ("delete", "{b1}/", None),
        ("options", "", None),
    ],
)
def test_decorated_viewset_answers_rest_exactly_as_undecorated(
    data: dict[str, Any], user_name: str | None, method: str, suffix: str, payload: Any
) -> None:
    results = []
    for prefix in ("customers", "plain-customers"):
        # Same starting state for both requests.
        Customer.objects.filter(name__in=["New", "Put"]).delete()
        for obj in (data["a1"], data["b1"]):
            obj.save()
        Customer.objects.filter(pk=data["a1"].pk).update(name="Ann", vip=False)
        client = APIClient()
        if user_name:
            client.force_authenticate(User.objects.get(username=user_name))
        url = f"/api/{prefix}/" + suffix.format(a1=data["a1"].pk, b1=data["b1"].pk)
        kwargs: dict[str, Any] = {"format": "json"} if payload is not None else {}
        response = getattr(client, method)(url, payload, **kwargs)
        body = comparable(response, prefix)
        if method == "post" and response.status_code == 201:
            created = json.loads(body[1])
            created.pop("id"), created.pop("created")
            body = (body[0], created, {k: v for k, v in body[2].items() if k != "Location"})
        results.append(body)
    assert results[0] == results[1]


USERS = ["anonymous", "owner", "non-owner", "staff"]
OPERATIONS = [
    ("customers_list", "get", "", lambda pk: {}),
    ("customers_retrieve", "get", "{pk}/", lambda pk: {"pk": pk}),
    ("customers_create", "post", "", lambda pk: {"name": "Made"}),
    ("customers_update", "put", "{pk}/", lambda pk: {"pk": pk, "name": "Replaced"}),
    ("customers_partial_update", "patch", "{pk}/", lambda pk: {"pk": pk, "vip": True}),
    ("customers_destroy", "delete", "{pk}/", lambda pk: {"pk": pk}),
]


def _user(kind: str, owner: User) -> User | None:
    if kind == "anonymous":
        return None
    if kind == "owner":
        return owner
    if kind == "staff":
        return User.objects.create_user("boss", is_staff=True)
    return User.objects.create_user("stranger")


def _state() -> list[tuple[Any, ...]]:
    return list(Customer.objects.order_by("name").values_list("name", "vip", "owner__username"))


@pytest.mark.parametrize("user_kind", USERS)
@pytest.mark.parametrize(("tool", "method", "suffix", "arguments"), OPERATIONS)
def test_rest_and_mcp_same_outcome(
    alice: User, user_kind: str, tool: str, method: str, suffix: str, arguments: Any
) -> None:
    outcomes = []
    for transport in ("rest", "mcp"):
        Customer.objects.all().delete()
        target = Customer.objects.create(owner=alice, name="Target")
        User.objects.exclude(username="alice").delete()
        user = _user(user_kind, alice)
        args = arguments(target.pk)
        if transport == "rest":
            client = APIClient()
            if user:
                client.force_authenticate(user)
            body = {k: v for k, v in args.items() if k != "pk"}
            url = "/api/customers/" + suffix.format(pk=target.pk)
            response = getattr(client, method)(url, body or None, format="json")
            status = response.status_code
            payload = response.json() if response.content else None
        else:
            mcp = MCPClient()
            if user:
                mcp.force_authenticate(user)
            result = mcp.call_tool(tool, args)
            if result.is_error:
                status = int(result.text.split("HTTP ")[1].split()[0])
                payload = json.loads(result.content[1]["text"])
            else:
                status = 204 if "HTTP 204" in result.text else (201 if method == "post" else 200)
                payload = result.structured
        if isinstance(payload, dict):
            payload.pop("id", None)
            payload.pop("created", None)
            for item in payload.get("results", []) or []:
                item.pop("created", None)
                item.pop("id", None)
        outcomes.append((status, payload, _state()))
    assert outcomes[0] == outcomes[1]
    # The matrix means something: writes by strangers and anonymous users are refused.
    if user_kind in {"anonymous", "non-owner"} and method in {"put", "patch", "delete"}:
        assert outcomes[0][0] in {401, 403}
