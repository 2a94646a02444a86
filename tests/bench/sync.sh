#!/usr/bin/env bash
# Builds the release app and measures sync throughput, bytes per mutation and a throttled
# 1,000-entry sync in Chromium into BENCHMARKS.md.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
ensure_chromium
build_release
ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site" \
  node "$ROOT/tests/bench/sync.mjs"
