#!/usr/bin/env bash
# Installs everything the demo and the test suite need, on a fresh machine:
# a Python virtualenv (.venv) with the package and its dev extras, and the pinned
# official MCP clients (with Node 22) under tests/interop/node_modules, the explorer's
# TypeScript tools under explorer/node_modules, and Debian's Chromium for its browser test.
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
    # The explorer's build and test tools (TypeScript, Vite, vitest, playwright-core).
    (
        cd explorer
        if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
            PATH="$PWD/../tests/interop/node_modules/.bin:$PATH" npm ci --no-audit --no-fund --loglevel=error
        fi
    )
    # Debian's Chromium for the explorer's end-to-end test (playwright-core drives it).
    if [ "${SKIP_BROWSER:-0}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
        SUDO=""
        if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
    fi
fi
