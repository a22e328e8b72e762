#!/usr/bin/env bash
# `switchboard tel:…` with a console already running on the same data directory: the second start
# hands the link to the running console and exits 0 at once; a start on another data directory
# does not. Run under xvfb-run by ctest: SWITCHBOARD_BINARY is the app.
set -euo pipefail
work=$(mktemp -d)
console=
cleanup() {
    local status=$?
    if [[ -n $console ]]; then
        kill "$console" 2>/dev/null || true
        wait "$console" 2>/dev/null || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; echo "--- console log ---" >&2; cat "$work/console.log" >&2; exit 1; }

export VOIP_MOCK_MEDIA=off
DATA_DIR=$work/a "$SWITCHBOARD_BINARY" --port 0 --database "$work/a.db" >"$work/console.log" 2>&1 &
console=$!
for _ in $(seq 300); do
    grep -q "window shown" "$work/console.log" && break
    kill -0 "$console" 2>/dev/null || fail "the console exited"
    sleep 0.1
done
grep -q "window shown" "$work/console.log" || fail "the console did not show its window"

DATA_DIR=$work/a timeout 20 "$SWITCHBOARD_BINARY" --port 0 --database "$work/a.db" tel:+4915123456789 \
    >"$work/second.log" 2>&1 || fail "the second start exited $?: $(cat "$work/second.log")"
grep -q "handed over to the running console" "$work/second.log" || fail "the second start did not hand over"
for _ in $(seq 100); do
    grep -q "another start handed over a tel: link" "$work/console.log" && break
    sleep 0.1
done
grep -q "another start handed over a tel: link" "$work/console.log" || fail "the console did not receive the link"

# Another data directory is another console: no hand-over (it starts its own; stop it once shown).
DATA_DIR=$work/b "$SWITCHBOARD_BINARY" --port 0 --database "$work/b.db" tel:+4915123456789 >"$work/third.log" 2>&1 &
third=$!
for _ in $(seq 300); do
    grep -q "window shown" "$work/third.log" && break
    sleep 0.1
done
kill "$third"; wait "$third" 2>/dev/null || true
grep -q "window shown" "$work/third.log" || fail "a console on another data directory did not start: $(cat "$work/third.log")"
! grep -q "handed over" "$work/third.log" || fail "a console on another data directory handed over"

# A bad argument is refused with a message.
if "$SWITCHBOARD_BINARY" notatel:123 >"$work/bad.log" 2>&1; then fail "a non-tel argument was accepted"; fi
grep -q "not a tel: link" "$work/bad.log" || fail "no message for a bad argument: $(cat "$work/bad.log")"
echo "PASS"
