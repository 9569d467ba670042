#!/usr/bin/env bash
# Private PostgreSQL cluster and Redis for the nautobot corpus project:
#   bash servers.sh start|stop|status|destroy|dump FILE|restore FILE
# Data, sockets and logs live in $CORPUS_DB_DIR (default ${TMPDIR:-/tmp}/corpus-nautobot): pg/ and redis/.
# Both listen on 127.0.0.1:<free port> only. The connection details are written to .state/env, which
# nautobot_config.py reads. No system service is touched. Redis is needed because Nautobot calls
# django-redis' cache.delete_pattern() and cache.lock() (tree models, custom fields, post_migrate, ipam).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DB_DIR="${CORPUS_DB_DIR:-${TMPDIR:-/tmp}/corpus-nautobot}"
PGDATA="$DB_DIR/pg"
REDIS_DIR="$DB_DIR/redis"
STATE="$HERE/.state"
PGBIN="${PGBIN:-}"
if [ -z "$PGBIN" ]; then
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/pg_ctl" ] && PGBIN="$d"; done
fi
if [ -z "$PGBIN" ] && command -v pg_ctl >/dev/null; then PGBIN="$(dirname "$(command -v pg_ctl)")"; fi
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"

# postgres refuses to run as root: run the cluster as the `postgres` system user then.
AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  AS=(runuser -u postgres --)
fi

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
pg_port() { sed -n 's/^port = //p' "$PGDATA/corpus.conf" 2>/dev/null || true; }
pg_running() { [ -f "$PGDATA/postmaster.pid" ] && "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; }
redis_running() { [ -f "$REDIS_DIR/redis.pid" ] && kill -0 "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null; }

write_state() {
  mkdir -p "$STATE"
  {
    echo "NAUTOBOT_DB_HOST=127.0.0.1"
    echo "NAUTOBOT_DB_PORT=$(pg_port)"
    echo "NAUTOBOT_DB_USER=nautobot"
    echo "NAUTOBOT_DB_NAME=nautobot"
    echo "NAUTOBOT_REDIS_HOST=127.0.0.1"
    echo "NAUTOBOT_REDIS_PORT=$(cat "$REDIS_DIR/port")"
    echo "CORPUS_DB_DIR=$DB_DIR"
  } > "$STATE/env"
}

start_pg() {
  if [ -z "$PGBIN" ]; then
    echo "servers.sh: no PostgreSQL binaries found (apt-get install -y postgresql, or set PGBIN)" >&2
    exit 1
  fi
  mkdir -p "$DB_DIR"
  chmod 755 "$DB_DIR"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    rm -rf "$PGDATA"
    mkdir -p "$PGDATA"
    if [ ${#AS[@]} -gt 0 ]; then chown postgres "$PGDATA"; fi
    "${AS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U nautobot --auth=trust -E UTF8 --locale=C.UTF-8 >"$DB_DIR/initdb.log" 2>&1 \
      || "${AS[@]}" "$PGBIN/initdb" -D "$PGDATA" -U nautobot --auth=trust -E UTF8 --no-locale >"$DB_DIR/initdb.log" 2>&1 \
      || { cat "$DB_DIR/initdb.log" >&2; exit 1; }
  fi
  if pg_running; then
    echo "servers.sh: postgres already running on 127.0.0.1:$(pg_port) ($PGDATA)"
    return
  fi
  local port; port="$(free_port)"
  # a throw-away cluster: no durability, quicker migrations
  printf "%s\n" "port = $port" "listen_addresses = '127.0.0.1'" "unix_socket_directories = '$PGDATA'" \
    "fsync = off" "synchronous_commit = off" "full_page_writes = off" "max_connections = 50" \
    | "${AS[@]}" sh -c "cat > '$PGDATA/corpus.conf'"
  grep -q "include_if_exists = 'corpus.conf'" "$PGDATA/postgresql.conf" \
    || echo "include_if_exists = 'corpus.conf'" | "${AS[@]}" sh -c "cat >> '$PGDATA/postgresql.conf'"
  "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 60 start >/dev/null
  "${AS[@]}" "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U nautobot -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname='nautobot'" | grep -q 1 \
    || "${AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U nautobot nautobot
  echo "servers.sh: postgres started on 127.0.0.1:$port ($PGDATA, log $PGDATA/server.log)"
}

stop_pg() {
  if pg_running; then
    "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null
    echo "servers.sh: postgres stopped ($PGDATA)"
  else
    echo "servers.sh: postgres not running ($PGDATA)"
  fi
}

start_redis() {
  mkdir -p "$REDIS_DIR"
  if redis_running; then
    echo "servers.sh: redis already running on 127.0.0.1:$(cat "$REDIS_DIR/port")"
    return
  fi
  [ -x "$REDIS_SERVER" ] || { echo "servers.sh: redis-server not found (apt-get install -y redis-server)" >&2; exit 1; }
  local port; port="$(free_port)"
  echo "$port" > "$REDIS_DIR/port"
  "$REDIS_SERVER" --bind 127.0.0.1 --port "$port" --save "" --appendonly no --daemonize yes \
    --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" --logfile "$REDIS_DIR/redis.log"
  for _ in $(seq 50); do redis_running && break; sleep 0.1; done
  redis_running || { cat "$REDIS_DIR/redis.log" >&2; exit 1; }
  echo "servers.sh: redis started on 127.0.0.1:$port (log $REDIS_DIR/redis.log)"
}

stop_redis() {
  if redis_running; then
    local pid; pid="$(cat "$REDIS_DIR/redis.pid")"
    kill "$pid"
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    echo "servers.sh: redis stopped"
  else
    echo "servers.sh: redis not running"
  fi
}

# dump FILE / restore FILE: the nautobot database as pg_dump's custom format (setup.sh keeps one of the
# freshly migrated database, so that a new cluster need not run the 471 migrations again).
pg_cmd() { local cmd="$1"; shift; "${AS[@]}" "$PGBIN/$cmd" -h 127.0.0.1 -p "$(pg_port)" -U nautobot "$@"; }
dump_db() { pg_cmd pg_dump -Fc nautobot > "$1.tmp" && mv "$1.tmp" "$1"; echo "servers.sh: dumped the nautobot database to $1"; }
restore_db() {
  pg_cmd dropdb --if-exists nautobot
  pg_cmd createdb nautobot
  pg_cmd pg_restore --no-owner -d nautobot < "$1"
  echo "servers.sh: restored the nautobot database from $1"
}

case "${1:-status}" in
  start) start_pg; start_redis; write_state ;;
  stop) stop_pg; stop_redis ;;
  status)
    if pg_running && redis_running; then echo "running: $(tr '\n' ' ' < "$STATE/env")"; else echo "not running"; exit 3; fi ;;
  dump) dump_db "$2" ;;
  restore) restore_db "$2" ;;
  destroy) stop_pg; stop_redis; rm -rf "$DB_DIR"; rm -f "$STATE/env"; echo "servers.sh: removed $DB_DIR" ;;
  *) echo "usage: servers.sh start|stop|status|destroy|dump FILE|restore FILE" >&2; exit 2 ;;
esac
