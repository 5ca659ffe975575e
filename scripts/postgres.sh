# Source this file: pg_start starts a throw-away PostgreSQL on a private socket directory and port
# and sets PG_URL; pg_stop stops it and removes its files. initdb refuses to run as root, so as root
# the server runs as the `postgres` user (../shared/notes/machines.md).
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_DIR=""

_pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  [ -n "$PGBIN" ] || { echo "PostgreSQL server binaries not found (install Debian's postgresql)" >&2; return 1; }
  PG_DIR=$(mktemp -d /tmp/harapan-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
  PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
  _pg_as "$PGBIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log"
  _pg_as "$PGBIN/pg_ctl" -D "$PG_DIR/data" -w -l "$PG_DIR/server.log" \
    -o "-k $PG_DIR -h '' -p $PG_PORT -F -c fsync=off -c full_page_writes=off -c synchronous_commit=off" start >/dev/null
  _pg_as "$PGBIN/createdb" -h "$PG_DIR" -p "$PG_PORT" -U postgres harapan
  PG_URL="postgres://postgres@$(python3 -c "import urllib.parse,sys; print(urllib.parse.quote(sys.argv[1], safe=''))" "$PG_DIR"):$PG_PORT/harapan"
  export PG_URL PG_DIR PG_PORT
  echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on $PG_DIR port $PG_PORT"
}

pg_stop() {
  [ -n "$PG_DIR" ] || return 0
  _pg_as "$PGBIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=""
}
