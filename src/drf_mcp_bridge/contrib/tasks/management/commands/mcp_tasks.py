"""``manage.py mcp_tasks --prune`` (delete expired tasks; run it from cron) and
``--reap`` (recover the runs of workers that stopped, as ``tasks/get`` does when it
meets one)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ... import jobs, store
from ...models import WORKING, MCPTask


class Command(BaseCommand):
    help = "Delete expired MCP tasks (--prune) and recover tasks whose worker stopped (--reap)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prune", action="store_true", help="delete expired tasks")
        parser.add_argument("--reap", action="store_true", help="recover lost runs")

    def handle(self, *args: Any, **options: Any) -> None:
        if not (options["prune"] or options["reap"]):
            self.stderr.write("Nothing to do: give --prune, --reap or both.")
            return
        if options["reap"]:
            moment = store.now()
            recovered = 0
            for row in MCPTask.objects.filter(status=WORKING, expires_at__gt=moment):
                if store.lost(row, moment):
                    jobs.recover(row)
                    recovered += 1
            self.stdout.write(f"{recovered} lost task run(s) recovered.")
        if options["prune"]:
            self.stdout.write(f"{store.prune()} expired task(s) deleted.")
