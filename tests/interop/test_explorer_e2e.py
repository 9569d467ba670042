"""The explorer in a real browser (Debian's Chromium, driven by playwright-core) against the
example project on a seeded SQLite database: explorer/e2e/explorer.e2e.ts does the clicking
and typing, this test starts the server and checks the report. The screenshots it takes are
docs/explorer.png (a validation error) and docs/explorer-live.png (a tool's question, with
its progress and log, while the call runs)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interop.conftest import ROOT, example_project, node_tool

pytestmark = pytest.mark.interop
EXPLORER = ROOT / "explorer"
SCREENSHOT = ROOT / "docs" / "explorer.png"
LIVE_SCREENSHOT = ROOT / "docs" / "explorer-live.png"
WIDTH = 1280  # the e2e script's viewport


def no_violations(found: list[str]) -> bool:
    """axe-core's serious and critical violations, printed when there are any."""
    if found:
        print("\n".join(found))
    return not found


@pytest.fixture(scope="module")
def example_url() -> Iterator[str]:
    with example_project(["seed_demo"]) as (url, _env):
        yield url


def test_explorer_in_chromium(example_url: str) -> None:
    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    assert Path(chromium).exists(), "Chromium is missing: run scripts/bootstrap.sh"
    completed = subprocess.run(
        [
            node_tool("node"),
            "--experimental-strip-types",
            "--no-warnings",
            "e2e/explorer.e2e.ts",
            example_url,
            str(SCREENSHOT),
        ],
        cwd=EXPLORER,
        env=dict(os.environ, CHROMIUM=chromium),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["user"] == "alice"
    assert report["version"] == "2025-11-25"
    assert {"books", "authors", "loans"} <= set(report["groups"])
    assert report["readOnlyBadge"] == "read-only"
    assert report["destructiveBadge"] == "destructive"
    # Nothing wider than its box in the tool list, nor than the 1280 px window, whatever is shown.
    for state in ("overflowToolList", "overflowWithTable", "overflowLive"):
        assert report[state]["toolList"] == [], (state, report[state])
        assert report[state]["document"] <= WIDTH, (state, report[state])
    # The tool search: by name, title or description; cleared, every tool again.
    loans_tools = [name for name in report["searchLoan"] if name.startswith("loans_")]
    assert report["searchLoan"] == loans_tools and "loans_renew" in loans_tools
    assert len(loans_tools) == 8 and report["searchGroups"] == ["loans"]
    assert report["searchCount"] == f"8 of {report['toolCount']} tools"
    assert report["searchNone"] == []
    assert report["searchCleared"] == report["toolCount"] == 17
    # Keyboard: Enter opened the tool and the first field has the focus; every input has a label.
    assert report["focusedLabel"].startswith("Title")
    assert report["unlabelled"] == []
    assert "The Dispossessed" in report["created"]
    assert report["authorRole"] == "combobox"  # a relation, with completion's choices
    # At 1280 px the result panel is beside the form, not below it; at 800 px, below it.
    for state in ("layoutWide", "layoutLive"):
        wide = report[state]
        assert wide["outputLeft"] >= wide["formRight"], (state, wide)
        assert wide["outputTop"] < wide["formBottom"], (state, wide)
    assert report["overflowNarrow"] == {"document": 800, "toolList": []}  # at 800 px too
    narrow = report["layoutNarrow"]
    assert (
        narrow["outputTop"] >= narrow["formBottom"] and narrow["outputLeft"] < narrow["formRight"]
    )
    assert "The Dispossessed" in report["listed"]
    assert {"title", "isbn", "published"} <= set(report["headers"])
    # The server's validation messages, next to their fields.
    assert report["isbnInvalid"] == "true"
    assert report["isbnError"] == "book with this isbn already exists."
    assert report["titleError"] == "This field may not be blank."
    assert report["focusAfterError"] in {"title", "isbn"}
    # The summary beside the form: field names and messages, no "0." list numbering.
    summary = report["errorSummary"]
    assert "title: This field may not be blank." in summary
    assert "isbn: book with this isbn already exists." in summary
    assert report["numberedLists"] == 0 and "0." not in report["errorReadable"]
    assert report["selectedTab"] == "History"
    assert report["history"][:3] == ["books_create", "books_list", "books_create"]
    assert "curl -X POST" in report["curl"] and '"name":"books_create"' in report["curl"]
    assert '"url": "' + example_url + '/mcp/"' in report["config"]
    assert report["resource"].startswith("{")
    assert "books_guide" in report["prompts"]
    # loans_create's book: a combobox of the books' ids from completion/complete (25 seeded,
    # one created above), searched by what is typed; the loan made is of the book chosen.
    assert report["bookOptions"] == [str(pk) for pk in range(1, 27)]
    assert report["bookOptionsFor1"] == ["1", *(str(pk) for pk in range(10, 20))]
    assert report["activeOption"] == "10"  # two ArrowDowns
    assert report["bookValue"] == "12" and report["bookExpanded"] == "false"
    assert report["loanBook"] == 12
    # loans_renew, streamed: its progress and log lines were shown while it ran, and its
    # question (elicitation/create) as a form, with the focus in its field.
    assert report["question"] == (
        "Renew 3 loans? Their due dates move later by the days you choose."
    )
    assert report["runningWhileAsked"] is True
    assert report["progressBar"] == [3, 6]
    assert report["progressWhileAsked"].endswith("(50%)")
    assert len(report["logWhileAsked"]) == 3
    assert all(
        line.startswith("info: ") and " is due on " in line for line in report["logWhileAsked"]
    )
    assert report["questionFocus"].startswith("Days to add")
    # Answered 7 days, accepted: the tool renewed the three loans by 7 days.
    assert report["renewed"]["renewed"] == 3 and report["renewed"]["days"] == 7
    assert len(report["renewed"]["loans"]) == 3
    assert report["progressAfter"].endswith("(100%)")
    assert report["answered"].endswith("You answered: accept.")
    assert report["declined"] == {"renewed": 0, "days": 0, "loans": []}
    # axe-core: no serious or critical violations on the tool list, a form with the
    # server's errors, a question, and a result.
    for state in ("axeToolList", "axeFormErrors", "axeQuestion", "axeResult"):
        assert no_violations(report[state]), state
    assert report["pageErrors"] == []
    assert SCREENSHOT.stat().st_size > 10_000
    assert LIVE_SCREENSHOT.stat().st_size > 10_000
