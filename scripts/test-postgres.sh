#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, on 127.0.0.1:55432 (or the port given after the
# command), with a user `beckon` who may create databases. `start` (the default) starts it if
# it is not running and prints its URL; `down` stops it and keeps its data (the fault tests
# restart it under a running beckon-server); `stop` stops it and deletes its data.
# scripts/setup.sh installs PostgreSQL.
#
#   export BECKON_TEST_POSTGRES="$(./scripts/test-postgres.sh)"
#   ./scripts/test-postgres.sh start 55433   # a second, separate one
set -euo pipefail

port="${2:-55432}"
dir="/tmp/beckon-test-postgres-$(id -u)-${port}"
url="postgres://beckon:beckon@127.0.0.1:${port}/postgres"

bin="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "test-postgres: PostgreSQL is not installed; run ./scripts/setup.sh" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: then it runs as the `postgres` user the package made.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

case "${1:-start}" in
  start)
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      rm -rf "$dir"
      mkdir -p "$dir"
      printf 'beckon\n' > "$dir/password"
      [ "${#as_owner[@]}" -gt 0 ] && chown -R postgres "$dir"
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U beckon --pwfile="$dir/password" \
        --auth=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=300 -c fsync=off" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    fi
    echo "$url"
    ;;
  down)
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 [start|down|stop] [PORT]" >&2
    exit 2
    ;;
esac
