#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (initdb + pg_ctl) on 127.0.0.1 for the test suite and prints the
# admin connection string for COMMERCEOS_TEST_POSTGRES. Usage:
#   export COMMERCEOS_TEST_POSTGRES="$(scripts/postgres-throwaway.sh start)"
#   scripts/postgres-throwaway.sh stop
set -euo pipefail
dir=${COMMERCEOS_PG_DIR:-/tmp/commerceos-pg}
port=${COMMERCEOS_PG_PORT:-55432}

find_bin() {
  if command -v "$1" >/dev/null 2>&1; then command -v "$1"; return; fi
  local candidate
  candidate=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$candidate" ] || { echo "PostgreSQL server binary '$1' not found (install postgresql)" >&2; exit 1; }
  echo "$candidate"
}

run_as_owner() {
  # initdb refuses to run as root: use the unprivileged postgres user when we are root.
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown -R postgres "$dir"
    su postgres -s /bin/sh -c "$*"
  else
    sh -c "$*"
  fi
}

case "${1:-start}" in
  start)
    initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
    if [ -f "$dir/data/postmaster.pid" ]; then
      run_as_owner "$pg_ctl -D $dir/data stop -m immediate" >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    run_as_owner "$initdb -D $dir/data -U cos --auth=trust -E UTF8 --locale=C.UTF-8" >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    run_as_owner "$pg_ctl -D $dir/data -l $dir/server.log -w -o \"-h 127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "Host=127.0.0.1;Port=$port;Username=cos;Database=postgres;Include Error Detail=true"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl)
    [ -d "$dir/data" ] && run_as_owner "$pg_ctl -D $dir/data stop -m fast" >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
