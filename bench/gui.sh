#!/usr/bin/env bash
# The console's cold start and memory, against the floor of a bare WebEngineView window
# (TECH-NOTES), both measured the same way under Xvfb on the Release build:
#   - cold start: from exec until the window's first frame (the console's login page: it logs
#     "window shown"; the bare window: its page has loaded, "page loaded");
#   - RSS: the process plus every QtWebEngineProcess it started, summed from /proc, once the
#     console is logged in (xdotool types the credentials) and its softphone page has loaded,
#     once the bare window shows the same softphone page, and once it shows a plain document
#     (the server's OpenAPI JSON: TECH-NOTES' floor of an almost empty page).
# Usage: bench/gui.sh [runs]   (default 5). Needs build/release/app/switchboard and
# build/bare/bare_webengine (see bench/README.md), xvfb-run, xdotool, curl.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
app=$PWD/build/release/app/switchboard
bare=$PWD/build/bare/bare_webengine
export QTWEBENGINE_DISABLE_SANDBOX=1

if [[ -z ${DISPLAY:-} ]]; then
    exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi

now_ms() { date +%s%3N; }

# RSS in MB of a process and all its descendants.
tree_rss_mb() {
    local pids=($1) i=0
    while (( i < ${#pids[@]} )); do
        pids+=($(pgrep -P "${pids[$i]}" || true))
        i=$((i + 1))
    done
    local kb=0 pid
    for pid in "${pids[@]}"; do
        kb=$((kb + $(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0)))
    done
    echo $((kb / 1024))
}

wait_for_line() { # file pattern timeout_s
    local deadline=$(($(now_ms) + $3 * 1000))
    until grep -q "$2" "$1" 2>/dev/null; do
        (( $(now_ms) < deadline )) || { echo "timed out waiting for '$2' in $1" >&2; return 1; }
        sleep 0.005
    done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

console_run() { # prints: start_ms rss_mb
    local data port log pid start shown
    data=$(mktemp -d) port=$(free_port) log=$data/log
    start=$(now_ms)
    DATA_DIR=$data VOIP_MOCK_MEDIA=off "$app" --port "$port" --database "$data/db.sqlite" >"$log" 2>&1 &
    pid=$!
    wait_for_line "$log" "window shown" 30
    shown=$(now_ms)
    # Log in as an operator registered through the API, typing into the login page.
    curl -fs -o /dev/null -H 'Content-Type: application/json' \
        -d '{"email":"bench@example.com","password":"correct horse battery"}' "http://127.0.0.1:$port/api/auth/register"
    local window
    window=$(xdotool search --sync --onlyvisible --pid "$pid" --name Switchboard | head -1)
    xdotool windowfocus --sync "$window" # Xvfb has no window manager to activate it
    xdotool type --delay 5 'bench@example.com'
    xdotool key Tab
    xdotool type --delay 5 'correct horse battery'
    xdotool key Return
    # The softphone page asks for the regions once it runs: it is loaded and logged in.
    local deadline=$(($(now_ms) + 30000))
    until curl -fs "http://127.0.0.1:$port/metrics" | grep -q 'route="/api/phone/regions"'; do
        (( $(now_ms) < deadline )) || { echo "the softphone page did not load" >&2; exit 1; }
        sleep 0.05
    done
    sleep 2 # let the page settle, as for the bare window
    echo "$((shown - start)) $(tree_rss_mb "$pid")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$data"
}

bare_run() { # url; prints: start_ms rss_mb
    local log pid start shown
    log=$(mktemp)
    start=$(now_ms)
    "$bare" "$1" >"$log" 2>&1 &
    pid=$!
    wait_for_line "$log" "page loaded" 30
    shown=$(now_ms)
    sleep 2
    echo "$((shown - start)) $(tree_rss_mb "$pid")"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -f "$log"
}

# A server for the bare window's page (its memory is not counted: only the window's).
server_data=$(mktemp -d)
server_port=$(free_port)
DATA_DIR=$server_data VOIP_MOCK_MEDIA=off "$app" --headless --port "$server_port" --database "$server_data/db.sqlite" \
    >"$server_data/log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$server_data"' EXIT
wait_for_line "$server_data/log" "listening on" 30

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

console=() bare_results=() blank_results=()
for _ in $(seq "$runs"); do
    console+=("$(console_run)")
    bare_results+=("$(bare_run "http://127.0.0.1:$server_port/softphone/")")
    blank_results+=("$(bare_run "http://127.0.0.1:$server_port/api/openapi.json")")
done
c_start=$(printf '%s\n' "${console[@]}" | awk '{ print $1 }' | median)
c_rss=$(printf '%s\n' "${console[@]}" | awk '{ print $2 }' | median)
b_start=$(printf '%s\n' "${bare_results[@]}" | awk '{ print $1 }' | median)
b_rss=$(printf '%s\n' "${bare_results[@]}" | awk '{ print $2 }' | median)
k_start=$(printf '%s\n' "${blank_results[@]}" | awk '{ print $1 }' | median)
k_rss=$(printf '%s\n' "${blank_results[@]}" | awk '{ print $2 }' | median)
echo "runs: $runs (medians)"
echo "console: start to login page ${c_start} ms; RSS after login with the softphone loaded ${c_rss} MB"
echo "bare WebEngineView, softphone page: start to page loaded ${b_start} ms; RSS ${b_rss} MB"
echo "bare WebEngineView, a plain JSON document: start to page loaded ${k_start} ms; RSS ${k_rss} MB"
awk -v c="$c_rss" -v b="$b_rss" -v k="$k_rss" \
    'BEGIN { printf "RSS ratio console / bare softphone page: %.2f; console / bare plain page: %.2f\n", c / b, c / k }'
echo "all runs (start_ms rss_mb): console ${console[*]} | bare softphone ${bare_results[*]} | bare plain ${blank_results[*]}"
