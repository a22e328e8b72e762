#!/usr/bin/env bash
# Soak: 10 minutes of a fixed mixed load against a Release `switchboard --headless` (SQLite,
# media-less mock), RSS, threads and descriptors sampled every 30 s. See bench/README.md.
#   SOAK_SECONDS=600  SOAK_SAMPLE_SECONDS=30  SOAK_OPERATORS=8  SOAK_RATE=40  BENCH_SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."

export VOIP_MOCK_MEDIA=off
source bench/server.sh
python3 bench/soak.py "$base" "$server"
