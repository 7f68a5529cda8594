#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install what is missing, build,
# and start the daemon on its default config (simulator feed, SQLite, chart at
# http://127.0.0.1:8080). Extra arguments go to tickd.
set -euo pipefail
cd "$(dirname "$0")/.."
CMAKE_ARGS="-DTICKD_BUILD_TESTS=OFF -DTICKD_BUILD_BENCH=OFF" scripts/setup.sh
exec build/bin/tickd --config config/tickd.yaml "$@"
