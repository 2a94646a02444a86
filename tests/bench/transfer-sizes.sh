#!/usr/bin/env bash
# Builds the release app and measures the first-load transfer sizes into BENCHMARKS.md: per
# file for the sign-in page, and per page against the size budget.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
build_release
export ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site"
node "$ROOT/tests/bench/transfer-sizes.mjs"
# The first load of one page per chunk against the budget CI holds (exits 1 when over).
node "$ROOT/tests/bench/budget.mjs" --write
