#!/usr/bin/env bash
# Media benchmark against a Release `switchboard --headless` with the GStreamer far end: call set-up
# time over 50 calls from Chromium, then the concurrent echo calls it holds (GStreamer callers,
# bench/farcallers.py). See bench/README.md.
#   BENCH_SETUP_CALLS=50  BENCH_LEVELS="10 20 … 100"  BENCH_HOLD=8  BENCH_SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh test
npm ci --prefix tests/browser --no-audit --no-fund >/dev/null
source bench/server.sh

echo "media bench: $(nproc) cores, $(date -u +%F), server pid $server"
# The Node.js the browser tests pin (tests/browser/package.json): Debian 12's is too old for playwright-core.
tests/browser/node_modules/node-linux-*/bin/node bench/media.mjs "$base"
echo
# Debian's Python: its GObject bindings (python3-gi) are not visible to other interpreters on PATH.
/usr/bin/python3 bench/farcallers.py "$base" "$server"
