# Sourced by the benchmarks: builds the Release binary (unless BENCH_SKIP_BUILD=1) and starts
# `switchboard --headless` on a free loopback port with a fresh DATA_DIR and SQLite file; the
# caller's environment (e.g. VOIP_MOCK_MEDIA=off) reaches it. Sets $base, $server (its pid) and
# $work; stops it and removes $work on exit.

build=build/release
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build "$build" >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
DATA_DIR=$work LOGIN_RATE_LIMIT=100000 REGISTER_RATE_LIMIT=0 "$build/app/switchboard" --headless --port "$port" \
    --database "$work/switchboard.db" 2>"$work/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -sf "$base/system/health" >/dev/null && break
    sleep 0.1
done
curl -sf "$base/system/health" >/dev/null || { echo "bench: the server is not healthy: $(cat "$work/server.log")" >&2; exit 1; }
