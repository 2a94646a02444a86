#!/usr/bin/env bash
# Builds the release server and measures the reports into BENCHMARKS.md: the region overview,
# a village's trend and the XLSX export, for the demo and for a generated region of 6,000
# villages and 1,000,000 offences.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
build_release
ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site" \
  node "$ROOT/tests/bench/reports.mjs"
