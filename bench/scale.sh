#!/usr/bin/env bash
# The backend at scale: prints docs/PERFORMANCE.md's table, each figure with the command that
# measured it. Per engine (SQLite, then PostgreSQL):
#   1. throughput: initiate+terminate req/s and /system/health req/s, each load alone on the same
#      binary (wrk -t16 -c16, BENCH_DURATION s), and their ratio;
#   2. a large database: one operator with BENCH_CALLS calls and 50 operators with BENCH_CALLS/50
#      each (bench/fillcalls.py), then p99 latencies of one client: history page 1, page 2,500
#      by number and by cursor, status=failed, a digits search, /metrics, the dashboard's 30 days
#      (/api/stats/calls); and /system/health while two other clients read history.
# Environment: BENCH_DURATION=6  BENCH_CALLS=1000000  BENCH_ENGINES="sqlite postgres"
#              BENCH_OPERATORS=16 (operators of the throughput load, one connection each)
#              BENCH_SKIP_BUILD=1 (use build/release as it is)
#              SERVER_THREADS=N (the server's own setting: serving threads, default one per core)
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-6}
calls=${BENCH_CALLS:-1000000}
operators=${BENCH_OPERATORS:-16}
engines=${BENCH_ENGINES:-"sqlite postgres"}
for tool in wrk curl python3 psql; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is required (scripts/install-deps.sh test)" >&2; exit 1; }
done

