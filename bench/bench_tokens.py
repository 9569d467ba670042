"""What list results cost the model (issue 19): the bytes (and ~tokens, at 4 bytes a token)
of each list tool's first page as compact JSON, as TOON and in the CSV form
(``RESULT_TEXT_FORMAT``), what the model reads with ``"toon"`` (TOON for rows of
scalars, else the CSV form, else the JSON when neither is shorter), and as compact JSON
with only three fields per row (what a ``fields`` selection of three fields sends), on

* the example project (example/, seeded with ``seed_demo`` in a temporary database),
* the test app (tests/testapp, tests.settings, a few rows of each model),
* the real-world corpus (corpus/: each project whose ``corpus/.venv-<project>`` exists;
  build them with ``bash corpus/run.sh``, Nautobot's servers with its setup.sh).

    .venv/bin/python bench/bench_tokens.py [example] [testapp] [corpus:nautobot ...]

Each project's list results are collected in a subprocess under its own settings (a
corpus project in its own virtualenv: ``bench_tokens.py --collect corpus:<name>``, which
needs nothing but Django, DRF and this package there); the sizes are computed here, with
this package's compact forms and ``toon-format`` (``pip install toon-format``; without
it the TOON column says so). Every list tool that takes no required argument is called
once as the project's admin, with no arguments.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CORPUS = os.path.join(ROOT, "corpus")
TOKEN_BYTES = 4
#: Fields a row keeps in the field-selection column.
SELECTED = 3


# collecting (in the project's own process) -------------------------------------------
def _rpc(client: Any, path: str, method: str, params: dict[str, Any] | None = None) -> Any:
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}
    answer = client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_ACCEPT="application/json, text/event-stream",
    )
    return answer.json()["result"]


def _collect(client: Any, path: str) -> None:
    """One JSON line per list tool: its name and its first page's structured content."""
    from drf_mcp_bridge.catalogue.registry import registry

    tools = _rpc(client, path, "tools/list")["tools"]
    for definition in tools:
        tool = registry.get_tool(definition["name"])
        if not getattr(tool, "listing", False) or definition["inputSchema"].get("required"):
            continue
        result = _rpc(client, path, "tools/call", {"name": definition["name"], "arguments": {}})
        if result.get("isError"):
            continue
        data = result.get("structuredContent")
        if data is None:
            try:
                data = json.loads(result["content"][0]["text"])
            except (KeyError, IndexError, ValueError):
                continue
        print(json.dumps({"tool": definition["name"], "data": data}))


def collect_example() -> None:
    sys.path.insert(0, os.path.join(ROOT, "example"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    django.setup()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from library.management.commands.seed_demo import DEMO_TOKENS
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {DEMO_TOKENS['admin']}")
    _collect(client, "/mcp/")


def collect_testapp() -> None:
    sys.path.insert(0, ROOT)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = os.environ["BENCH_DB"]
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from tests.testapp.models import Category, Customer, Invoice, Note

    admin = User.objects.create_superuser("admin", password="x")
    tiers = ["free", "pro", "enterprise"]
    books = Category.objects.create(name="books")
    for i in range(5):
        Category.objects.create(name=f"category {i}")
    for i in range(20):
        customer = Customer.objects.create(
            owner=admin,
            name=f"Customer {i}",
            email=f"customer{i}@example.com",
            tier=tiers[i % 3],
            credit_limit=f"{i * 10}.50",
            vip=i % 4 == 0,
            notes="Prefers email, not calls." if i % 2 else None,
            category=books if i % 2 else None,
        )
        Invoice.objects.create(
            customer=customer, number=f"INV-{i}", amount=f"{i}9.90", due="2026-12-01"
        )
        Note.objects.create(text=f"Note number {i}", slug=f"note-{i}")
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(admin)
    _collect(client, "/mcp/")


def collect_corpus(name: str) -> None:
    os.environ["CORPUS_PROJECT"] = name
    sys.path.insert(0, CORPUS)
    from conftest import PROJECT  # sets the project's Django up (cwd: its folder)
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(**PROJECT.CALLERS["admin"])
    _collect(client, PROJECT.MCP_PATH)


# measuring (here) --------------------------------------------------------------------
def _size(text: str | None) -> int | None:
    return None if text is None else len(text.encode())


def _selected(data: Any) -> Any:
    """The page with only the first SELECTED fields of each row (what ``fields`` gives)."""
    rows = data.get("results") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return data
    return {**data, "results": [dict(list(r.items())[:SELECTED]) for r in rows]}


def measure(tool: str, data: Any) -> dict[str, Any]:
    from drf_mcp_bridge.invocation.compact import compact_text, csv_text, table_of

    compact = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    table = table_of(data)
    try:
        import toon_format
    except ImportError:
        toon = None
    else:
        toon = toon_format.dumps(data)
    rows = data.get("results") if isinstance(data, dict) else None
    return {
        "tool": tool,
        "rows": len(rows) if isinstance(rows, list) else None,
        "tabular": table is not None,
        "json": _size(compact),
        "toon": _size(toon),
        "csv": _size(csv_text(*table)) if table is not None else None,
        "selected": _size(json.dumps(_selected(data), separators=(",", ":"))),
        # What the model reads with RESULT_TEXT_FORMAT = "toon" (TOON for rows of
        # scalars, else the CSV form; the JSON when neither is shorter).
        "sent": _size(compact_text(data, "toon", compact) or compact),
    }


def run_collector(target: str) -> list[dict[str, Any]] | str:
    python = sys.executable
    env = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "src")}
    cwd = ROOT
    with tempfile.TemporaryDirectory() as folder:
        env["EXAMPLE_DB_PATH"] = env["BENCH_DB"] = os.path.join(folder, "bench.sqlite3")
        if target.startswith("corpus:"):
            name = target.split(":", 1)[1]
            python = os.path.join(CORPUS, f".venv-{name}", "bin", "python")
            if not os.path.exists(python):
                return f"no corpus/.venv-{name} (bash corpus/run.sh {name})"
            env.pop("PYTHONPATH")  # the corpus virtualenv has the package (editable)
            cwd = CORPUS
        run = subprocess.run(
            [python, os.path.abspath(__file__), "--collect", target],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
        )
    lines = [line for line in run.stdout.splitlines() if line.startswith('{"tool"')]
    if run.returncode != 0:
        return f"collector failed:\n{run.stderr[-3000:]}"
    return [measure(**json.loads(line)) for line in lines]


