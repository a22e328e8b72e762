#!/usr/bin/env bash
# ThreadSanitizer over the tests that exercise the backend's threads: the serving threads, the
# core thread, the group-commit writer, the event streams and the webhook dispatcher. Not part of
# the test command (a second full build of the backend would double its time); run it after a
# change to the execution model. Qt's own libraries are not instrumented: what TSan cannot see
# through them is in tests/tsan.supp, each suppression with its reason.
# Extra arguments go to ctest (e.g. `scripts/tsan.sh -R tst_http`).
set -euo pipefail
cd "$(dirname "$0")/.."

tests=(tst_groupcommitter tst_storage tst_callservice tst_http tst_concurrency tst_events tst_webhooks)
build=build/tsan
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSWITCHBOARD_TSAN=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" --target "${tests[@]}" switchboard

pattern=$(IFS='|'; echo "^(${tests[*]})(_sqlite|_postgres)?\$")
export TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 history_size=4"
if [[ -z ${SWITCHBOARD_TEST_POSTGRES:-} ]]; then
  SWITCHBOARD_TEST_POSTGRES="$(scripts/start-postgres.sh)"
  export SWITCHBOARD_TEST_POSTGRES
fi
ctest --test-dir "$build" -R "$pattern" --output-on-failure "$@"
