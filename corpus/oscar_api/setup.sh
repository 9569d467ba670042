#!/usr/bin/env bash
# Creates corpus/.venv-oscar_api with django-oscar-api (pinned) and the MCP package (editable),
# then builds the demo database in ${CORPUS_DB_DIR:-$TMPDIR/corpus-oscar_api} (settings.py).
# Idempotent: pip is skipped while the stamp matches the requirements; migrate and seed are
# no-ops on an up-to-date database.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/corpus/.venv-oscar_api"
PY="${PYTHON:-python3.11}"
REQS=("django-oscar-api==3.3.0" "django-oscar==4.2.1" "-e" "$ROOT" "jsonschema[format]" "mcp==2.3.0" "pytest")
STAMP="$VENV/.corpus-stamp"
WANT="$(printf '%s\n' "${REQS[@]}")"
started=$(date +%s)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$VENV/bin/python" ]; then
  echo "install: already done ($STAMP)"
else
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check "${REQS[@]}" 2>&1 | grep -v "^WARNING: Location" || true
  "$VENV/bin/python" -c "import oscarapi, drf_mcp_bridge, mcp, httpx2, jsonschema, pytest"
  "$VENV/bin/pip" freeze --exclude-editable > "$HERE/freeze.txt"
  printf '%s' "$WANT" > "$STAMP"
fi
echo "install: $(( $(date +%s) - started ))s"
cd "$HERE"
started=$(date +%s)
"$VENV/bin/python" manage.py migrate --noinput -v 0
"$VENV/bin/python" manage.py shell -c "import seed; seed.run()"
echo "migrate and seed: $(( $(date +%s) - started ))s"
