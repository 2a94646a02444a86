# Shared by run.sh, test.sh, .ci/run and the benchmarks: installs what is missing (and only
# that), and sets the build environment. Source it; do not run it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

CARGO_LEPTOS_VERSION="0.3.10"
# The wasm-bindgen CLI must equal the library in Cargo.lock exactly.
WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
# The name cargo-leptos gives the js/wasm/css (its `name`). Leptos reads it at compile time,
# so every cargo command here sets the same value and they share one build cache.
export LEPTOS_OUTPUT_NAME="ziyaly-qauym"

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_rust_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
    step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 14 minutes on 2 cores, once)"
    # no_downloads: a missing tool fails loudly instead of being fetched from GitHub.
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION" --features no_downloads
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
    step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
    # Not --locked: the registry here lacks one of its locked dependencies.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

ensure_lint_tools() {
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
}

ensure_node_modules() {
  # wasm-opt (npm binaryen) for release builds; playwright-core for the browser tests;
  # Leaflet for the village map; pg for the tests on PostgreSQL.
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] || [ ! -d node_modules/pg ] \
     || [ ! -f node_modules/leaflet/dist/leaflet.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "installing npm packages (leaflet, binaryen, playwright-core, axe-core, pg)"
    npm ci --no-audit --no-fund
  fi
  vendor_leaflet
}

# The app serves Leaflet itself (never from a CDN: the map must work offline, and the service
# worker precaches these two files); cargo-leptos copies public/ into the site.
vendor_leaflet() {
  mkdir -p public/vendor/leaflet
  cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
     node_modules/leaflet/LICENSE public/vendor/leaflet/
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Debian's chromium for the browser tests"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
  fi
}

# Debian's PostgreSQL for the second backend's tests (issue 18): installed when missing, and a
# cluster of its own, `zq` on port 5433, started as root with pg_ctlcluster (no systemd). It
# trusts connections from this machine only and skips fsync: it holds test data, nothing else.
# Sets ZQ_TEST_POSTGRES to an administrator's URL; each test makes a database of its own.
ZQ_POSTGRES_PORT=5433
ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    step "installing Debian's PostgreSQL for the tests on the second backend"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql
  fi
  local version
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  if ! pg_lsclusters --no-header | awk '{ print $2 }' | grep -qx zq; then
    step "creating the PostgreSQL test cluster zq (port $ZQ_POSTGRES_PORT)"
    as_root pg_createcluster "$version" zq --port "$ZQ_POSTGRES_PORT" \
      -o fsync=off -o synchronous_commit=off -o full_page_writes=off -o max_connections=300 \
      -- --auth-local=trust --auth-host=trust >/dev/null
  fi
  if ! pg_lsclusters --no-header | awk '$2 == "zq" && $4 == "online"' | grep -q .; then
    as_root pg_ctlcluster "$version" zq start
  fi
  export ZQ_TEST_POSTGRES="postgres://postgres@127.0.0.1:$ZQ_POSTGRES_PORT/postgres"
}

# cargo-leptos adds `--cfg erase_components` to debug builds; release builds ask for it too, and
# plain cargo commands get the same flags so they reuse those builds instead of compiling
# everything again.
use_build_flags() {
  export RUSTFLAGS="--cfg erase_components"
}

# Every page is a wasm chunk of its own (`--split`, README "Light on a rural phone"); the tests
# build the same way, so they load pages through chunks as phones do.
build_debug() {
  use_build_flags
  step "building the app (debug)"
  cargo leptos build --split
}

# What the tests run: the browser side as phones get it (the release build, split and
# precompressed), served by a debug server, which renders the same HTML and sends files the
# same way while building in a fraction of a release server's time. The server reads the
# site's hashes beside its binary (hash.txt), so a copy of it runs from target/release/. One
# browser build serves the browser tests and the first-load budget, and release wasm loads
# in Chromium many times faster than debug wasm.
TESTED_SERVER="$ROOT/target/release/server-under-test"
TESTED_POSTGRES_SERVER="$ROOT/target/release/server-postgres"
build_for_tests() {
  use_build_flags
  step "building the server (debug)"
  cargo leptos build --split --server-only
  step "building the browser side (release)"
  cargo leptos build --release --split --precompress --frontend-only
  cp "$ROOT/target/debug/server" "$TESTED_SERVER"
  # The same server with its store on PostgreSQL (issue 18), for the second run of the HTTP
  # tests; built last, so target/debug/server is this one afterwards.
  step "building the server on PostgreSQL (debug)"
  cargo leptos build --split --server-only --bin-features postgres
  cp "$ROOT/target/debug/server" "$TESTED_POSTGRES_SERVER"
}

# Release builds also write each site file precompressed (brotli 11 and gzip) for the server.
# They erase component types too, like debug builds (issue 16): the wasm of a page is smaller
# (sign-in first load 526 -> 483 KiB brotli), and server and browser render from the same types.
build_release() {
  use_build_flags
  step "building the app (release)"
  cargo leptos build --release --split --precompress
}

# The release server on both backends, for the benchmarks that compare them (backends.sh,
# flaky.sh): target/release/server-sqlite-bench and server-postgres-bench. target/release/server
# is run.sh's and keeps its SQLite build.
BENCH_SQLITE_SERVER="$ROOT/target/release/server-sqlite-bench"
BENCH_POSTGRES_SERVER="$ROOT/target/release/server-postgres-bench"
build_bench_servers() {
  build_release
  cp "$ROOT/target/release/server" "$BENCH_SQLITE_SERVER"
  step "building the server on PostgreSQL (release)"
  cargo leptos build --release --split --server-only --bin-features postgres
  cp "$ROOT/target/release/server" "$BENCH_POSTGRES_SERVER"
  cp "$BENCH_SQLITE_SERVER" "$ROOT/target/release/server"
}
