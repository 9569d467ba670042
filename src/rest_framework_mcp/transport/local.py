"""Serving the endpoint in-process, without HTTP: for ``mcp_call`` and the stdio server.

Each message becomes a real Django request to the endpoint view, as the given user, so it
goes through exactly the dispatcher, permission checks and DRF views an HTTP request does.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError
from django.http import HttpResponseBase
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from .http import MCPView
from .streaming import event_data


def find_user(username: str | None) -> Any:
    if not username:
        return AnonymousUser()
    model = get_user_model()
    try:
        return model._default_manager.get_by_natural_key(username)
    except model.DoesNotExist as exc:
        raise CommandError(f"No user {username!r}.") from exc


def endpoint_path() -> str:
    try:
        return reverse("rest_framework_mcp:endpoint")
    except NoReverseMatch as exc:
        raise CommandError(
            'The MCP endpoint is not in the URLconf: add path("mcp/", '
            'include("rest_framework_mcp.urls")).'
        ) from exc


#: Who this process's in-process client is, for what a later message must match (its
#: cancellations, its replies to elicitation): one client per process, as stdio has.
LOCAL_CALLER = "local:" + secrets.token_urlsafe(16)


def post_to_endpoint(
    body: bytes | str,
    user: Any,
    protocol_version: str | None,
    headers: dict[str, str] | None = None,
) -> HttpResponseBase:
    """POST ``body`` to the endpoint view in-process as ``user``; its response. Every
    message of this process carries the same caller identity (:data:`LOCAL_CALLER`)."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"*"} and not h.startswith(".")]
    extra = {
        "HTTP_HOST": hosts[0] if hosts else "localhost",
        "HTTP_ACCEPT": "application/json, text/event-stream",
    }
    if protocol_version:
        extra["HTTP_MCP_PROTOCOL_VERSION"] = protocol_version
    for name, value in (headers or {}).items():
        extra["HTTP_" + name.upper().replace("-", "_")] = value
    post: Any = RequestFactory().post
    request = post(endpoint_path(), data=body, content_type="application/json", **extra)
    request.user = user
    request.mcp_caller = f"{LOCAL_CALLER}:{getattr(user, 'pk', None)}"
    # A local process is not a browser: there is no cross-site request to forge.
    request._dont_enforce_csrf_checks = True
    if "django.contrib.sessions" in settings.INSTALLED_APPS:
        engine = import_module(settings.SESSION_ENGINE)
        request.session = engine.SessionStore()
    return MCPView.as_view()(request)


def answer_messages(response: HttpResponseBase) -> Iterator[bytes]:
    """The JSON-RPC messages of an answer as they come: its JSON body, or each event of
    an SSE answer (notifications while a call runs, then its response). None for 202."""
    if response.status_code == 202:
        return
    if not response.streaming:
        content: bytes = getattr(response, "content", b"")
        if content:
            yield content
        return
    yield from event_data(response.streaming_content)  # type: ignore[attr-defined]


def parse_header(header: str) -> tuple[str, str]:
    name, sep, value = header.partition(":")
    if not sep or not name.strip():
        raise CommandError(f'A header must look like "Name: value"; got {header!r}.')
    return name.strip(), value.strip()
