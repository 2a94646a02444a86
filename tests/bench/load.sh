#!/usr/bin/env bash
# Builds the release app and measures pages/s, sync pulls/s, the health check's latency under
# load and password checks/s with wrk and node into BENCHMARKS.md (issue 13).
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
if ! command -v wrk >/dev/null; then
  step "installing wrk (HTTP load generator) for the load benchmark"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk
fi
build_release
ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site" \
  node "$ROOT/tests/bench/load.mjs"
