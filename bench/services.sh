#!/usr/bin/env bash
# Sourced by bench/load.sh and bench/memory_asgi.sh: the repository's root as the working
# folder ($ROOT) and its Python ($PY, bootstrapped when missing), PostgreSQL and Redis
# (Debian packages) on loopback in a fresh work folder ($WORK), the bench database
# migrated; at exit every $WORK/*.pid process is stopped, then the servers, and $WORK goes.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
[ -x "$PY" ] || bash scripts/bootstrap.sh
if ! command -v redis-server >/dev/null || [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        postgresql redis-server >/dev/null
fi
"$PY" -m pip install --quiet --disable-pip-version-check "gunicorn>=23" "psycopg[binary,pool]>=3.2" \
    "redis>=5" 2>&1 | grep -v "^WARNING: Location" || true

WORK=$(mktemp -d /tmp/drf-mcp-load.XXXXXX)
chmod 755 "$WORK"
export BENCH_PG_PORT=55432 BENCH_REDIS_PORT=56379 DJANGO_SETTINGS_MODULE=bench.load_settings
PG_BIN=/usr/lib/postgresql/15/bin
cleanup() {
    for pidfile in "$WORK"/*.pid; do
        [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    redis-cli -p $BENCH_REDIS_PORT shutdown nosave >/dev/null 2>&1 || true
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" stop -m fast >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

mkdir "$WORK/pg" "$WORK/run" && chown postgres "$WORK/pg" "$WORK/run"
runuser -u postgres -- "$PG_BIN/initdb" -D "$WORK/pg" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/run/pg.log" \
    -o "-p $BENCH_PG_PORT -k $WORK/run -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off" \
    start >/dev/null
redis-server --port $BENCH_REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --logfile "$WORK/redis.log" >/dev/null
for _ in $(seq 50); do
    runuser -u postgres -- psql -h 127.0.0.1 -p $BENCH_PG_PORT -U postgres -c "select 1" >/dev/null 2>&1 && break
    sleep 0.2
done
psql -h 127.0.0.1 -p $BENCH_PG_PORT -U postgres -c "create database bench" >/dev/null
PYTHONPATH="$ROOT:$ROOT/src" "$PY" -m django migrate --run-syncdb -v0
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
