"""Every Python block in the docs and the README is run by a test, or marked as a
fragment on purpose (an excerpt of a file, the shape of a declaration). The mark is an
HTML comment on the line before the block (invisible on the site and on GitHub):

    <!-- run by tests/test_x.py::test_name -->
    <!-- fragment: why it is not run -->

A "run by" mark must name a test (or fixture) that exists in that file, in a file that
reads the same page's blocks (``python_blocks("page.md")``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]
MARK = re.compile(r"<!-- (run by (?P<test>[\w/.]+\.py)::(?P<name>\w+)|fragment: (?P<why>.+?)) -->")

#: Blocks run by no test and not fragments: (page, the block's first line). Empty since
#: issue 18: a new block needs a test or a fragment mark.
NOT_RUN_YET: set[tuple[str, str]] = set()


def blocks(page: Path) -> list[tuple[str | None, str]]:
    """(the mark on the line before, the first line) of every Python block."""
    lines = page.read_text().splitlines()
    found = []
    for index, line in enumerate(lines):
        if line.strip() == "```python":
            before = lines[index - 1].strip() if index else ""
            found.append((before if MARK.fullmatch(before) else None, lines[index + 1].strip()))
    return found


def test_every_python_block_is_run_or_marked_as_a_fragment() -> None:
    unmarked = set()
    for page in PAGES:
        for mark, first in blocks(page):
            if mark is None:
                unmarked.add((page.name, first))
                continue
            found = MARK.fullmatch(mark)
            assert found is not None
            if found["test"]:
                source = (ROOT / found["test"]).read_text()
                assert re.search(rf"^def {found['name']}\(", source, re.MULTILINE), mark
                assert f'python_blocks("{page.name}")' in source, (mark, page.name)
            else:
                assert len(found["why"]) > 10, mark  # a reason, not a shrug
    assert unmarked - NOT_RUN_YET == set(), "a block with neither a test nor a fragment mark"
    assert NOT_RUN_YET - unmarked == set(), "marked now: take it off NOT_RUN_YET"


def test_most_blocks_are_run() -> None:
    marks = [mark for page in PAGES for mark, _ in blocks(page)]
    run = [m for m in marks if m and "run by" in m]
    assert len(run) >= 33 and len(marks) == 47, (len(run), len(marks))
