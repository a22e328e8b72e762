#!/usr/bin/env bash
# Load run against `switchboard --headless` (mock provider, SQLite), see bench/README.md.
#
# Builds the Release build, starts one server on a free loopback port with a fresh DATA_DIR and SQLite file,
# registers users, then for each row (1, 16, 64 operators):
#   warm-up (not measured): calls only, N other users, BENCH_WARMUP seconds, so that the row is measured in
#     steady state (work the server schedules for later, e.g. 15-s timers armed per initiate, is then due
#     during the measured window at the row's own rate, not at the previous row's)
#   measured: two wrk processes side by side for the same duration:
#     calls:  -t N -c N, bench/calls.lua: every connection is one operator looping initiate -> terminate
#     health: -t 1 -c 4, bench/get.lua: GET /system/health
# and prints a markdown table. Stops the server at the end (and on any failure or Ctrl-C).
#
# Environment (all optional):
#   BENCH_OPERATORS="1 16 64"   rows
#   BENCH_DURATION=10           measured seconds per row
#   BENCH_WARMUP=15             warm-up seconds before each row (0 for none)
#   BENCH_HEALTH_CONNECTIONS=4  health connections
#   BENCH_PHONE=+12025550100    number dialled (mock: answers); +12025550103 makes every initiate a 503
#   BENCH_COLD_START=1          also time cold start to first healthy answer with hyperfine (0 to skip)
#   BENCH_SKIP_BUILD=1          use the existing build/release binary
set -euo pipefail
cd "$(dirname "$0")/.."

operators=${BENCH_OPERATORS:-"1 16 64"}
duration=${BENCH_DURATION:-10}
warmup=${BENCH_WARMUP:-15}
health_connections=${BENCH_HEALTH_CONNECTIONS:-4}
cold_start=${BENCH_COLD_START:-1}
phone=${BENCH_PHONE:-+12025550100}

for tool in wrk curl python3; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done

build=build/release
if [[ ${BENCH_SKIP_BUILD:-0} != 1 ]]; then
    echo "bench: building $build (Release)" >&2
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSWITCHBOARD_BUILD_TESTS=OFF \
        -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
    cmake --build "$build" >&2
