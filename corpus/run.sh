#!/usr/bin/env bash
# The corpus of published DRF applications (issue 14, point 8; corpus/README.md): for each
# project folder with a project.py (or the ones named as arguments), its setup.sh (a
# virtualenv with the pinned application and this package, database, seed), then the
# harness corpus/test_corpus.py in that virtualenv. scripts/test.sh runs it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
cd "$HERE"
if [ "$#" -gt 0 ]; then
    projects=("$@")
else
    projects=()
    for file in */project.py; do projects+=("$(dirname "$file")"); done
fi
failed=()
for project in "${projects[@]}"; do
    echo "== corpus: $project"
    started=$(date +%s)
    bash "$project/setup.sh"
    echo "-- setup: $(( $(date +%s) - started ))s"
    started=$(date +%s)
    status=0
    CORPUS_PROJECT="$project" "$HERE/.venv-$project/bin/python" -m pytest -q -s \
        "$HERE/test_corpus.py" || status=$?
    [ -f "$project/stop.sh" ] && bash "$project/stop.sh"
    echo "-- harness: $(( $(date +%s) - started ))s"
    [ "$status" = 0 ] || failed+=("$project")
done
if [ "${#failed[@]}" -gt 0 ]; then
    echo "corpus projects failing: ${failed[*]}"
    exit 1
fi
