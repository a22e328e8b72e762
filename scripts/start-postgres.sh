#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 cluster (creating it if the package did not) and a `switchboard`
# role that may create the tests' throwaway databases. Prints the admin URL the tests read from
# SWITCHBOARD_TEST_POSTGRES on stdout, and nothing else: the caller captures it. The port is the
# cluster's own: pg_createcluster takes the next free one (5433, …) when another server already
# listens on 5432, and the tests must reach this cluster, not that server.
set -euo pipefail

version=15
cluster=main
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version $cluster "; then
  as_root pg_createcluster "$version" "$cluster" >&2
fi
if ! pg_lsclusters -h | grep -q "^$version $cluster .* online"; then
  as_root pg_ctlcluster "$version" "$cluster" start >&2
fi

port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')

for _ in $(seq 1 50); do
  as_postgres pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done

# Over the local socket, where Debian's default peer authentication lets the postgres user in.
as_postgres psql -q -p "$port" -d postgres -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard') THEN
    CREATE ROLE switchboard LOGIN CREATEDB PASSWORD 'switchboard';
  END IF;
END $$;
SQL

echo "postgres://switchboard:switchboard@127.0.0.1:$port/postgres"
