#!/usr/bin/env bash
# Soak: 10 minutes of a fixed mixed load against a Release `switchboard --headless` (SQLite,
# media-less mock), RSS, threads and descriptors sampled every 30 s. See bench/README.md.
#   SOAK_SECONDS=600  SOAK_SAMPLE_SECONDS=30  SOAK_OPERATORS=8  SOAK_RATE=40  BENCH_SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."

build=build/release
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build "$build" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-soak.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATA_DIR=$work VOIP_MOCK_MEDIA=off LOGIN_RATE_LIMIT=100000 "$build/app/switchboard" --headless --port "$port" \
    --database "$work/switchboard.db" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/system/health" >/dev/null && break
    sleep 0.1
done
python3 bench/soak.py "http://127.0.0.1:$port" "$server"
