#!/usr/bin/env bash
# Builds the UI into ui/dist, which the app embeds (the test build and the release build).
#
# `--if-stale` builds only when ui/dist is missing or older than the UI's sources: Vite
# rewrites ui/dist on every build, and a rewritten ui/dist rebuilds the app's crate (and, in
# a release build, its whole-program LTO: minutes).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

stale() {
  [ ! -f ui/dist/index.html ] ||
    [ -n "$(find ui/src crates/tauri-plugin-beckon/guest-js ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts ui/tsconfig.json \
      -newer ui/dist/index.html -print -quit 2>/dev/null)" ]
}
case "${1:-}" in
  "") npm --prefix ui run --silent build ;;
  --if-stale) if stale; then npm --prefix ui run --silent build; fi ;;
  *)
    echo "usage: $0 [--if-stale]" >&2
    exit 2
    ;;
esac
