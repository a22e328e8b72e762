#!/usr/bin/env bash
# The test command: installs what the tests need, builds with AddressSanitizer and
# UndefinedBehaviorSanitizer, builds the libFuzzer targets with clang, builds the Debian package
# (and an earlier commit's, for the upgrade test), starts PostgreSQL, and runs every test with
# ctest, then each fuzz target for SWITCHBOARD_FUZZ_SECONDS (60).
# Extra arguments go to both ctest runs (e.g. `scripts/test.sh -R tst_api`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test

# Twilio's Voice SDK, exactly as package-lock.json pins it: the build serves it to the softphone.
npm ci --prefix resources/twilio-voice --ignore-scripts --no-audit --no-fund
# Redoc, likewise: the build serves its bundle at /api/docs.
npm ci --prefix resources/api-docs --ignore-scripts --no-audit --no-fund

build=build/test
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSWITCHBOARD_SANITIZE=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build"

# The fuzz targets: the backend once more, built by clang with libFuzzer (tests/fuzz).
fuzz=build/fuzz
CC=clang CXX=clang++ cmake -S . -B "$fuzz" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWITCHBOARD_FUZZ=ON \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$fuzz"

# The Debian package (a Release build of the program alone, through debhelper) for tests/package,
# and the package of an earlier commit for the upgrade test: 1e89212 carries six migrations
# (before 007_add_quality_to_calls.sql) and no packaging of its own. Both reuse ccache and their
# build folders (build/deb), so a second run rebuilds only what changed.
scripts/package.sh
scripts/package.sh --from 1e89212

# The browser tests' packages, exactly as package-lock.json pins them.
npm ci --prefix tests/browser --no-audit --no-fund

SWITCHBOARD_TEST_POSTGRES="$(scripts/start-postgres.sh)"
if [[ "$SWITCHBOARD_TEST_POSTGRES" != postgres://* ]]; then
  echo "start-postgres.sh printed no PostgreSQL URL but: $SWITCHBOARD_TEST_POSTGRES" >&2
  exit 1
fi
export SWITCHBOARD_TEST_POSTGRES
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp}

status=0
ctest --test-dir "$build" --output-on-failure --parallel 2 "$@" || status=$?
ctest --test-dir "$fuzz" --output-on-failure --parallel 2 "$@" || status=$?
exit $status
