#!/usr/bin/env bash
# Builds the release server twice (its store on SQLite, then on PostgreSQL), starts the test
# PostgreSQL cluster, and measures pushes, pulls and pages per second on SQLite, on PostgreSQL
# and on two instances over one PostgreSQL into BENCHMARKS.md (issue 18).
source "$(dirname "$0")/../../.ci/lib.sh"
ensure_rust_tools
ensure_node_modules
ensure_postgres
if ! command -v wrk >/dev/null; then
  step "installing wrk (HTTP load generator) for the benchmark"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends wrk
fi
build_release
cp "$ROOT/target/release/server" "$ROOT/target/release/server-sqlite-bench"
step "building the server on PostgreSQL (release)"
cargo leptos build --release --split --server-only --bin-features postgres
cp "$ROOT/target/release/server" "$ROOT/target/release/server-postgres-bench"
# target/release/server is run.sh's: give it back its SQLite build.
cp "$ROOT/target/release/server-sqlite-bench" "$ROOT/target/release/server"
ZQ_SERVER_BIN="$ROOT/target/release/server-sqlite-bench" \
  ZQ_PG_SERVER_BIN="$ROOT/target/release/server-postgres-bench" \
  ZQ_SITE_ROOT="$ROOT/target/site" node "$ROOT/tests/bench/backends.mjs"
