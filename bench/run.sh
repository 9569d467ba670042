#!/usr/bin/env bash
# Runs the benchmarks in their own venv (bench/.venv-bench, git-ignored), which also holds
# the reference implementation django-rest-framework-mcp 0.1.0a4 from PyPI (import name
# djangorestframework_mcp) so both are measured in one run. This package is imported from
# src/ there, never installed next to it: both distributions have the same name. Neither
# is a dependency of the other.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=bench/.venv-bench
if [ ! -x "$VENV/bin/python" ]; then
    python3.11 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "Django~=5.2.0" "djangorestframework~=3.16" "django-rest-framework-mcp==0.1.0a4" 2>&1 \
    | grep -v "^WARNING: Location" || true
"$VENV/bin/python" bench/bench_calls.py "$@"
echo
"$VENV/bin/python" bench/bench_schema.py
echo
"$VENV/bin/python" bench/bench_catalogue.py
echo
# The realistic app and the large catalogue need the dev extra (crum, authtoken): .venv.
if [ -x .venv/bin/python ]; then
    .venv/bin/python bench/bench_realistic.py
    echo
    .venv/bin/python bench/bench_large_catalogue.py
    echo
    .venv/bin/python bench/bench_otel.py
    echo
fi
# The full fuzz run needs hypothesis: it uses the project's own venv (make test creates it).
if [ -x .venv/bin/python ]; then
    .venv/bin/python bench/fuzz.py --examples "${FUZZ_EXAMPLES:-10000}"
else
    echo "fuzz: skipped (run 'make test' once to create .venv)"
fi
