#!/usr/bin/env bash
# Builds the UI into ui/dist, which the app embeds (the test build and the release build), and
# the example app's page into examples/tauri-app/dist (with the UI's tools).
#
# `--if-stale` builds only when ui/dist is missing or older than the UI's sources: Vite
# rewrites ui/dist on every build, and a rewritten ui/dist rebuilds the app's crate (and, in
# a release build, its whole-program LTO: minutes).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stale() {
  [ ! -f ui/dist/index.html ] || [ ! -f examples/tauri-app/dist/index.html ] ||
    [ -n "$(find ui/src crates/tauri-plugin-beckon/guest-js examples/tauri-app/main.ts examples/tauri-app/style.css examples/tauri-app/index.html ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts ui/tsconfig.json \
      -newer ui/dist/index.html -print -quit 2>/dev/null)" ]
}
build() {
  npm --prefix ui run --silent build
  ui/node_modules/.bin/vite build --logLevel warn examples/tauri-app
}
case "${1:-}" in
  "") build ;;
  --if-stale) if stale; then build; fi ;;
  *)
    echo "usage: $0 [--if-stale]" >&2
    exit 2
    ;;
esac
