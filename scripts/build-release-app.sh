#!/usr/bin/env bash
# Builds the desktop app's release binary (target/release/beckon-desktop) the one way
# scripts/package.sh and scripts/bench.sh both use, so the second finds it built: the UI
# first, then `tauri build --no-bundle` with the UI's build taken out of Tauri's hands. Vite
# rewrites ui/dist on every build, and Tauri hands its configuration to the app's build
# script: a change to either rebuilds the app's crate and its whole-program LTO (minutes).
#
# `--if-stale` builds the UI only when ui/dist is missing or older than the UI's sources
# (scripts/build-ui.sh).
#
# The app aborts on a panic: a smaller binary, and no half-finished flow left running. The
# server keeps unwinding (a panicking request must not take it down), so this is set for the
# app's build only.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

./scripts/build-ui.sh ${1:+"$1"}
CARGO_PROFILE_RELEASE_PANIC=abort CI=true npm --prefix ui run --silent tauri build -- \
  --no-bundle --config '{"build":{"beforeBuildCommand":""}}'