build=build/release
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build "$build" >&2
fi
binary=$PWD/$build/app/switchboard

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-scale.XXXXXX")
server_pid= pg_admin= pg_databases=()
cleanup() {
    [[ -n $server_pid ]] && { kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; }
    for db in "${pg_databases[@]}"; do psql -q "$pg_admin" -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true; done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port

start_server() { # start_server DATABASE
    DATA_DIR=$work/data VOIP_PROVIDER=mock VOIP_MOCK_MEDIA=off LOGIN_RATE_LIMIT=1000000 REGISTER_RATE_LIMIT=0 \
        "$binary" --headless --port "$port" --database "$1" >>"$work/server.log" 2>&1 </dev/null &
    server_pid=$!
    for _ in $(seq 600); do
        curl -fs -o /dev/null "$base/system/health" && return 0
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: the server did not start:" >&2; tail -n 20 "$work/server.log" >&2; exit 1
}
stop_server() {
    kill "$server_pid"; wait "$server_pid" || true; server_pid=
}
field() { sed -n "s/^RESULT .*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" "$1" | head -n1; }
rate() { awk -v q="$(field "$1" requests)" -v d="$(field "$1" duration_us)" 'BEGIN { printf "%.0f", q / (d / 1e6) }'; }
p99ms() { awk -v p="$(field "$1" p99_us)" 'BEGIN { printf "%.2f", p / 1000 }'; }
errors() { # errors RESULT_FILE: non-2xx and socket errors, which void a figure
    awk -v n="$(field "$1" non2xx)" -v c="$(field "$1" connect)" -v r="$(field "$1" read)" \
        -v w="$(field "$1" write)" -v t="$(field "$1" timeout)" 'BEGIN { print n + c + r + w + t }'
}
measure() { # measure NAME OUT COMMAND...: runs wrk, keeps its RESULT in $work/OUT, records the command
    local name=$1 out=$2; shift 2
    "$@" >"$work/$out" 2>&1 || { echo "bench: $name failed:" >&2; cat "$work/$out" >&2; exit 1; }
    grep -q '^RESULT ' "$work/$out" || { echo "bench: $name printed no result:" >&2; cat "$work/$out" >&2; exit 1; }
    [[ $(errors "$work/$out") == 0 ]] || { echo "bench: $name had errors:" >&2; cat "$work/$out" >&2; exit 1; }
    commands+=("- $name ($engine): \`$*\`")
}
userid() { python3 -c 'import base64, json, sys; p = sys.argv[1].split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["sub"])' "$1"; }

declare -A figure
commands=()
for engine in $engines; do
    if [[ $engine == sqlite ]]; then
        database=$work/$engine.db
    else
        pg_admin=$(scripts/start-postgres.sh)
        name=switchboard_scale_$$
        psql -q "$pg_admin" -c "CREATE DATABASE $name" >/dev/null
        pg_databases+=("$name")
        database=${pg_admin%/*}/$name
    fi
    rm -rf "$work/data"
    echo "bench: $engine: throughput" >&2
    start_server "$database"
    python3 bench/register.py "$base" "$operators" "$work/tokens.txt" "load-$engine"
    measure "initiate+terminate, $operators operators" calls-$engine.out \
        wrk -t"$operators" -c"$operators" -d"${duration}s" --timeout 5s -s bench/calls.lua "$base" -- "$work/tokens.txt"
    measure "/system/health alone" health-$engine.out \
        wrk -t"$operators" -c"$operators" -d"${duration}s" --timeout 5s -s bench/get.lua "$base/system/health"
    figure[$engine,calls]=$(rate "$work/calls-$engine.out")
    figure[$engine,health]=$(rate "$work/health-$engine.out")
    figure[$engine,ratio]=$(awk -v c="${figure[$engine,calls]}" -v h="${figure[$engine,health]}" 'BEGIN { printf "%.2f", c / h }')

    echo "bench: $engine: filling $calls calls for one operator and $calls for 50" >&2
    python3 bench/register.py "$base" 1 "$work/big.txt" "big-$engine"
    python3 bench/register.py "$base" 50 "$work/team.txt" "team-$engine"
    stop_server
    plan=("$(userid "$(head -n1 "$work/big.txt")"):$calls")
    while read -r token; do plan+=("$(userid "$token"):$((calls / 50))"); done <"$work/team.txt"
    python3 bench/fillcalls.py "$database" "${plan[@]}"
    start_server "$database"
    export BENCH_TOKEN
    BENCH_TOKEN=$(head -n1 "$work/big.txt")
    cursor=$(python3 - "$base" "$BENCH_TOKEN" <<'PY'
import json, sys, urllib.request
base, token = sys.argv[1], sys.argv[2]
cursor = ""
for _ in range(2499):  # walk to page 2,500 the way a client does
    url = base + "/api/calls/history?limit=20" + ("&cursor=" + cursor if cursor else "")
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer " + token})) as r:
        cursor = json.load(r)["next_cursor"]
print(cursor)
PY
)
    for what in "page1:/api/calls/history?limit=20" "page2500:/api/calls/history?page=2500&limit=20" \
        "cursor2500:/api/calls/history?limit=20&cursor=$cursor" "failed:/api/calls/history?status=failed&limit=20" \
        "search:/api/calls/history?q=4915123&limit=20" "metrics:/metrics" \
        "stats30:/api/stats/calls?from=$(date -u -d '30 days ago' +%FT%TZ)&to=$(date -u +%FT%TZ)"; do
        key=${what%%:*}
        measure "GET ${what#*:} (1 client, $calls calls)" "$key-$engine.out" \
            wrk -t1 -c1 -d"${duration}s" --timeout 5s -s bench/get.lua "$base${what#*:}"
        figure[$engine,$key]=$(p99ms "$work/$key-$engine.out")
    done
    echo "bench: $engine: /system/health while two clients read history" >&2
    wrk -t2 -c2 -d"$((duration + 2))s" --timeout 5s -s bench/get.lua "$base/api/calls/history?limit=20&status=completed" \
        >"$work/readers-$engine.out" 2>&1 &
    readers=$!
    sleep 1
    BENCH_TOKEN= measure "/system/health beside 2 history readers (wrk -t2 -c2 on history)" "busy-$engine.out" \
        wrk -t1 -c1 -d"${duration}s" --timeout 5s -s bench/get.lua "$base/system/health"
    wait "$readers"
    figure[$engine,busy]=$(p99ms "$work/busy-$engine.out")
    figure[$engine,readers]=$(rate "$work/readers-$engine.out")
    stop_server
done

cell() { echo "${figure[$1,$2]:-–}"; }
echo
echo "Switchboard at scale: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, SERVER_THREADS=${SERVER_THREADS:-$(nproc)}, Release build, loopback, ${duration} s per figure."
echo
echo "| what | SQLite | PostgreSQL | aim |"
echo "|---|---:|---:|---|"
echo "| initiate+terminate req/s ($operators operators) | $(cell sqlite calls) | $(cell postgres calls) | |"
echo "| /system/health req/s alone ($operators connections) | $(cell sqlite health) | $(cell postgres health) | |"
echo "| ratio | $(cell sqlite ratio) | $(cell postgres ratio) | ≥ 0.5 |"
echo "| history page 1, p99 ms ($calls calls) | $(cell sqlite page1) | $(cell postgres page1) | ≤ 5 |"
echo "| history page 2,500 by number, p99 ms | $(cell sqlite page2500) | $(cell postgres page2500) | |"
echo "| history page 2,500 by cursor, p99 ms | $(cell sqlite cursor2500) | $(cell postgres cursor2500) | ≤ 5 |"
echo "| status=failed, p99 ms | $(cell sqlite failed) | $(cell postgres failed) | ≤ 5 |"
echo "| q=4915123, p99 ms | $(cell sqlite search) | $(cell postgres search) | ≤ 20 |"
echo "| /metrics, p99 ms | $(cell sqlite metrics) | $(cell postgres metrics) | ≤ 2 |"
echo "| the dashboard's 30 days (/api/stats/calls), p99 ms | $(cell sqlite stats30) | $(cell postgres stats30) | follows the hours, not the calls |"
echo "| /system/health p99 ms beside 2 history readers | $(cell sqlite busy) | $(cell postgres busy) | ≤ 5 |"
echo "| (those readers' history req/s) | $(cell sqlite readers) | $(cell postgres readers) | |"
echo
echo "Commands (from the repository's root; \$BASE is the server, BENCH_TOKEN the operator's token):"
printf '%s\n' "${commands[@]//$base/\$BASE}"
