#!/usr/bin/env bash
# Nautobot corpus project: creates corpus/.venv-nautobot (nautobot pinned, the MCP package editable),
# starts a private PostgreSQL and Redis on 127.0.0.1 (servers.sh; data in $CORPUS_DB_DIR, default
# ${TMPDIR:-/tmp}/corpus-nautobot), migrates and seeds. Idempotent; leaves both servers running for the
# tests (connection details in .state/env). Stop them with `bash corpus/nautobot/stop.sh`.
# CORPUS_FORCE=1 redoes the pip install and migrate even when their stamps say they are done.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
VENV="$ROOT/corpus/.venv-nautobot"
PY="${PYTHON:-python3.11}"
NAUTOBOT_PIN="nautobot==3.2.7"
REQS=("$NAUTOBOT_PIN" -e "$ROOT" "jsonschema[format]" "mcp==2.3.0" "pytest")
DB_DIR="${CORPUS_DB_DIR:-${TMPDIR:-/tmp}/corpus-nautobot}"
FORCE="${CORPUS_FORCE:-0}"

now() { date +%s%N; }
phase() { local ms=$(( ($(now) - $2) / 1000000 )); printf "setup.sh: %-8s %4d.%d s  %s\n" "$1" $((ms / 1000)) $((ms % 1000 / 100)) "${3:-}"; }
T0=$(now)

# 1. install (skipped when the stamp matches the requirement list and the python)
t=$(now)
STAMP="$VENV/.corpus-stamp"
WANT="$(printf '%s\n' "${REQS[@]}" "$("$PY" -c 'import sys; print(sys.version)')" | sha1sum | cut -d' ' -f1)"
if [ "$FORCE" = 1 ] || [ ! -x "$VENV/bin/python" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ]; then
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip 2>&1 | grep -v "is ignored" || true
  "$VENV/bin/pip" install -q "${REQS[@]}" 2> >(grep -v -e "is ignored" -e BuildBackendWarning -e "^ *$" -e "^\s*!!" -e "\*\*\*\*" -e "license" -e "corresp(" -e "By 2027" -e "or your builds" -e "See https://packaging" >&2)
  "$VENV/bin/pip" freeze --exclude-editable > "$HERE/freeze.txt"
  echo "$WANT" > "$STAMP"
  phase install "$t" "($NAUTOBOT_PIN)"
else
  phase install "$t" "(venv up to date, skipped)"
fi

# 2. private PostgreSQL + Redis
t=$(now)
CORPUS_DB_DIR="$DB_DIR" bash "$HERE/servers.sh" start
phase servers "$t" "(postgres + redis, $(tr '\n' ' ' < "$HERE/.state/env"))"

cd "$HERE"
export CORPUS_DB_DIR="$DB_DIR"
# 3. migrate (skipped when this cluster was already migrated by this Nautobot version). A new cluster is
# restored from the dump of a freshly migrated one when there is one ($CORPUS_NAUTOBOT_DUMP, default
# .state/migrated-nautobot-<version>.pgc: under a second instead of ~3 minutes); else it is migrated and
# then dumped there. --skip-checks: the system checks are the harness's business, and on an empty database
# they only log tracebacks (see REPORT.md).
t=$(now)
MIGRATED="$DB_DIR/pg/corpus-migrated"
MWANT="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("nautobot"))')"
DUMP="${CORPUS_NAUTOBOT_DUMP:-$HERE/.state/migrated-nautobot-$MWANT.pgc}"
if [ "$FORCE" != 1 ] && [ "$(cat "$MIGRATED" 2>/dev/null)" = "$MWANT" ]; then
  phase migrate "$t" "(already migrated by nautobot $MWANT, skipped)"
elif [ "$FORCE" != 1 ] && [ -s "$DUMP" ]; then
  bash "$HERE/servers.sh" restore "$DUMP"
  echo "$MWANT" > "$MIGRATED"
  phase migrate "$t" "(restored a migrated nautobot $MWANT database; CORPUS_FORCE=1 migrates instead)"
else
  "$VENV/bin/python" manage.py migrate --noinput --skip-checks -v 0
  mkdir -p "$(dirname "$DUMP")"
  bash "$HERE/servers.sh" dump "$DUMP"
  echo "$MWANT" > "$MIGRATED"
  phase migrate "$t" "(nautobot $MWANT, 471 migrations)"
fi

# 4. seed (idempotent; always run: it also removes what an interrupted round trip left behind)
t=$(now)
"$VENV/bin/python" manage.py shell -c "import seed; seed.run()"
phase seed "$t"
phase total "$T0" "(servers left running: bash $HERE/stop.sh)"
