#!/usr/bin/env bash
# ThreadSanitizer over the tests that exercise the backend's threads: the serving threads, the
# core thread, the group-commit writer, the event streams and the webhook dispatcher. Not part of
# the test command (a second full build of the backend would double its time); run it after a
# change to the execution model. Qt's own libraries are not instrumented: what TSan cannot see
# through them is in tests/tsan.supp, each suppression with its reason, and docs/TECH-NOTES.md
# says which reports remain for that reason (data handed over through Qt's event queue).
# Extra arguments go to ctest (e.g. `scripts/tsan.sh -R tst_http`).
set -euo pipefail
cd "$(dirname "$0")/.."

tests=(tst_groupcommitter tst_storage tst_callservice tst_http tst_concurrency tst_events tst_webhooks)
build=build/tsan
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSWITCHBOARD_TSAN=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build" --target "${tests[@]}" switchboard

pattern=$(IFS='|'; echo "^(${tests[*]})(_sqlite|_postgres)?\$")
# die_after_fork=0: the tests start servers with QProcess, whose child execs at once.
# ignore_noninstrumented_modules=1: what Qt's own libraries (not built with TSan) do inside
# intercepted calls (malloc, free, memcpy) is not taken for an access of the project's. Reports go
# to files, one per process, so that a server's report is not lost with its output.
reports=$PWD/$build/tsan-reports
rm -rf "$reports" && mkdir -p "$reports"
export TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp halt_on_error=1 second_deadlock_stack=1 history_size=4 die_after_fork=0 ignore_noninstrumented_modules=1 log_path=$reports/report"
if [[ -z ${SWITCHBOARD_TEST_POSTGRES:-} ]]; then
  SWITCHBOARD_TEST_POSTGRES="$(scripts/start-postgres.sh)"
  export SWITCHBOARD_TEST_POSTGRES
fi
status=0
ctest --test-dir "$build" -R "$pattern" --output-on-failure "$@" || status=$?
for report in "$reports"/report.*; do
    [[ -e $report ]] || continue
    echo "== $report" && cat "$report"
    status=1
done
exit "$status"
