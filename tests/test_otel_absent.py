"""Without the ``[otel]`` extra, contrib.otel (in the default EXTENSIONS) registers nothing:
run in an interpreter where ``opentelemetry`` cannot be imported."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import importlib.abc, json, os, sys

class NoOpenTelemetry(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "opentelemetry" or name.startswith("opentelemetry."):
            raise ImportError(f"No module named {name!r}")
        return None

sys.meta_path.insert(0, NoOpenTelemetry())
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
import django
django.setup()
from django.core.management import call_command
from django.test import Client
from drf_mcp_bridge.conf.settings import mcp_settings
from drf_mcp_bridge.contrib import otel
from drf_mcp_bridge.core import observe
call_command("migrate", verbosity=0)
body = {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
        "params": {"name": "customers_list", "arguments": {}}}
answer = Client().post("/mcp/", data=json.dumps(body), content_type="application/json",
                       HTTP_ACCEPT="application/json, text/event-stream")
print(json.dumps({
    "listed": "drf_mcp_bridge.contrib.otel" in mcp_settings.EXTENSIONS,
    "observer": otel.OBSERVER is None,
    "observers": len(observe.OBSERVERS),
    "status": answer.status_code,
    "result": "result" in answer.json(),
    "imported": sorted(m for m in sys.modules if m.startswith("opentelemetry")),
}))
"""


def test_without_the_api_nothing_is_registered_and_calls_work() -> None:
    import json

    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(SCRIPT)],
        cwd=ROOT,
        env={"PYTHONPATH": f"{ROOT}:{ROOT / 'src'}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report == {
        "listed": True,
        "observer": True,
        "observers": 0,
        "status": 200,
        "result": True,
        "imported": [],
    }
