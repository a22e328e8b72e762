#!/usr/bin/env bash
# A PostgreSQL server of its own, for a test that stops and starts it while Switchboard runs (the
# shared server of scripts/start-postgres.sh must stay up for the other tests). Trust
# authentication on 127.0.0.1 only, role `switchboard`, no fsync: throwaway data.
#   throwaway-postgres.sh init DIR PORT   create and start; prints the URL
#   throwaway-postgres.sh stop DIR        immediate shutdown, as a crash would be
#   throwaway-postgres.sh start DIR       start again on the same data
set -euo pipefail

bin=/usr/lib/postgresql/15/bin
command=$1
dir=$2
# initdb refuses to run as root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
    -o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >&2
}

case $command in
  init)
    mkdir -p "$dir"
    echo "$3" > "$dir/port"
    if [ "$(id -u)" -eq 0 ]; then
      chmod 755 "$(dirname "$dir")"
      chown postgres "$dir" "$dir/port"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U switchboard --auth=trust -E UTF8 --no-sync >&2
    start
    echo "postgres://switchboard@127.0.0.1:$3/postgres"
    ;;
  start) start ;;
  stop) as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >&2 ;;
  *) echo "usage: $0 init DIR PORT | start DIR | stop DIR" >&2; exit 2 ;;
esac
