#!/usr/bin/env bash
# Builds the release app and measures the offline village map into BENCHMARKS.md: the time
# Chromium takes to open a village map of 2,000 households without signal, and the tiles a
# village download stores for zooms 12–17.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
ensure_chromium
build_release
ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site" \
  node "$ROOT/tests/bench/map.mjs"
