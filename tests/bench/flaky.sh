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
build_bench_servers
ZQ_SERVER_BIN="$BENCH_SQLITE_SERVER" ZQ_PG_SERVER_BIN="$BENCH_POSTGRES_SERVER" \
  ZQ_SITE_ROOT="$ROOT/target/site" node "$ROOT/tests/bench/flaky.mjs"
