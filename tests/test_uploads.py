"""File arguments: base64 in, a real multipart (or raw) upload to the view, URLs out."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from drf_mcp_bridge import mcp_viewset
from drf_mcp_bridge.catalogue.registry import registry
from drf_mcp_bridge.test import MCPClient
from tests.testapp.models import Attachment
from tests.testapp.uploads import VIEWSETS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 tiny test document\n"


def upload(name: str, data: bytes, media_type: str | None = None) -> dict[str, Any]:
    value = {"filename": name, "content": base64.b64encode(data).decode()}
    if media_type:
        value["media_type"] = media_type
    return value


@pytest.fixture
def exposed() -> Iterator[None]:
    for name, viewset in VIEWSETS.items():
        mcp_viewset(name=name, actions=["create", "retrieve", "list", "partial_update"])(viewset)
    yield
    for viewset in VIEWSETS.values():
        registry.unregister(viewset)


def stored(attachment_id: int) -> bytes:
    return Path(Attachment.objects.get(pk=attachment_id).document.path).read_bytes()


def test_file_argument_schema(exposed: None, mcp: MCPClient) -> None:
    tool = {t["name"]: t for t in mcp.tools_list()}["attachments_create"]
    document = tool["inputSchema"]["properties"]["document"]
    assert document["type"] == "object"
    assert document["required"] == ["filename", "content"]
    assert document["properties"]["content"]["contentEncoding"] == "base64"
    assert "at most 524288 bytes" in document["description"]
    # Output: the file's absolute URL.
    assert tool["outputSchema"]["properties"]["document"]["format"] == "uri"


def test_multipart_upload_matches_rest(exposed: None, mcp: MCPClient) -> None:
    result = mcp.call_tool(
        "attachments_create", {"title": "Spec", "document": upload("spec.pdf", PDF)}
    )
    assert not result.is_error, result.text
    body = result.json()
    assert body["title"] == "Spec"
    assert body["document"].startswith("http://testserver/media/attachments/spec")
    assert stored(body["id"]) == PDF

    rest = APIClient().post(
        "/api/attachments/",
        {"title": "Spec", "document": SimpleUploadedFile("spec.pdf", PDF)},
        format="multipart",
    )
    assert rest.status_code == 201
    assert set(rest.json()) == set(body)
    assert rest.json()["document"].startswith("http://testserver/media/attachments/spec")
    assert stored(rest.json()["id"]) == PDF

    # The file can be fetched back by the model: retrieve gives the same absolute URL.
    again = mcp.call_tool("attachments_retrieve", {"pk": body["id"]}).json()
    assert again["document"] == body["document"]


def test_partial_update_replaces_the_file(exposed: None, mcp: MCPClient) -> None:
    created = mcp.call_tool("attachments_create", {"title": "A", "document": upload("a.txt", b"1")})
    pk = created.json()["id"]
    patched = mcp.call_tool(
        "attachments_partial_update", {"pk": pk, "document": upload("b.txt", b"two")}
    )
    assert not patched.is_error, patched.text
    assert stored(pk) == b"two"
    assert Attachment.objects.get(pk=pk).title == "A"


def test_raw_body_upload_for_file_upload_parser(exposed: None, mcp: MCPClient) -> None:
    result = mcp.call_tool("raw_uploads_create", {"file": upload("notes.txt", b"raw bytes")})
    assert not result.is_error, result.text
    body = result.json()
    assert body["title"] == "notes.txt"
    assert stored(body["id"]) == b"raw bytes"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"title": "x", "document": {"filename": "a.txt", "content": "!!!"}}, "not valid base64"),
        ({"title": "x", "document": {"filename": "../etc/passwd", "content": ""}}, "filename"),
        ({"title": "x", "document": "aGVsbG8="}, "must be an object"),
        ({"title": "x", "document": {"filename": "a.txt"}}, "base64 string"),
    ],
)
def test_bad_file_arguments_are_tool_errors(
    exposed: None, mcp: MCPClient, arguments: dict[str, Any], message: str
) -> None:
    result = mcp.call_tool("attachments_create", arguments)
    assert result.is_error and message in result.text
    assert not Attachment.objects.exists()


def test_file_size_limit(exposed: None, mcp: MCPClient, settings: Any) -> None:
    settings.REST_FRAMEWORK_MCP = {**settings.REST_FRAMEWORK_MCP, "MAX_FILE_SIZE": 10}
    ok = mcp.call_tool("attachments_create", {"title": "s", "document": upload("s.txt", b"x" * 10)})
    assert not ok.is_error, ok.text
    big = mcp.call_tool(
        "attachments_create", {"title": "b", "document": upload("b.txt", b"x" * 11)}
    )
    assert big.is_error and "is 11 bytes; the limit is 10 bytes" in big.text
    assert Attachment.objects.count() == 1


def test_json_only_view_says_it_cannot_take_files(exposed: None, mcp: MCPClient) -> None:
    result = mcp.call_tool(
        "json_attachments_create", {"title": "x", "document": upload("a.txt", b"1")}
    )
    assert result.is_error
    assert "parses only application/json" in result.text
    assert "MultiPartParser" in result.text
    assert not Attachment.objects.exists()


def test_rest_uploads_unchanged_by_exposure(exposed: None) -> None:
    response = APIClient().post(
        "/api/attachments/",
        {"title": "T", "document": SimpleUploadedFile("t.txt", b"t")},
        format="multipart",
    )
    assert response.status_code == 201
    assert stored(response.json()["id"]) == b"t"
