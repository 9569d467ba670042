"""docs/clients.md's Python SDK block, run as written with the official SDK against the
example project (seeded: the block's token is alice's demo token); only the server's
address is the one this run serves on instead of 127.0.0.1:8000."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.interop.conftest import example_project
from tests.test_docs_examples import python_blocks

pytestmark = pytest.mark.interop


def test_python_sdk_block_lists_alices_loans(tmp_path: Path) -> None:
    [code] = [block for block in python_blocks("clients.md") if "ClientSession" in block]
    assert "http://127.0.0.1:8000/mcp/" in code
    with example_project(["seed_demo"]) as (url, _env):
        script = tmp_path / "client.py"
        script.write_text(code.replace("http://127.0.0.1:8000", url))
        completed = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=120
        )
    assert completed.returncode == 0, completed.stderr
    printed = ast.literal_eval(completed.stdout.strip())
    # alice's loans only (the example's LoanViewSet scopes them to the caller).
    assert printed["results"], printed
    assert {loan["borrower"] for loan in printed["results"]} == {"alice"}, printed
