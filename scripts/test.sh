#!/usr/bin/env bash
# The whole test suite: quality gates, the Python tests (with the official MCP clients
# and the conformance suite against live servers), the docs build, and the oldest
# supported Django/DRF combination. `make test` and .ci/run call this.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
export PATH="$PWD/tests/interop/node_modules/.bin:$PWD/.venv/bin:$PATH"

paths=(src tests)
for extra in example bench scripts noxfile.py; do [ -e "$extra" ] && paths+=("$extra"); done
echo "== ruff check"; ruff check "${paths[@]}"
echo "== ruff format --check"; ruff format --check "${paths[@]}"
echo "== mypy --strict src"; mypy --strict src
echo "== import contracts (lint-imports)"; lint-imports
echo "== mkdocs build --strict"; NO_MKDOCS_2_WARNING=1 mkdocs build --strict --quiet --site-dir /tmp/drf-mcp-site
echo "== explorer: tsc --strict, eslint, prettier, vitest, the committed build is current"
(
    cd explorer
    npx tsc --noEmit
    npm run --silent lint
    npx vitest run --reporter=dot
    built="$(mktemp -d)"
    npx vite build --logLevel warn --outDir "$built" --emptyOutDir
    diff -r "$built" ../src/drf_mcp_bridge/static/drf_mcp_bridge/explorer \
        || { echo "The explorer build is stale: run 'cd explorer && npx vite build' and commit it."; exit 1; }
    rm -rf "$built"
)
echo "== install as written: the quick start on a fresh virtualenv and project (scripts/check_install.py)"
python scripts/check_install.py
echo "== pytest (newest: Django $(python -c 'import django; print(django.get_version())'), full)"
python -m pytest "$@"
if [ "${SKIP_CORPUS:-0}" != "1" ]; then
    echo "== corpus: published DRF applications exposed in one line (corpus/run.sh)"
    bash corpus/run.sh
fi
if [ "${SKIP_MATRIX:-0}" != "1" ]; then
    echo "== oldest combination (Django 4.2, DRF 3.15), Python tests only"
    nox --session "tests(django='4.2', drf='3.15')"
fi
