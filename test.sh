#!/usr/bin/env bash
# Installs what the tests need (Rust tools, npm packages, Debian's chromium), builds the app,
# and runs every test: Rust unit tests, HTTP integration tests against the real server, and
# end-to-end tests in headless Chromium.
source "$(dirname "$0")/.ci/lib.sh"

ensure_rust_tools
ensure_node_modules
ensure_chromium
build_for_tests

step "unit tests (cargo test)"
# One invocation for both crates: their dependencies build with the same features as the
# server binary above, so nothing is compiled twice.
cargo test -p app -p server --features app/ssr

export ZQ_SERVER_BIN="$TESTED_SERVER"
export ZQ_SITE_ROOT="$ROOT/target/site"

step "integration tests: the real server over HTTP"
node --test --test-concurrency=1 --test-timeout=300000 tests/http/

step "end-to-end tests: headless Chromium"
# A file's tests run inside one test of the runner, so the timeout bounds a whole file: the
# accessibility pass (12 page sets at two widths in two languages) takes about 7 minutes on
# 2 cores.
node --test --test-concurrency=1 --test-timeout=900000 tests/e2e/
