#!/usr/bin/env bash
# Runs the example project: a seeded SQLite database and /mcp/ on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_NODE=1 bash scripts/bootstrap.sh
cd example
../.venv/bin/python manage.py migrate --noinput
../.venv/bin/python manage.py seed_demo
exec ../.venv/bin/python manage.py runserver "${DEMO_ADDR:-127.0.0.1:8000}"
