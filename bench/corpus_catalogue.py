"""The catalogue budget (issue 14, point 6) on every corpus project: in default mode no tool
definition over 16 kB and the median under 3 kB; discovery's get_tool_schema sends one copy.

    bash corpus/run.sh            # once: builds corpus/.venv-<project> and the databases
    bash corpus/nautobot/setup.sh # Nautobot's PostgreSQL and Redis must be running
    .venv/bin/python bench/corpus_catalogue.py [project ...]

Runs corpus/measure.py in each project's own virtualenv and prints, per project, the
numbers and the ratios measured in this run (discovery's answer for the largest tool over
that tool's definition in tools/list: about 1.0 means one copy).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(os.path.dirname(HERE), "corpus")
KB = 1024


def main() -> int:
    projects = sys.argv[1:] or sorted(
        name
        for name in os.listdir(CORPUS)
        if os.path.exists(os.path.join(CORPUS, name, "project.py"))
        and os.path.exists(os.path.join(CORPUS, f".venv-{name}", "bin", "python"))
    )
    if not projects:
        print("No corpus virtualenvs: run `bash corpus/run.sh` first.")
        return 1
    print(
        f"{'project':10} {'tools':>5} {'tools/list':>11} {'largest':>8} {'median':>7} "
        f"{'discovery list':>15} {'get_tool_schema / definition':>29}  budget"
    )
    within = True
    for name in projects:
        python = os.path.join(CORPUS, f".venv-{name}", "bin", "python")
        run = subprocess.run(
            [python, os.path.join(CORPUS, "measure.py")],
            capture_output=True,
            text=True,
            env={**os.environ, "CORPUS_PROJECT": name},
            cwd=CORPUS,
        )
        lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
        if run.returncode != 0 or not lines:
            print(f"{name}: measure.py failed\n{run.stderr[-2000:]}")
            return 1
        m = json.loads(lines[-1])
        ok = m["largest_bytes"] <= 16 * KB and m["median_bytes"] < 3 * KB
        within &= ok
        ratio = m["get_tool_schema_bytes"] / m["largest_bytes"]
        print(
            f"{name:10} {m['tools']:>5} {m['list_bytes']:>11,} {m['largest_bytes']:>8,} "
            f"{m['median_bytes']:>7,.0f} {m['discovery_list_bytes']:>15,} "
            f"{ratio:>28.2f}x  {'ok' if ok else 'OVER'} ({m['largest']})"
        )
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
