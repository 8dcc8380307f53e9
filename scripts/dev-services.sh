#!/usr/bin/env bash
# `cargo tauri dev` runs this first (build.beforeDevCommand): a local beckon-server, unless
# one is already up, and the Vite dev server with hot reload. Both stop with it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if ! curl -fsS http://127.0.0.1:8787/.well-known/beckon-project >/dev/null 2>&1; then
  cargo run --quiet -p beckon-server -- --dev &
  server_pid=$!
  trap 'kill "$server_pid" 2>/dev/null' EXIT
fi
cd ui
npm run dev
