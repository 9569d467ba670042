#!/usr/bin/env bash
# Creates corpus/.venv-pretalx with pretalx (pinned) and the MCP package (editable), then builds
# the demo database in ${CORPUS_DB_DIR:-$TMPDIR/corpus-pretalx} (see settings.py). Idempotent:
# pip is skipped while the stamp file matches the requirements; migrate and seed are re-run
# (both are no-ops on an up-to-date database).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/corpus/.venv-pretalx"
PY="${PYTHON:-python3.11}"  # pretalx 2025.2.2 is the newest for 3.11 (2026.1.x needs 3.12, 2026.2.x 3.13)
REQS=("pretalx==2025.2.2" "drf-spectacular==0.29.0" "-e" "$ROOT" "jsonschema[format]" "mcp==2.3.0" "pytest")
STAMP="$VENV/.corpus-stamp"
WANT="$(printf '%s\n' "${REQS[@]}")"

now() { date +%s.%N; }
phase() { printf 'phase %-8s %6.1fs\n' "$1" "$(echo "$(now) - $2" | bc)"; }
# run a command, drop pip's "Location ... ignored" and pretalx's "running as root" noise, keep its exit code
run() {
  local out rc=0
  out="$("$@" 2>&1)" || rc=$?
  printf '%s\n' "$out" | grep -v -e "^WARNING: Location" -e "running pretalx as root" -e '^$' || true
  return $rc
}

t0=$(now)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$VENV/bin/python" ]; then
  echo "install: already done ($STAMP)"
else
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  run "$VENV/bin/pip" install -q --upgrade pip
  run "$VENV/bin/pip" install -q "${REQS[@]}"
  "$VENV/bin/python" -c "import pretalx, drf_mcp_bridge, mcp, httpx2, jsonschema, pytest, drf_spectacular"
  "$VENV/bin/pip" freeze > "$HERE/freeze.txt"
  printf '%s' "$WANT" > "$STAMP"
fi
phase install "$t0"

cd "$HERE"
# CORPUS_EXPOSE=none: migrate and seed do not depend on the MCP exposure (whose system-check
# errors would stop them; see REPORT.md). pretalx's `shell` refuses to run without a scope.
export CORPUS_EXPOSE=none
t0=$(now)
run "$VENV/bin/python" manage.py migrate --noinput -v 0
phase migrate "$t0"
t0=$(now)
run "$VENV/bin/python" manage.py shell --unsafe-disable-scopes -v 0 -c "import seed; seed.run()"
phase seed "$t0"
