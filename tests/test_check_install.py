"""scripts/check_install.py's comparison of what a command prints with what the quick start
shows (the install itself runs in the test command, scripts/test.sh)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "check_install", ROOT / "scripts" / "check_install.py"
)
assert spec is not None and spec.loader is not None
check_install = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_install)

VENV = Path(sys.executable).parent.parent
TOKEN = "0123456789abcdef0123456789abcdef01234567"
COMMAND = (
    "python -c \"print('customers_list  List customers'); print('x'); "
    f"print('Generated token {TOKEN} for user alice')\""
)
BLOCK = f"""\
$ {COMMAND}
customers_list  List customers
...
Generated token 3b1f0c5a9e2d4f6b8a7c1e0d2f4a6b8c9d1e3f5a for user alice
"""


def test_documented_lines_match_in_order_and_tokens_stand_for_any_token() -> None:
    [(command, printed)] = check_install.transcript(BLOCK)
    check_install.follow(command, printed, ROOT, VENV)


def test_a_line_the_command_does_not_print_fails() -> None:
    [(command, printed)] = check_install.transcript(BLOCK)
    with pytest.raises(check_install.Failed, match="did not print 'customers_list  List all'"):
        check_install.follow(command, ["customers_list  List all"], ROOT, VENV)
    # Order counts: the token line comes after the tool line.
    with pytest.raises(check_install.Failed):
        check_install.follow(command, list(reversed(printed)), ROOT, VENV)


def test_a_failing_command_fails() -> None:
    with pytest.raises(check_install.Failed, match="exited 3"):
        check_install.follow('python -c "raise SystemExit(3)"', [], ROOT, VENV)


def test_the_page_has_the_sections_the_script_follows() -> None:
    page = check_install.sections(check_install.PAGE.read_text())
    assert len([b for b in check_install.blocks(page["1. Install"], "console") if "$ " in b]) == 2
    assert "@mcp_viewset" in "".join(check_install.blocks(page["3. Expose ViewSets"], "python"))
