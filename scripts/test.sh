#!/usr/bin/env bash
# Runs every test: formatting and lints, UI unit tests, the Windows build and its tests under
# Wine, server and SDK integration tests, Descope's Python and Node SDKs against beckon-server,
# the end-to-end test of the real desktop app in a real webview (under Xvfb), and the app's
# release packages built, installed and run.
# Installs what is missing first (scripts/setup.sh --test).
#
# `./scripts/test.sh --quick` runs only what needs no outside service and no release build:
# formatting and lints, the UI's tests, and the Rust tests (those that need PostgreSQL skip
# themselves and say so). The full run skips nothing: it sets BECKON_TEST_REQUIRE_ALL, so a
# test whose service is missing fails instead of skipping.
set -euo pipefail

quick=false
case "${1:-}" in
  "") ;;
  --quick) quick=true ;;
  *)
    echo "usage: $0 [--quick]" >&2
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

# Each step's heading says how long the run has taken so far (bash's SECONDS) and the CPU
# time its finished commands used (user + system, from this shell's /proc entry), so a log
# shows where the time goes.
ticks="$(getconf CLK_TCK)"
step() {
  local cpu
  cpu="$(awk -v t="$ticks" '{ printf "%d", ($16 + $17) / t }' "/proc/$$/stat")"
  printf '\n==> [%d:%02d, CPU %d s] %s\n' $((SECONDS / 60)) $((SECONDS % 60)) "$cpu" "$*"
}

# The checkout as found: the run must leave it so (checked last).
checkout_before="$(git status --porcelain 2>/dev/null || true)"

step "setup (the test profile)"
./scripts/setup.sh --test

step "format, UI type check, shell scripts, release workflow, icons"
cargo fmt --all -- --check
(cd ui && npm run --silent typecheck)
shellcheck scripts/*.sh tests/install/*.sh .ci/run
.venv/bin/actionlint
./scripts/check-icons.sh

step "UI unit tests (vitest)"
(cd ui && npx vitest run)

step "UI build (embedded in the test binary), and the example app's page"
./scripts/build-ui.sh

# Early, so that a `cfg(windows)` error fails the run in minutes; its builds go to
# target/windows, apart from the Linux ones below.
if [ "$quick" = false ]; then
  step "Windows: the app's .exe and its tests built for Windows, and run under Wine"
  ./scripts/check-windows.sh
fi

# One feature set for every cargo step, so nothing compiles twice (scripts/test-features.sh).
# shellcheck source=scripts/test-features.sh
source scripts/test-features.sh
features=("${test_features[@]}")

step "clippy"
cargo clippy --workspace --all-targets "${features[@]}" -- -D warnings

if [ "$quick" = true ]; then
  step "Rust tests that need no outside service (the rest skip themselves and say so)"
  cargo test --workspace --exclude beckon-e2e "${features[@]}"
  step "quick checks passed (./scripts/test.sh runs everything)"
  exit 0
fi

step "build beckon-server, the desktop app and every test"
cargo test --workspace "${features[@]}" --no-run

# From here on nothing may be skipped: a test whose service is missing fails.
export BECKON_TEST_REQUIRE_ALL=1

step "a throwaway PostgreSQL server for the tests (scripts/test-postgres.sh)"
BECKON_TEST_POSTGRES="$(./scripts/test-postgres.sh start)"
export BECKON_TEST_POSTGRES
trap './scripts/test-postgres.sh stop' EXIT

step "Rust tests: SDK, server, app (unit, integration, doc), and the server's fault suite"
cargo test --workspace --exclude beckon-e2e "${features[@]}"

step "the server's tests again, on PostgreSQL"
BECKON_TEST_BACKEND=postgres cargo test --workspace --exclude beckon-e2e "${features[@]}" --test server

step "Descope's official Python SDK against beckon-server"
.venv/bin/python -m pytest tests/conformance -q

step "Descope's official Node SDK against beckon-server"
(cd tests/conformance/node && npm test)

step "end-to-end: the desktop app through WebDriver (Xvfb, gnome-keyring)"
xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash scripts/with-keyring.sh \
  cargo test --workspace "${features[@]}" --test e2e -- --test-threads=1

# What crates.io and npm would get, built from the packages themselves: cargo packages the four
# crates together (one depends on the next) and builds each from its .crate file.
#
# Cargo serves the packed crates to each other from a registry under target/package, unpacks
# them into $CARGO_HOME/registry/src/-<hash of that folder's path>/, and never unpacks a
# version again while a copy is there; builds of them under target/package are likewise never
# redone. A second run in the same folder, after a change that kept the version, would so build
# against the first run's crates (a fresh clone at a path an earlier run used failed that way).
# Each run starts from fresh copies and leaves none.
forget_packed_crates() {
  local crate
  for crate in beckon-proto beckon-sdk beckon-session tauri-plugin-beckon; do
    rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/"$crate"-[0-9]*
  done
  rm -rf "${CARGO_TARGET_DIR:-target}/package"
}
step "publish dry runs: beckon-proto, beckon-sdk, beckon-session, tauri-plugin-beckon, and the web package"
forget_packed_crates
cargo publish --dry-run --workspace --allow-dirty --locked
forget_packed_crates
(cd crates/tauri-plugin-beckon && npm pack --dry-run --loglevel=warn)

# The app's packages only: the server's release build is left to the benchmark and the
# release workflow (each checks it starts), the tests having run on the test build.
step "release packages: the desktop app's .deb and .rpm (scripts/package.sh --app-only)"
./scripts/package.sh --app-only

step "the packages as a person gets them: installed, run, removed"
bash tests/install/linux-packages.sh

step "the checkout is as the tests found it"
checkout_after="$(git status --porcelain 2>/dev/null || true)"
if [ "$checkout_after" != "$checkout_before" ]; then
  diff <(printf '%s\n' "$checkout_before") <(printf '%s\n' "$checkout_after") || true
  echo "test: the run changed or left files in the checkout (above); a test must not" >&2
  exit 1
fi

step "all tests passed"
