#!/usr/bin/env bash
# Builds the release app and measures the first-load transfer sizes into BENCHMARKS.md.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
build_release
ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site" \
  node "$ROOT/tests/bench/transfer-sizes.mjs"
