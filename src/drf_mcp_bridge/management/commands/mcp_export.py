"""``manage.py mcp_export``: the MCP catalogue as JSON or OpenAPI 3.1.

    python manage.py mcp_export > mcp.json
    python manage.py mcp_export --format openapi --output mcp-openapi.json
    python manage.py mcp_export --user alice   # what alice's client is shown

The JSON is what tools/list, resources/list, resources/templates/list and prompts/list
answer; commit it to review catalogue changes in pull requests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...export import catalogue, catalogue_as, openapi
from ...transport.local import endpoint_path, find_user


class Command(BaseCommand):
    help = "Write the MCP tool catalogue (tools, resources, prompts) as JSON or OpenAPI 3.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "openapi"], default="json")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")
        parser.add_argument(
            "--user",
            help="export what this user is shown (the endpoint's access gate decides, as "
            "for their client); JSON only",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_openapi = options["format"] == "openapi"
        if options["user"]:
            if as_openapi:
                raise CommandError("--user exports JSON only.")
            endpoint_path()  # a clear error when the endpoint is not routed
            data = catalogue_as(find_user(options["user"]))
        else:
            data = openapi(endpoint=endpoint_path()) if as_openapi else catalogue()
        text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
        if options["output"]:
            try:
                Path(options["output"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {options['output']}: {exc}") from exc
        else:
            self.stdout.write(text, ending="")