fi
binary=$PWD/$build/app/switchboard
[[ -x $binary ]] || { echo "bench: $binary not found" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")
server_pid= calls_pid= health_pid=
cleanup() {
    local status=$?
    local pid
    for pid in $calls_pid $health_pid; do kill "$pid" 2>/dev/null || true; done
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.05; done
        kill -9 "$server_pid" 2>/dev/null || true
    fi
    [[ -d $work/coldstart ]] && bench/coldstart.sh stop "$work/coldstart" || true
    if [[ $status -ne 0 ]]; then
        echo "bench: failed (exit $status); server log kept in $work/server.log" >&2
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- start the server ---------------------------------------------------------------------------------------
port=$(free_port)
base=http://127.0.0.1:$port
mkdir -p "$work/data"
# The API layer alone: the media-less mock (the far end has its own benchmark, bench/media.sh).
DATA_DIR=$work/data VOIP_PROVIDER=mock VOIP_MOCK_MEDIA=off LOGIN_RATE_LIMIT=1000000 REGISTER_RATE_LIMIT=0 \
    "$binary" --headless --host 127.0.0.1 --port "$port" --database "$work/data/bench.db" \
    >"$work/server.log" 2>&1 </dev/null &
server_pid=$!
for _ in $(seq 400); do
    curl -fs -o /dev/null "$base/system/health" && break
    kill -0 "$server_pid" 2>/dev/null || { echo "bench: server exited at start" >&2; cat "$work/server.log" >&2; exit 1; }
    sleep 0.05
done
curl -fs -o /dev/null "$base/system/health" || { echo "bench: server not healthy after 20 s" >&2; exit 1; }

# --- one user per operator, fresh per row (and another set for the row's warm-up) ----------------------------
echo "bench: ${SECONDS}s: registering users" >&2
for n in $operators; do
    python3 bench/register.py "$base" "$n" "$work/tokens-$n.txt" "row$n"
    if [[ $warmup != 0 ]]; then
        python3 bench/register.py "$base" "$n" "$work/warmup-tokens-$n.txt" "warmup$n"
    fi
done

# --- helpers --------------------------------------------------------------------------------------------------
field() { # field FILE NAME -> value of NAME=value on the RESULT line
    sed -n "s/^RESULT .*[[:space:]]$2=\([^[:space:]]*\).*/\1/p" "$1" | head -n1
}
require_server() { # require_server WHEN
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "bench: the server is gone ($1); the end of its log:" >&2
        tail -n 5 "$work/server.log" >&2
        exit 1
    fi
}
cpu_ticks_process() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
cpu_ticks_children() { awk '{ print $16 + $17 }' "/proc/$$/stat"; } # waited-for children of this script: wrk
cpu_ticks_machine() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6; exit }' /proc/stat; }
ticks_per_second=$(getconf CLK_TCK)

rows=()
details=()
verdict=()

for n in $operators; do
    if [[ $warmup != 0 ]]; then
        echo "bench: ${SECONDS}s: $n operators: ${warmup} s warm-up" >&2
        wrk -t "$n" -c "$n" -d "${warmup}s" --timeout 5s -s bench/calls.lua "$base" -- "$work/warmup-tokens-$n.txt" "$phone" \
            >"$work/warmup-$n.out" 2>&1 || { echo "bench: warm-up failed:" >&2; cat "$work/warmup-$n.out" >&2; exit 1; }
    fi
    echo "bench: ${SECONDS}s: $n operators: ${duration} s measured" >&2
    require_server "before the $n-operator row"
    server_before=$(cpu_ticks_process "$server_pid")
    wrk_before=$(cpu_ticks_children)
    read -r machine_busy_before machine_total_before < <(cpu_ticks_machine)

    wrk -t "$n" -c "$n" -d "${duration}s" --timeout 5s -s bench/calls.lua "$base" -- "$work/tokens-$n.txt" "$phone" \
        >"$work/calls-$n.out" 2>&1 &
    calls_pid=$!
    wrk -t 1 -c "$health_connections" -d "${duration}s" --timeout 5s -s bench/get.lua "$base/system/health" \
        >"$work/health-$n.out" 2>&1 &
    health_pid=$!
    calls_status=0 health_status=0
    wait "$calls_pid" || calls_status=$?
    wait "$health_pid" || health_status=$?
    calls_pid= health_pid=

    require_server "after the $n-operator row"
    server_after=$(cpu_ticks_process "$server_pid")
    wrk_after=$(cpu_ticks_children)
    server_rss_mb=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
    read -r machine_busy_after machine_total_after < <(cpu_ticks_machine)

    for kind in calls health; do
        if ! grep -q '^RESULT ' "$work/$kind-$n.out"; then
            echo "bench: wrk ($kind, $n operators) printed no result:" >&2
            cat "$work/$kind-$n.out" >&2
            exit 1
        fi
    done

    c=$work/calls-$n.out h=$work/health-$n.out
    # Errors: wrk's non-2xx and socket errors (connect/read/write/timeout), plus what calls.lua saw per request type.
    errors=$(awk -v cn="$(field "$c" non2xx)" -v cc="$(field "$c" connect)" -v cr="$(field "$c" read)" \
        -v cw="$(field "$c" write)" -v ct="$(field "$c" timeout)" -v conflicts="$(field "$c" conflicts)" \
        -v bi="$(field "$c" bad_initiate)" -v bt="$(field "$c" bad_terminate)" -v br="$(field "$c" bad_recover)" \
        -v hn="$(field "$h" non2xx)" -v hc="$(field "$h" connect)" -v hr="$(field "$h" read)" \
        -v hw="$(field "$h" write)" -v ht="$(field "$h" timeout)" -v cs="$calls_status" -v hs="$health_status" '
        function add(count, label) { if (count > 0) { out = out (out == "" ? "" : ", ") count " " label } }
        BEGIN {
            add(cn, "call non-2xx"); add(conflicts, "409 on initiate"); add(bi, "failed initiate");
            add(bt, "failed terminate"); add(br, "failed recovery");
            add(cc + cr + cw, "call socket errors"); add(ct, "call timeouts");
            add(hn, "health non-2xx"); add(hc + hr + hw, "health socket errors"); add(ht, "health timeouts");
            if (cs != 0) add(1, "calls wrk exit " cs); if (hs != 0) add(1, "health wrk exit " hs);
            print (out == "" ? "0" : "**" out "**")
        }')
    row=$(awk -v n="$n" -v cq="$(field "$c" requests)" -v cd="$(field "$c" duration_us)" \
        -v c50="$(field "$c" p50_us)" -v c99="$(field "$c" p99_us)" \
        -v hq="$(field "$h" requests)" -v hd="$(field "$h" duration_us)" \
        -v h50="$(field "$h" p50_us)" -v h99="$(field "$h" p99_us)" -v errors="$errors" '
        BEGIN {
            crps = cq / (cd / 1e6); hrps = hq / (hd / 1e6)
            printf "| %d | %.0f | %.2f | %.2f | %.0f | %.2f | %.2f | %.2f | %s |\n",
                n, crps, c50 / 1000, c99 / 1000, hrps, h50 / 1000, h99 / 1000, (hrps > 0 ? crps / hrps : 0), errors
        }')
    rows+=("$row")
    verdict+=("$(awk -v n="$n" -v cq="$(field "$c" requests)" -v cd="$(field "$c" duration_us)" \
        -v hq="$(field "$h" requests)" -v hd="$(field "$h" duration_us)" -v c99="$(field "$c" p99_us)" '
        BEGIN {
            ratio = (cq / cd) / (hq / hd)
            printf "- %d operators: call p99 %.2f ms (aim <= 20: %s)", n, c99 / 1000, (c99 <= 20000 ? "met" : "MISSED")
            if (n == 16) printf ", ratio %.2f (aim >= 0.5: %s)", ratio, (ratio >= 0.5 ? "met" : "MISSED")
            printf "\n"
        }')")
    details+=("$(awk -v n="$n" -v d="$duration" -v tps="$ticks_per_second" \
        -v sb="$server_before" -v sa="$server_after" -v mb0="$machine_busy_before" -v mt0="$machine_total_before" \
        -v mb1="$machine_busy_after" -v mt1="$machine_total_after" -v cores="$(nproc)" \
        -v ini="$(field "$c" initiated)" -v ter="$(field "$c" terminated)" \
        -v c90="$(field "$c" p90_us)" -v cmax="$(field "$c" max_us)" -v h90="$(field "$h" p90_us)" \
        -v hmax="$(field "$h" max_us)" -v lmin="$(field "$c" loops_min)" -v lmax="$(field "$c" loops_max)" -v rss="$server_rss_mb" \
        -v wb="$wrk_before" -v wa="$wrk_after" -v wq="$(field "$work/warmup-$n.out" requests 2>/dev/null)" \
        -v wd="$(field "$work/warmup-$n.out" duration_us 2>/dev/null)" -v wn="$(field "$work/warmup-$n.out" non2xx 2>/dev/null)" '
        BEGIN {
            server = 100 * (sa - sb) / tps / d
            machine = (mt1 > mt0) ? 100 * cores * (mb1 - mb0) / (mt1 - mt0) : 0
            client = 100 * (wa - wb) / tps / d
            other = machine - server - client
            printf "- %d operators: %d initiates + %d terminates ok (per operator %d..%d loops); " \
                   "call p90 %.2f ms, max %.2f ms; health p90 %.2f ms, max %.2f ms; " \
                   "CPU: server %.0f%%, wrk %.0f%%, everything else %.0f%% (of %d00%%); server RSS %d MB\n",
                n, ini, ter, lmin, lmax, c90 / 1000, cmax / 1000, h90 / 1000, hmax / 1000, server, client,
                (other > 0 ? other : 0), cores, rss
            if (wd > 0) printf "  (warm-up before it: %.0f call req/s, %d non-2xx)\n", wq / (wd / 1e6), wn
        }')")
    sleep 1
done

# --- cold start -----------------------------------------------------------------------------------------------
cold_start_line=
if [[ $cold_start == 1 ]] && command -v hyperfine >/dev/null; then
    echo "bench: ${SECONDS}s: cold start" >&2
    cold_port=$(free_port)
    mkdir -p "$work/coldstart"
    hyperfine --runs 10 --style none --output null --export-json "$work/coldstart.json" \
        --prepare "bench/coldstart.sh stop $work/coldstart" --cleanup "bench/coldstart.sh stop $work/coldstart" \
        "bench/coldstart.sh start $binary $cold_port $work/coldstart" >/dev/null 2>"$work/hyperfine.err" \
        || { echo "bench: hyperfine failed:" >&2; cat "$work/hyperfine.err" >&2; exit 1; }
    cold_start_line=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("Cold start to first healthy answer (fresh DATA_DIR and SQLite file, hyperfine, %d runs): "
      "mean %.0f ms ± %.0f ms, min %.0f ms, max %.0f ms"
      % (len(r["times"]), r["mean"] * 1e3, (r["stddev"] or 0) * 1e3, r["min"] * 1e3, r["max"] * 1e3))
' "$work/coldstart.json")
fi

# --- report ---------------------------------------------------------------------------------------------------
echo "bench: ${SECONDS}s: done" >&2
echo
echo "Switchboard load run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)),"
echo "${duration} s measured per row after ${warmup} s warm-up (calls only, other users); calls: one wrk connection (and thread)"
echo "per operator, health: ${health_connections} connections, both at once; loopback, mock provider, SQLite."
echo
echo "| operators | call req/s | call p50 ms | call p99 ms | health req/s | health p50 ms | health p99 ms | ratio | errors |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---|"
printf '%s\n' "${rows[@]}"
echo
echo "Aims:"
printf '%s\n' "${verdict[@]}"
echo
echo "Details:"
printf '%s\n' "${details[@]}"
[[ -n $cold_start_line ]] && { echo; echo "$cold_start_line"; }
exit 0
