#!/usr/bin/env bash
# A throwaway PostgreSQL for tests: `scripts/postgres.sh start DIR PORT`
# creates a cluster in DIR listening only on 127.0.0.1:PORT and prints the
# admin address for TALLY_TEST_POSTGRES; `scripts/postgres.sh stop DIR`
# stops it and removes DIR. Uses the machine's PostgreSQL server binaries
# (Debian: apt-get install postgresql); as root it runs them as postgres,
# so DIR's parent must be readable by that user. fsync is off unless
# PG_FSYNC=on: tests need no durability, benchmarks of durable writes do.
set -euo pipefail

bindir() {
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  command -v initdb >/dev/null && dirname "$(command -v initdb)" && return
  return 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  dir=$2 port=$3
  bin=$(bindir) || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null && bin=$(bindir); }
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=${PG_FSYNC:-off} -c max_connections=200" start >/dev/null
  echo "postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
  ;;
stop)
  dir=$2
  bin=$(bindir)
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start DIR PORT | stop DIR" >&2
  exit 2
  ;;
esac
