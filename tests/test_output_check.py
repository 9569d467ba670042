"""OUTPUT_CHECK: a result whose structuredContent contradicts the tool's outputSchema is
sent without it and the schema withdrawn (the default); with the check off the content
is passed on unchecked (the cost it saves is measured in bench/bench_realistic.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from drf_mcp_bridge import mcp_view
from drf_mcp_bridge.catalogue.registry import registry

pytestmark = pytest.mark.django_db


class Count(APIView):
    authentication_classes: list[Any] = []
    permission_classes: list[Any] = []

    def get(self, request: Any) -> Response:
        return Response({"count": "many"})  # the declared schema says integer


urlpatterns = [path("count/", Count.as_view(), name="count"), path("", include("tests.urls"))]


@pytest.fixture
def count_tool(settings: Any) -> Iterator[str]:
    settings.ROOT_URLCONF = __name__
    schema = {
        "type": "object",
        "properties": {"count": {"type": "integer"}},
        "required": ["count"],
    }
    mcp_view({"get": "count_things"}, output_schemas={"get": schema})(Count)
    yield "count_things"
    registry.unregister(Count)


def call(client: Client, name: str) -> dict[str, Any]:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": name}}
    response = client.post("/mcp/", data=json.dumps(body), content_type="application/json")
    found: dict[str, Any] = response.json()["result"]
    return found


def test_checked_by_default(client: Client, count_tool: str, caplog: Any) -> None:
    with caplog.at_level(logging.ERROR, logger="drf_mcp_bridge"):
        result = call(client, count_tool)
    assert "structuredContent" not in result and not result.get("isError")
    assert json.loads(result["content"][0]["text"]) == {"count": "many"}
    assert any("does not match its outputSchema" in r.getMessage() for r in caplog.records)


def test_unchecked_when_off(client: Client, count_tool: str, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "OUTPUT_CHECK": False}
    result = call(client, count_tool)
    assert result["structuredContent"] == {"count": "many"}  # passed on as the view said
