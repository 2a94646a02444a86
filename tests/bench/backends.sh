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
build_bench_servers
ZQ_SERVER_BIN="$BENCH_SQLITE_SERVER" ZQ_PG_SERVER_BIN="$BENCH_POSTGRES_SERVER" \
  ZQ_SITE_ROOT="$ROOT/target/site" node "$ROOT/tests/bench/backends.mjs"
