"""``manage.py mcp_stdio``: the MCP stdio transport for desktop clients.

    python manage.py mcp_stdio --user alice
    python manage.py mcp_stdio --header "Authorization: Token 0123..."

Reads newline-delimited JSON-RPC messages on stdin and writes each answer as one line on
stdout; logs go to stderr. Every message goes to the same protocol, access gate and DRF
views as over HTTP, as ``--user`` (or with the credentials of ``--header``): see
:mod:`drf_mcp_bridge.transport.stdio`.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ...transport.local import find_user, parse_header
from ...transport.stdio import serve

__all__ = ["Command", "serve"]


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
