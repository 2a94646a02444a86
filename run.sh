#!/usr/bin/env bash
# Installs what is missing, builds the app in release mode and serves it on
# http://127.0.0.1:3000 with an embedded SQLite database (data/ziyaly-qauym.sqlite) holding
# the program's villages and demo data. Extra arguments go to the server (see --help), e.g.
# `bash run.sh --demo-data false`.
source "$(dirname "$0")/.ci/lib.sh"

ensure_rust_tools
ensure_node_modules
build_release

step "starting the server (Ctrl-C stops it)"
export LEPTOS_SITE_ROOT="$ROOT/target/site"
# The server leaves demo data out unless asked; this script is the first look at the app, so
# it asks, through the variable rather than a flag: a `--demo-data` among the arguments (or a
# ZQ_DEMO_DATA already set) wins over it.
export ZQ_DEMO_DATA="${ZQ_DEMO_DATA:-true}"
exec "$ROOT/target/release/server" "$@"
