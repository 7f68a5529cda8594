#!/usr/bin/env bash
# Installs the Debian packages tickd needs that are missing, then configures and
# builds it. Safe to run again: it only installs what is missing and only
# rebuilds what changed.
#
#   scripts/setup.sh            build dependencies, build into build/
#   scripts/setup.sh --test     also the servers and tools the tests start
#
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo),
# JOBS (default: number of cores), CMAKE_ARGS (extra cmake -D options).
set -euo pipefail
cd "$(dirname "$0")/.."

with_test=0
[[ "${1:-}" == "--test" ]] && with_test=1

packages=(
  build-essential cmake pkg-config ccache git ca-certificates tzdata
  libboost-dev libboost-filesystem-dev libboost-system-dev
  libyaml-cpp-dev libwebsocketpp-dev nlohmann-json3-dev libspdlog-dev libfmt-dev libcctz-dev libsimdjson-dev
  libssl-dev libcurl4-openssl-dev zlib1g-dev libsqlite3-dev libpq-dev libhiredis-dev libsystemd-dev libcairo2-dev libfontconfig-dev
  libgtest-dev libgmock-dev libbenchmark-dev libnats-dev
)
# Node is needed at build time for the chart page (lightweight-charts from npm).
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
if [[ $with_test == 1 ]]; then
  packages+=(postgresql redis-server python3 python3-venv python3-aiosmtpd chromium clang libclang-rt-14-dev systemd curl openssl dpkg-dev nats-server)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# ccache across checkouts: paths relative to the checkout, and no working
# directory in the hash, so a fresh clone (as in CI) reuses earlier objects.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$PWD} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}

BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
JOBS=${JOBS:-$(nproc)}
# shellcheck disable=SC2086 # CMAKE_ARGS is a list of options
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE="$BUILD_TYPE" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$BUILD_DIR" -j "$JOBS"
