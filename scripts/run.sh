#!/usr/bin/env bash
# The run command: installs what the app needs, builds it, and starts it on its embedded
# defaults (SQLite file in the user's data folder, mock provider, http://127.0.0.1:8080).
# Arguments go to the app (e.g. `scripts/run.sh --headless --port 9090`).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh run

# Twilio's Voice SDK, exactly as package-lock.json pins it: the build serves it to the softphone.
npm ci --prefix resources/twilio-voice --ignore-scripts --no-audit --no-fund
# Redoc, likewise: the build serves its bundle at /api/docs.
npm ci --prefix resources/api-docs --ignore-scripts --no-audit --no-fund

build=build/release
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
cmake --build "$build"

# QtWebEngine's Chromium refuses to run as root with its sandbox on (containers often run as root).
if [ "$(id -u)" -eq 0 ]; then
  export QTWEBENGINE_DISABLE_SANDBOX=1
fi
exec "$build/app/switchboard" "$@"
