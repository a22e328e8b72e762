#!/usr/bin/env bash
# Takes the README's screenshots: the console's end-to-end test (tests/app) run under Xvfb with
# SWITCHBOARD_SCREENSHOTS set saves the window (1024×680, the smallest the call page is designed
# for) at the login page, in a call with the keypad, with the help overlay, on the dashboard during
# that call, in Settings, in the history (with the wrap-up, then with a contact's name), in
# Contacts and, logged in as the admin, in the Team section (the accounts, the audit trail), each
# in the light and the dark theme, in English and in Russian
# (<step>-<en|ru>-<light|dark>.png). Needs the test build (scripts/test.sh, or
# cmake --build build/test --target tst_console_e2e).
set -euo pipefail
cd "$(dirname "$0")/../.."
binary=build/test/tests/app/tst_console_e2e
[ -x "$binary" ] || { echo "build $binary first" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
SWITCHBOARD_SCREENSHOTS="$out" QTWEBENGINE_DISABLE_SANDBOX=1 \
  ASAN_OPTIONS=detect_leaks=0:new_delete_type_mismatch=0 \
  xvfb-run -a -s "-screen 0 1280x800x24" "$binary" >/dev/null
rm -f docs/screenshots/*.png
cp "$out"/*.png docs/screenshots/
ls docs/screenshots/*.png
