"""``manage.py mcp_export``: the MCP catalogue as JSON or OpenAPI 3.1.

    python manage.py mcp_export > mcp.json
    python manage.py mcp_export --format openapi --output mcp-openapi.json

The JSON is what tools/list, resources/list, resources/templates/list and prompts/list
answer; commit it to review catalogue changes in pull requests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...export import catalogue, openapi
from ...local import endpoint_path


class Command(BaseCommand):
    help = "Write the MCP tool catalogue (tools, resources, prompts) as JSON or OpenAPI 3.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "openapi"], default="json")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_openapi = options["format"] == "openapi"
        data = openapi(endpoint=endpoint_path()) if as_openapi else catalogue()
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        if options["output"]:
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc}") from exc
        else:
            self.stdout.write(text, ending="")