def _ratio(part: int | None, whole: int | None) -> str:
    return f"{part / whole:.2f}x" if part is not None and whole else "-"


def report(target: str, found: list[dict[str, Any]], verbose: bool) -> dict[str, Any]:
    listed = [m for m in found if m["rows"]]
    tabular = [m for m in listed if m["tabular"]]
    print(f"\n## {target}: {len(found)} list tools called, {len(listed)} with rows, "
          f"{len(tabular)} tabular")  # fmt: skip
    header = (
        f"{'tool':42} {'rows':>4} {'json B':>8} {'~tok':>6} {'toon B':>8} {'toon/json':>9} "
        f"{'csv B':>8} {'csv/json':>8} {'sent':>6} {'3 fields':>9}"
    )
    if verbose:
        print(header)
        for m in listed:
            print(
                f"{m['tool'][:42]:42} {m['rows']:>4} {m['json']:>8,} {m['json'] // 4:>6,} "
                f"{m['toon'] if m['toon'] is not None else '-':>8} "
                f"{_ratio(m['toon'], m['json']):>9} "
                f"{m['csv'] if m['csv'] is not None else '-':>8} "
                f"{_ratio(m['csv'], m['json']):>8} {_ratio(m['sent'], m['json']):>6} "
                f"{_ratio(m['selected'], m['json']):>9}"
                + ("" if m["tabular"] else "  (not tabular)")
            )

    def total(rows: list[dict[str, Any]], key: str) -> int | None:
        values = [m[key] for m in rows]
        return None if any(v is None for v in values) else sum(values)

    summary: dict[str, Any] = {"target": target, "lists": len(listed), "tabular": len(tabular)}
    for label, rows in (("tabular", tabular), ("all lists", listed)):
        if not rows:
            continue
        sizes = {k: total(rows, k) for k in ("json", "toon", "csv", "sent", "selected")}
        median_toon = statistics.median(
            m["toon"] / m["json"] for m in rows if m["toon"] is not None
        ) if all(m["toon"] is not None for m in rows) else None  # fmt: skip
        summary[label] = {**sizes, "median_toon_ratio": median_toon}
        print(
            f"{label:>10}: json {sizes['json']:,} B (~{sizes['json'] // TOKEN_BYTES:,} tokens)"
            f" | toon {_ratio(sizes['toon'], sizes['json'])}"
            + (f" (median {median_toon:.2f}x)" if median_toon is not None else "")
            + f" | csv {_ratio(sizes['csv'], sizes['json'])}"
            f" | sent (toon) {_ratio(sizes['sent'], sizes['json'])}"
            f" | {SELECTED} fields {_ratio(sizes['selected'], sizes['json'])}"
        )
    return summary


def main(argv: list[str]) -> int:
    if argv[:1] == ["--collect"]:
        target = argv[1]
        if target == "example":
            collect_example()
        elif target == "testapp":
            collect_testapp()
        else:
            collect_corpus(target.split(":", 1)[1])
        return 0
    verbose = "-q" not in argv
    targets = [a for a in argv if not a.startswith("-")]
    if not targets:
        corpus = sorted(
            f"corpus:{name}"
            for name in os.listdir(CORPUS)
            if os.path.exists(os.path.join(CORPUS, name, "project.py"))
            and os.path.exists(os.path.join(CORPUS, f".venv-{name}", "bin", "python"))
        )
        targets = ["example", "testapp", *corpus]
    sys.path.insert(0, os.path.join(ROOT, "src"))
    summaries = []
    for target in targets:
        found = run_collector(target)
        if isinstance(found, str):
            print(f"\n## {target}: {found}")
            continue
        summaries.append(report(target, found, verbose))
    print("\n" + json.dumps(summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
