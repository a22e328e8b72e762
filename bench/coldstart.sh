#!/usr/bin/env bash
# Cold start of `switchboard --headless` to its first healthy answer, for hyperfine (see run.sh).
#   coldstart.sh start BINARY PORT STATE_DIR  starts a server on a fresh DATA_DIR and SQLite file (migrations
#                                           run, JWT secret generated), polls /system/health, returns once it
#                                           answers 200 and leaves the server running (pid in STATE_DIR/pid)
#   coldstart.sh stop STATE_DIR             kills that server and waits until it is gone (hyperfine --prepare
#                                           and --cleanup, so shutdown is not part of the measured time)
set -uo pipefail

stop() {
    local state=$1
    if [[ -f $state/pid ]]; then
        local pid
        pid=$(cat "$state/pid")
        # SIGKILL: only the start is measured and the data folder is thrown away; a graceful stop takes ~1.6 s.
        kill -9 "$pid" 2>/dev/null
        # Gone, or a zombie waiting for its new parent to reap it (it holds no port or file any more).
        for _ in $(seq 500); do
            [[ -r /proc/$pid/stat ]] && [[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) != Z ]] || break
            sleep 0.01
        done
        rm -f "$state/pid"
    fi
    rm -rf "$state/data"
}

case ${1:-} in
start)
    binary=$2 port=$3 state=$4
    mkdir -p "$state/data"
    DATA_DIR=$state/data VOIP_PROVIDER=mock VOIP_MOCK_MEDIA=off setsid "$binary" --headless --host 127.0.0.1 --port "$port" \
        --database "$state/data/switchboard.db" >>"$state/server.log" 2>&1 </dev/null &
    echo $! >"$state/pid"
    for _ in $(seq 2000); do
        curl -fs -o /dev/null "http://127.0.0.1:$port/system/health" && exit 0
        kill -0 "$(cat "$state/pid")" 2>/dev/null || { echo "server exited; see $state/server.log" >&2; exit 1; }
        sleep 0.005
    done
    echo "no healthy answer within the time limit" >&2
    exit 1
    ;;
stop)
    stop "$2"
    ;;
*)
    echo "usage: $0 start BINARY PORT STATE_DIR | stop STATE_DIR" >&2
    exit 2
    ;;
esac
