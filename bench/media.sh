#!/usr/bin/env bash
# Media benchmark against a Release `switchboard --headless` with the GStreamer far end: call set-up
# time over 50 calls from Chromium, then the concurrent echo calls it holds (GStreamer callers,
# bench/farcallers.py). See bench/README.md.
#   BENCH_SETUP_CALLS=50  BENCH_LEVELS="10 20 … 100"  BENCH_HOLD=8  BENCH_SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
build=build/release
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build "$build" >&2
fi
npm ci --prefix tests/browser --no-audit --no-fund >/dev/null

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-media-bench.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
DATA_DIR=$work LOGIN_RATE_LIMIT=100000 "$build/app/switchboard" --headless --port "$port" \
    --database "$work/switchboard.db" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/system/health" >/dev/null && break
    sleep 0.1
done
echo "media bench: $(nproc) cores, $(date -u +%F), server pid $server"
node bench/media.mjs "http://127.0.0.1:$port"
echo
# Debian's Python: its GObject bindings (python3-gi) are not visible to other interpreters on PATH.
/usr/bin/python3 bench/farcallers.py "http://127.0.0.1:$port" "$server"
