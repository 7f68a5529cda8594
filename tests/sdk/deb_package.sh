#!/usr/bin/env bash
# usage: deb_package.sh <tickd build dir>: CPack builds the .deb, and it holds
# the daemon, the plugins, the config, the unit and the SDK where they belong.
set -euo pipefail
build=$1
work=$(mktemp -d /tmp/tickd-deb-XXXXXX)
trap 'rm -rf "$work"' EXIT
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; exit 1; }
deb=$(ls "$work"/tickd_*.deb)
contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/tickd ./usr/bin/tickd-plugin-host ./usr/bin/tickd-child-guard ./usr/lib/tickd/plugins/tickd_logger.so ./usr/lib/tickd/plugins/tickd_ws_broadcast.so \
         ./usr/lib/tickd/plugins/ws_broadcast_web/index.html ./etc/tickd/tickd.yaml ./usr/lib/systemd/system/tickd.service \
         ./usr/include/tickd/abi.h ./usr/include/tickd/plugin.hpp; do
  grep -q " $f\$" <<<"$contents" || { echo "missing in $deb: $f"; echo "$contents"; exit 1; }
done
grep -q "tickdConfig.cmake" <<<"$contents" || { echo "no CMake package in $deb"; exit 1; }
depends=$(dpkg-deb -f "$deb" Depends)
grep -q "libyaml-cpp" <<<"$depends" || { echo "Depends lacks shared-library dependencies: $depends"; exit 1; }
dpkg-deb -e "$deb" "$work/control"
grep -qx "/etc/tickd/tickd.yaml" "$work/control/conffiles" || { echo "tickd.yaml is not a conffile"; exit 1; }
echo "$(basename "$deb"): $(grep -c . <<<"$contents") entries; Depends: $depends"
