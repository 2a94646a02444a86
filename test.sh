#!/usr/bin/env bash
# Installs what the tests need (Rust tools, npm packages, Debian's chromium and PostgreSQL),
# builds the app, and runs every test: Rust unit tests, the PostgreSQL schema's tests, HTTP
# integration tests against the real server, and end-to-end tests in headless Chromium.
source "$(dirname "$0")/.ci/lib.sh"

ensure_rust_tools
ensure_node_modules
ensure_chromium
ensure_postgres
build_for_tests

step "unit tests (cargo test)"
# One invocation for both crates: their dependencies build with the same features as the
# server binary above, so nothing is compiled twice.
cargo test -p app -p server --features app/ssr

step "PostgreSQL: the second backend's schema and change feed (issue 18)"
node --test --test-concurrency=1 --test-timeout=300000 tests/postgres/

export ZQ_SERVER_BIN="$TESTED_SERVER"
export ZQ_SITE_ROOT="$ROOT/target/site"

step "integration tests: the real server over HTTP"
node --test --test-concurrency=1 --test-timeout=300000 tests/http/

step "integration tests again, the server's store on PostgreSQL (issue 18)"
# Each server a test starts gets a database of its own in the test cluster; the few tests of
# SQLite's own behaviour (its file, WAL, `server backup`) say they are skipped.
# `server migrate` moves a SQLite file onto PostgreSQL: its test runs here, with both servers.
ZQ_TEST_BACKEND=postgres ZQ_SERVER_BIN="$TESTED_POSTGRES_SERVER" ZQ_SQLITE_SERVER_BIN="$TESTED_SERVER" \
  node --test --test-concurrency=1 --test-timeout=300000 tests/http/

step "end-to-end tests: headless Chromium"
# A file's tests run inside one test of the runner, so the timeout bounds a whole file: the
# accessibility pass (12 page sets at two widths in two languages) takes about 7 minutes on
# 2 cores.
node --test --test-concurrency=1 --test-timeout=900000 tests/e2e/

step "the sync stories in Chromium again, the server's store on PostgreSQL (issue 18)"
# Entries made offline arriving exactly once, the server killed mid-push, lost answers,
# conflicts, refusals, and persons offline: about 3 minutes.
ZQ_TEST_BACKEND=postgres ZQ_SERVER_BIN="$TESTED_POSTGRES_SERVER" \
  node --test --test-concurrency=1 --test-timeout=900000 \
  tests/e2e/offline-sync.test.mjs tests/e2e/persons-offline.test.mjs
