#!/usr/bin/env bash
# Installs everything the demo and the test suite need, on a fresh machine:
# a Python virtualenv (.venv) with the package and its dev extras, and the pinned
# official MCP clients (with Node 22) under tests/interop/node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    for candidate in python3.11 "$HOME/.pyenv/versions/3.11.7/bin/python" python3; do
        if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
    done
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 \
    | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import rest_framework_mcp, django, rest_framework, mcp" 

if [ "${SKIP_NODE:-0}" != "1" ]; then
    (
        cd tests/interop
        if [ ! -x node_modules/.bin/node ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
            npm ci --no-audit --no-fund --loglevel=error
        fi
        ./node_modules/.bin/node --version >/dev/null
    )
fi
