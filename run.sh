#!/usr/bin/env bash
# Installs what is missing, builds the app in release mode and serves it on
# http://127.0.0.1:3000 with an embedded SQLite database (data/ziyaly-qauym.sqlite) holding
# the program's villages and demo data. Extra arguments go to the server (see --help).
source "$(dirname "$0")/.ci/lib.sh"

ensure_rust_tools
ensure_node_modules
build_release

step "starting the server (Ctrl-C stops it)"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
exec "$ROOT/target/release/server" "$@"
