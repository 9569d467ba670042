"""``manage.py mcp_stdio``: the MCP stdio transport for desktop clients.

    python manage.py mcp_stdio --user alice
    python manage.py mcp_stdio --header "Authorization: Token 0123..."

Reads newline-delimited JSON-RPC messages on stdin and writes each answer as one line on
stdout; logs go to stderr. Every message runs through the same endpoint view, dispatcher
and DRF views as over HTTP, as ``--user`` (or with the credentials of ``--header``).
"""

from __future__ import annotations

import json
import logging
import queue
import sys
import threading
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from ...core.types import SUPPORTED_PROTOCOL_VERSIONS
from ...transport.local import answer_messages, find_user, parse_header, post_to_endpoint
from ...transport.rules import routing_headers

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
    requests: queue.Queue[tuple[str, dict[str, str]] | None] = queue.Queue()
    version: str | None = None

    def write(body: bytes) -> None:
        with lock:
            real_stdout.write(body.decode("utf-8") + "\n")
            real_stdout.flush()

    def post(line: str, routing: dict[str, str], negotiated: str | None) -> Any:
        return post_to_endpoint(line, user, negotiated, {**headers, **routing})

    def read() -> None:
        try:
            for line in stdin:
                line = line.strip()
                if not line:
                    continue
                is_request, routing = _parse(line)
                if is_request:
                    requests.put((line, routing))
                else:
                    post(line, routing, version)  # a reply or a notification: no answer
        finally:
            requests.put(None)

    reader = threading.Thread(target=read, name="mcp-stdio-reader", daemon=True)
    reader.start()
    try:
        while (item := requests.get()) is not None:
            for body in answer_messages(post(*item, version)):
                version = _negotiated(body) or version
                write(body)
    finally:
        sys.stdout = real_stdout


def _parse(line: str) -> tuple[bool, dict[str, str]]:
    """Whether a line is a request (it has an answer) or unparsable (an error answers it),
    rather than a reply or a notification; and the headers HTTP would carry with it."""
    try:
        message = json.loads(line)
    except ValueError:
        return True, {}
    is_request = not (
        isinstance(message, dict) and ("method" not in message or "id" not in message)
    )
    return is_request, routing_headers(message)


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
