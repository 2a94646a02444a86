#!/usr/bin/env bash
# Builds the release server twice (its store on SQLite, then on PostgreSQL), starts the test
# PostgreSQL cluster, and runs the flaky-link soak (issue 33): 100 devices for 10 minutes per
# configuration through a link that drops and delays requests, the server killed twice, on
# SQLite and on two instances over one PostgreSQL; the figures go into BENCHMARKS.md. About
# 25 minutes after the builds. A benchmark, not part of .ci/run: it fails only when an entry
# was lost or doubled.
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
ensure_postgres
build_release
cp "$ROOT/target/release/server" "$ROOT/target/release/server-sqlite-bench"
step "building the server on PostgreSQL (release)"
cargo leptos build --release --split --server-only --bin-features postgres
cp "$ROOT/target/release/server" "$ROOT/target/release/server-postgres-bench"
# target/release/server is run.sh's: give it back its SQLite build.
cp "$ROOT/target/release/server-sqlite-bench" "$ROOT/target/release/server"
ZQ_SERVER_BIN="$ROOT/target/release/server-sqlite-bench" \
  ZQ_PG_SERVER_BIN="$ROOT/target/release/server-postgres-bench" \
  ZQ_SITE_ROOT="$ROOT/target/site" node "$ROOT/tests/bench/flaky.mjs"
