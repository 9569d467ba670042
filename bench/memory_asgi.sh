#!/usr/bin/env bash
# Where memory goes under ASGI: PostgreSQL and Redis on loopback (bench/services.sh), then
# for each side (REST, MCP) a fresh single uvicorn process of the benchmark app that traces
# its allocations (bench/asgi.py, BENCH_TRACEMALLOC), driven by bench/memory_asgi.py.
#   bash bench/memory_asgi.sh [--calls 40000] [--checkpoints 4]
# MEMORY_SIDES="MCP" runs one side; MEMORY_TRACE=0 measures RSS only (no tracing); any
# other environment (MALLOC_ARENA_MAX...) reaches the server.
set -euo pipefail
. "$(dirname "$0")/services.sh"

for side in ${MEMORY_SIDES:-REST MCP}; do
    PORT=$(free_port)
    mkdir -p "$WORK/snaps-$side"
    trace=(); traced=()
    if [ "${MEMORY_TRACE:-1}" = "1" ]; then
        trace=(BENCH_TRACEMALLOC="$WORK/snaps-$side"); traced=(--snapshots "$WORK/snaps-$side")
    fi
    env BENCH_ASGI=1 "${trace[@]}" PYTHONPATH="$ROOT:$ROOT/src" \
        "$ROOT/.venv/bin/uvicorn" bench.asgi:application --host 127.0.0.1 --port "$PORT" \
        --log-level warning --timeout-keep-alive 60 ${UVICORN_FLAGS:-} > "$WORK/uvicorn-$side.log" 2>&1 &
    echo $! > "$WORK/$side.pid"
    for _ in $(seq 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/items/" && break
        sleep 0.2
    done
    PYTHONPATH="$ROOT:$ROOT/src" "$PY" bench/memory_asgi.py --url "http://127.0.0.1:$PORT" \
        --pid "$(cat "$WORK/$side.pid")" --side "$side" "${traced[@]}" "$@"
    kill "$(cat "$WORK/$side.pid")"; rm "$WORK/$side.pid"
    [ -s "$WORK/uvicorn-$side.log" ] && { echo "--- uvicorn log ($side)"; tail -20 "$WORK/uvicorn-$side.log"; }
done
true
