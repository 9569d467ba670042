#!/usr/bin/env bash
# Creates corpus/.venv-oscar_api with django-oscar-api (pinned) and the MCP package (editable),
# then builds the demo database in a temp dir (see settings.py: CORPUS_DB_DIR).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/corpus/.venv-oscar_api"
PY="${PYTHON:-python3.11}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install -q --upgrade pip
"$VENV/bin/pip" install -q "django-oscar-api==3.3.0" -e "$ROOT" "jsonschema[format]" "mcp" "httpx"
"$VENV/bin/pip" freeze > "$HERE/freeze.txt"
cd "$HERE"
"$VENV/bin/python" manage.py migrate --noinput -v 0
"$VENV/bin/python" manage.py shell -c "import seed; seed.run()"
