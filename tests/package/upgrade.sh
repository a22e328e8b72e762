#!/usr/bin/env bash
# An upgrade from an earlier package keeps the data and migrates it; going back is refused.
#   upgrade.sh OLD_DEB NEW_DEB
# Both packages are unpacked into a scratch root (no dpkg database, no systemd here) and the
# binary runs as the unit would: its ExecStart= with the variables of the installed settings
# file, DATA_DIR pointing into the scratch root.
#  1. the old package: users register, calls are placed and ended over the API;
#  2. the new package unpacked over it: migrate --status shows the pending migrations, backup
#     copies the old database, the server starts, applies them, and serves the same users
#     (their passwords log in) and the same calls;
#  3. a database migrated by a newer program (a migration this one does not carry) is refused
#     at start, by migrate and by check-config, with a message that says so;
#  4. the way back is restoring the backup: the server starts on it and migrates it again.
set -euo pipefail
old_deb=$1 new_deb=$2
root=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$root"' EXIT
step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; [ -f "$root/server.log" ] && tail -n 20 "$root/server.log" >&2; exit 1; }

# The unit's command line and settings, as systemd would start it.
service_command() {
  local unit=$root/lib/systemd/system/switchboard.service
  sed -nE 's/^ExecStart=(.*)/\1/p' "$unit" | sed "s#^/usr/bin/switchboard#$root/usr/bin/switchboard#"
}
service_environment() { # the settings file's variables, DATA_DIR inside the root
  echo PATH=/usr/bin:/bin LANG=C.UTF-8 HOME="$root/var/lib/switchboard" SERVER_PORT=0 VOIP_MOCK_MEDIA=off VOIP_MOCK_POOL=0
  grep -E '^[A-Z_]+=' "$root/etc/switchboard/switchboard.env" | sed "s#^DATA_DIR=/#DATA_DIR=$root/#"
}
start_service() {
  # exec: $server is the server's own process, which SIGTERM reaches.
  # shellcheck disable=SC2046
  (exec env -i $(service_environment) $(service_command)) >"$root/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do
    port=$(sed -nE 's#.*listening on http://127\.0\.0\.1:([0-9]+).*#\1#p' "$root/server.log" | head -n1)
    [ -n "$port" ] && return 0
    kill -0 "$server" 2>/dev/null || { wait "$server" || true; server=""; return 1; }
    sleep 0.1
  done
  fail "the server did not start"
}
stop_service() { kill "$server"; wait "$server" || fail "the server did not stop cleanly"; server=""; }
api() { # method path [token] [json]
  curl -sS -X "$1" "http://127.0.0.1:$port$2" -H 'Content-Type: application/json' \
    ${3:+-H "Authorization: Bearer $3"} ${4:+-d "$4"}
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
# shellcheck disable=SC2046
switchboard() { env -i $(service_environment) "$root/usr/bin/switchboard" "$@"; }

step "old package $(dpkg-deb -f "$old_deb" Version): users and calls"
dpkg-deb -x "$old_deb" "$root"
start_service || fail "the old package's server did not start"
declare -A tokens calls
for user in alice bob; do
  tokens[$user]=$(api POST /api/auth/register "" "{\"email\":\"$user@example.com\",\"password\":\"password-of-$user\"}" | json 'd["token"]')
  for number in "+4915123456789" "+33612345678"; do
    call=$(api POST /api/calls/initiate "${tokens[$user]}" "{\"phone_number\":\"$number\"}" | json 'd["call_id"]')
    api POST /api/calls/terminate "${tokens[$user]}" "{\"call_id\":\"$call\"}" >/dev/null
    calls[$user]+="$call "
  done
done
history_before=$(api GET "/api/calls/history?limit=100" "${tokens[alice]}" | json 'sorted((c["call_id"], c["status"], c["phone_number"]) for c in d["calls"])')
stop_service

step "new package $(dpkg-deb -f "$new_deb" Version) unpacked over it"
dpkg-deb -x "$new_deb" "$root"
status=$(switchboard migrate --status)
echo "$status"
grep -q 'pending' <<<"$status" || fail "no pending migration between the two packages: pick an older commit"
switchboard backup "$root/before-upgrade.db" || fail "backup of the old database"

step "the new server migrates and serves the same data"
start_service || fail "the new package's server did not start on the old database"
grep -q 'applied migration' "$root/server.log" || fail "no migration applied at start"
for user in alice bob; do
  token=$(api POST /api/auth/login "" "{\"email\":\"$user@example.com\",\"password\":\"password-of-$user\"}" | json 'd["token"]') ||
    fail "$user cannot log in after the upgrade"
  tokens[$user]=$token
done
history_after=$(api GET "/api/calls/history?limit=100" "${tokens[alice]}" | json 'sorted((c["call_id"], c["status"], c["phone_number"]) for c in d["calls"])')
[ "$history_before" = "$history_after" ] || fail "history changed: $history_before → $history_after"
for call in ${calls[bob]}; do
  [ "$(api GET "/api/calls/$call" "${tokens[bob]}" | json 'd["call_id"]')" = "$call" ] || fail "bob's call $call is gone"
done
version=$(api GET /system/health | json 'd["version"]')
[ "$version" = "$(dpkg-deb -f "$new_deb" Version)" ] || fail "/system/health says $version"
stop_service
switchboard migrate --status | grep -q ' 0 pending' || fail "migrations still pending after the start"

step "a database migrated by a newer program is refused"
python3 - "$root/var/lib/switchboard/switchboard.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES ('999_from_a_newer_version.sql', '2030-01-01T00:00:00.000Z')")
db.commit()
PY
if start_service; then fail "the server started on a database newer than itself"; fi
grep -q 'newer than this program' "$root/server.log" || fail "no clear message: $(cat "$root/server.log")"
echo "   start: $(grep -o 'cannot start.*' "$root/server.log" | head -n1)"
if switchboard migrate --to 999 2>"$root/migrate.err"; then fail "migrate went on"; fi
grep -q 'newer than this program' "$root/migrate.err" || fail "migrate: $(cat "$root/migrate.err")"
if switchboard check-config >"$root/check.out"; then fail "check-config passed"; fi
grep -q 'newer than this program' "$root/check.out" || fail "check-config: $(cat "$root/check.out")"

step "the way back: restore the backup, which the server migrates again"
switchboard restore "$root/before-upgrade.db" || fail "restore"
start_service || fail "the server did not start on the restored backup"
grep -q 'applied migration' "$root/server.log" || fail "the restored backup was not migrated"
api POST /api/auth/login "" '{"email":"bob@example.com","password":"password-of-bob"}' | json 'd["token"]' >/dev/null ||
  fail "bob cannot log in after the restore"
stop_service
echo "upgrade test passed"
