#!/usr/bin/env bash
# One fuzzing run: run.sh TARGET SEEDS FOUND. Fuzzes for SWITCHBOARD_FUZZ_SECONDS (60) from the
# seed corpus SEEDS, keeping new inputs in FOUND; fails on a crash, a leak, a trap or an input
# slower than 10 s. Prints libFuzzer's final statistics (executions, coverage).
set -euo pipefail
target=$1
seeds=$2
found=$3
mkdir -p "$found"
cd "$found"
exec "$target" -max_total_time="${SWITCHBOARD_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=4096 \
  -print_final_stats=1 "$found" "$seeds"
