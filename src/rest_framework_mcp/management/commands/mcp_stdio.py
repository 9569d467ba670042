"""``manage.py mcp_stdio``: the MCP stdio transport for desktop clients.

    python manage.py mcp_stdio --user alice
    python manage.py mcp_stdio --header "Authorization: Token 0123..."

Reads newline-delimited JSON-RPC messages on stdin and writes each answer as one line on
stdout; logs go to stderr. Every message runs through the same endpoint view, dispatcher
and DRF views as over HTTP, as ``--user`` (or with the credentials of ``--header``).
"""

from __future__ import annotations

import base64
import json
import logging
import queue
import sys
import threading
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from ...local import answer_messages, find_user, parse_header, post_to_endpoint
from ...types import (
    META_PROTOCOL_VERSION,
    STATELESS_PROTOCOL_VERSIONS,
    SUPPORTED_PROTOCOL_VERSIONS,
)

logger = logging.getLogger("rest_framework_mcp")


class Command(BaseCommand):
    help = "Serve MCP over stdio (newline-delimited JSON-RPC) as a user."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="username every call runs as (default anonymous)")
        parser.add_argument(
            "--header",
            action="append",
            default=[],
            help='credentials for the views, e.g. "Authorization: Token ..." (repeatable)',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = find_user(options["user"])
        headers = dict(parse_header(h) for h in options["header"])
        serve(sys.stdin, sys.stdout, user, headers)


def serve(stdin: TextIO, stdout: TextIO, user: Any, headers: dict[str, str]) -> None:
    """Answer each line of ``stdin`` on ``stdout`` until end of input.

    Requests are answered one after another in this thread. A background thread reads
    stdin, so that what the client sends while a call runs (its replies to elicitation or
    sampling, ``notifications/cancelled``) reaches the server at once; notifications and
    progress of a streamed call are written as they come, each on its own line.
    """
    # Nothing but protocol messages may reach stdout: stray prints go to stderr.
    real_stdout, sys.stdout = stdout, sys.stderr
    lock = threading.Lock()
    requests: queue.Queue[str | None] = queue.Queue()
    version: str | None = None

    def write(body: bytes) -> None:
        with lock:
            real_stdout.write(body.decode("utf-8") + "\n")
            real_stdout.flush()

    def post(line: str, negotiated: str | None) -> Any:
        return post_to_endpoint(line, user, negotiated, {**headers, **_routing_headers(line)})

    def read() -> None:
        try:
            for line in stdin:
                line = line.strip()
                if not line:
                    continue
                if _is_request(line):
                    requests.put(line)
                else:
                    post(line, version)  # a reply or a notification: nothing to answer
        finally:
            requests.put(None)

    reader = threading.Thread(target=read, name="mcp-stdio-reader", daemon=True)
    reader.start()
    try:
        while (line := requests.get()) is not None:
            for body in answer_messages(post(line, version)):
                version = _negotiated(body) or version
                write(body)
    finally:
        sys.stdout = real_stdout


def _is_request(line: str) -> bool:
    """Whether a line is a request (it has an answer), or unparsable (an error answers
    it); replies and notifications are not."""
    try:
        message = json.loads(line)
    except ValueError:
        return True
    return not (isinstance(message, dict) and ("method" not in message or "id" not in message))


def _routing_headers(line: str) -> dict[str, str]:
    """For a 2026-07-28 message, the headers an HTTP client would send with it (stdio has
    none; the endpoint checks them against the body)."""
    try:
        message = json.loads(line)
    except ValueError:
        return {}
    params = message.get("params") if isinstance(message, dict) else None
    meta = params.get("_meta") if isinstance(params, dict) else None
    version = meta.get(META_PROTOCOL_VERSION) if isinstance(meta, dict) else None
    if not isinstance(version, str) or version not in STATELESS_PROTOCOL_VERSIONS:
        return {}
    found = {"MCP-Protocol-Version": version, "Mcp-Method": str(message.get("method"))}
    assert isinstance(params, dict)
    name = params.get("name", params.get("uri"))
    if isinstance(name, str):
        encoded = base64.b64encode(name.encode()).decode("ascii")
        found["Mcp-Name"] = name if name.isascii() else f"=?base64?{encoded}?="
    return found


def _negotiated(body: bytes) -> str | None:
    """The protocol version an initialize result settled on (later requests carry it, as
    the MCP-Protocol-Version header does over HTTP)."""
    try:
        message = json.loads(body)
    except ValueError:
        return None
    result = message.get("result") if isinstance(message, dict) else None
    version = result.get("protocolVersion") if isinstance(result, dict) else None
    return version if version in SUPPORTED_PROTOCOL_VERSIONS else None
