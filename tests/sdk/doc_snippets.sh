#!/usr/bin/env bash
# usage: doc_snippets.sh <tickd source dir>
# Every C++ snippet of docs/WRITING_PLUGINS.md compiles against the SDK (and
# the example's header, which the test snippet includes), warnings as errors.
set -euo pipefail
src=$1
work=$(mktemp -d /tmp/tickd-snippets-XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 - "$src/docs/WRITING_PLUGINS.md" "$work" <<'PY'
import re, sys, pathlib
text = pathlib.Path(sys.argv[1]).read_text()
blocks = re.findall(r"```cpp\n(.*?)```", text, re.S)
if not blocks:
    sys.exit("no ```cpp blocks found")
for i, block in enumerate(blocks):
    pathlib.Path(sys.argv[2], f"snippet_{i}.cpp").write_text(block)
PY

count=0
for f in "$work"/snippet_*.cpp; do
  if ! "${CXX:-c++}" -std=c++17 -fsyntax-only -Wall -Wextra -Werror \
       -I "$src/sdk/include" -I "$src/sdk/examples/price_alert" "$f"; then
    echo "--- $f does not compile:"; cat "$f"; exit 1
  fi
  count=$((count + 1))
done
echo "$count snippets of WRITING_PLUGINS.md compile"
