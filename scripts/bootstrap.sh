#!/usr/bin/env bash
# Installs everything the demo and the test suite need, on a fresh machine:
# a Python virtualenv (.venv) with the package and its dev extras, and the pinned
# official MCP clients (with Node 22) under tests/interop/node_modules, the explorer's
# TypeScript tools under explorer/node_modules, and Debian's Chromium for its browser test.
set -euo pipefail
cd "$(dirname "$0")/.."

# The newest Django needs Python 3.12 or later: the first of 3.12, 3.13 that runs (on PATH
# or installed by pyenv; pyenv's shims only run its global version, so its versions are
# tried by path), else pyenv installs 3.12 when it can, else Python 3.11 (the suite then
# runs on Django 5.2, the newest for 3.11). PYTHON=... chooses.
runs_312() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
PYTHON="${PYTHON:-}"
if [ -z "$PYTHON" ]; then
    pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    for candidate in python3.12 "$pyenv_root"/versions/3.12.*/bin/python3.12 python3.13 \
        "$pyenv_root"/versions/3.13.*/bin/python3.13; do
        if runs_312 "$candidate"; then PYTHON="$candidate"; break; fi
    done
fi
if [ -z "$PYTHON" ] && command -v pyenv >/dev/null 2>&1; then
    pyenv install --skip-existing 3.12 >/dev/null 2>&1 || true
    for candidate in "$pyenv_root"/versions/3.12.*/bin/python3.12; do
        if runs_312 "$candidate"; then PYTHON="$candidate"; break; fi
    done
fi
if [ -z "$PYTHON" ]; then
    for candidate in python3.11 "$HOME/.pyenv/versions/3.11.7/bin/python" python3; do
        if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
    done
    echo "bootstrap: no Python 3.12+ found; using $PYTHON (Django 5.2, not the newest)" >&2
fi

# A .venv of another Python version (an older checkout's) is made again.
version_of() { "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }
if [ -x .venv/bin/python ] && [ "$(version_of .venv/bin/python)" != "$(version_of "$PYTHON")" ]; then
    rm -rf .venv
fi
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
# The package's distribution name before the rename (docs/decisions.md): an older
# checkout's editable install of it would still claim the import name rest_framework_mcp.
if .venv/bin/python -m pip show --quiet django-rest-framework-mcp >/dev/null 2>&1; then
    .venv/bin/python -m pip uninstall --quiet --yes django-rest-framework-mcp
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]" 2>&1 \
    | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import drf_mcp_bridge, django, rest_framework, mcp"

# Debian packages, installed with one `apt-get update` per run (sudo only when not root).
APT_UPDATED=0
apt_install() {
    local sudo=""
    if [ "$(id -u)" != "0" ]; then sudo="sudo"; fi
    if [ "$APT_UPDATED" = "0" ]; then
        $sudo apt-get update -qq
        APT_UPDATED=1
    fi
    # env: sudo's env_reset would drop a DEBIAN_FRONTEND set in front of it.
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# memcached and Redis for tests/test_cache_backends.py, which starts its own servers on
# loopback (tests/cache_servers.py). This script enables and starts no service (on a
# systemd host Debian's postinst may start the packaged ones; the tests do not use them).
cache_packages=()
if ! command -v memcached >/dev/null 2>&1; then cache_packages+=(memcached); fi
if ! command -v redis-server >/dev/null 2>&1; then cache_packages+=(redis-server); fi
# PostgreSQL's server binaries for the Nautobot corpus project (corpus/nautobot/servers.sh
# starts a private cluster on loopback; no service is used).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then cache_packages+=(postgresql); fi
if [ "${#cache_packages[@]}" != "0" ]; then apt_install "${cache_packages[@]}"; fi

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
        apt_install chromium
    fi
fi
