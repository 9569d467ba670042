#!/usr/bin/env bash
# Load and scale run: PostgreSQL and Redis (Debian packages) on loopback, the benchmark app
# under gunicorn with 4 workers, MCP vs REST creates at concurrency 64, memory over many
# calls, and two independent servers answering one client alternately.
#   bash bench/load.sh [--creates 10000] [--memory-calls 100000]
set -euo pipefail
. "$(dirname "$0")/services.sh"

A=$(free_port); B=$(free_port)
start_server() {  # port workers pidfile
    PYTHONPATH="$ROOT:$ROOT/src" "$ROOT/.venv/bin/gunicorn" bench.wsgi:application \
        --bind "127.0.0.1:$1" --workers "$2" --pid "$3" --daemon --log-level warning \
        --error-logfile "$WORK/gunicorn-$1.log"
}
start_server "$A" 4 "$WORK/a.pid"
start_server "$B" 1 "$WORK/b.pid"
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$A/api/items/" && curl -sf -o /dev/null "http://127.0.0.1:$B/api/items/" && break
    sleep 0.2
done
WORKERS=$(pgrep -P "$(cat "$WORK/a.pid")" | paste -sd, -)
echo "gunicorn: 4 workers on :$A (pids $WORKERS), 1 worker on :$B; PostgreSQL :$BENCH_PG_PORT, Redis :$BENCH_REDIS_PORT"
if [ "${LOAD_ONLY:-}" != "asgi" ]; then
    PYTHONPATH="$ROOT:$ROOT/src" "$PY" bench/load.py --url "http://127.0.0.1:$A" \
        --other "http://127.0.0.1:$B" --pids "$WORKERS" "$@"
fi
rows() { psql -h 127.0.0.1 -p $BENCH_PG_PORT -U postgres -d bench -tAc "$1"; }
count() {  # prefix
    echo "rows: $(rows "select count(*) from benchapp_item where name like '${1}mcp %'") created over MCP," \
        "$(rows "select count(distinct name) from benchapp_item where name like '${1}mcp %'") distinct;" \
        "$(rows "select count(*) from benchapp_item where name like '${1}rest %'") over REST"
}
count ""
# The async path: the same app under uvicorn (ASGI), 4 worker processes. Keep-alive 60 s:
# with uvicorn's default of 5 s a pooled connection the server is closing can take a request
# that then gets no answer (seen for REST and MCP alike: httpx ReadError, 1 to 11 in 10,000).
kill "$(cat "$WORK/a.pid")"
C=$(free_port)
BENCH_ASGI=1 PYTHONPATH="$ROOT:$ROOT/src" "$ROOT/.venv/bin/uvicorn" bench.asgi:application --host 127.0.0.1 \
    --port "$C" --workers 4 --log-level warning --timeout-keep-alive 60 ${UVICORN_FLAGS:-} > "$WORK/uvicorn.log" 2>&1 &
echo $! > "$WORK/c.pid"
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$C/api/items/" && break
    sleep 0.2
done
sleep 2  # all four workers up
UWORKERS=$(pgrep -P "$(cat "$WORK/c.pid")" | grep -v "^$" | paste -sd, -)
echo "uvicorn (ASGI): 4 workers on :$C (pids $UWORKERS)"
PYTHONPATH="$ROOT:$ROOT/src" "$PY" bench/load.py --url "http://127.0.0.1:$C" \
    --other "http://127.0.0.1:$B" --pids "$UWORKERS" --prefix "asgi " "$@"
count "asgi "
# What the servers logged (warnings and errors only), before the work folder goes.
for log in "$WORK"/uvicorn.log "$WORK"/gunicorn-*.log; do
    [ -s "$log" ] && { echo "--- $(basename "$log") (last 40 lines)"; tail -40 "$log"; }
done
true
