#!/usr/bin/env bash
# Builds the release app and runs Lighthouse (mobile profile) on the sign-in page, home and a
# village map into BENCHMARKS.md. Lighthouse lives in its own folder (tests/bench/lighthouse/),
# so the CI's npm ci does not install it.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
(cd "$ROOT/tests/bench/lighthouse" && npm ci --no-audit --no-fund)
build_release
ZQ_SERVER_BIN="$ROOT/target/release/server" ZQ_SITE_ROOT="$ROOT/target/site" \
  node "$ROOT/tests/bench/lighthouse.mjs" --write
