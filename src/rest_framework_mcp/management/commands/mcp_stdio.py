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
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandParser

from ...local import find_user, parse_header, post_to_endpoint, response_body
from ...types import SUPPORTED_PROTOCOL_VERSIONS

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
    """Answer each line of ``stdin`` on ``stdout`` until end of input."""
    # Nothing but protocol messages may reach stdout: stray prints go to stderr.
    real_stdout, sys.stdout = stdout, sys.stderr
    version: str | None = None
    try:
        for line in stdin:
            if not line.strip():
                continue
            response = post_to_endpoint(line.strip(), user, version, headers)
            body = response_body(response)
            if response.status_code == 202 or not body:
                continue  # a notification or a response: nothing to answer
            version = _negotiated(body) or version
            real_stdout.write(body.decode("utf-8") + "\n")
            real_stdout.flush()
    finally:
        sys.stdout = real_stdout


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
