#!/usr/bin/env bash
# The benchmark (crates/beckon-bench): the held wait against polling and Descope's Node SDK,
# many desktops waiting at once, two replicas, throughput, the app's idle memory and first
# paint, and what the plugin costs an app (the example against the same app without it), all
# on this machine's loopback, on release builds (the quick run: on the test build).
# Prints a Markdown table (docs/performance.md shows one from a full run).
#
#   ./scripts/bench.sh          the full run (about fifteen minutes on 2 cores, builds included)
#   ./scripts/bench.sh --quick  a short version of every row, under a minute, on the test
#                               build (CI runs it after the tests): it checks the rows run
#   ./scripts/bench.sh --only 3,6   only those rows (with or without --quick)
#
# Run ./scripts/setup.sh once first. Exits non-zero when a row fails or gathers too few
# samples.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

args=()
while [ "$#" -gt 0 ]; do
  case "$1" in
    --quick) args+=(--quick) ;;
    --only) args+=(--only "${2:?--only takes row numbers, such as 3,6}"); shift ;;
    *) echo "usage: scripts/bench.sh [--quick] [--only N,N]" >&2; exit 2 ;;
  esac
  shift
done

quick=false
for arg in "${args[@]}"; do [ "$arg" = --quick ] && quick=true; done
if [ "$quick" = true ]; then
  # The quick run checks that every row still runs, not what it measures: it takes the
  # binaries scripts/test.sh builds (after it, in CI, nothing is built again).
  echo "bench: the test build (debug; its figures say nothing of speed), and the load generator" >&2
  # shellcheck source=scripts/test-features.sh
  source scripts/test-features.sh
  ./scripts/build-ui.sh --if-stale >&2
  cargo test --workspace --locked "${test_features[@]}" --no-run >&2
  build=target/debug
else
  echo "bench: release builds (the server and the app as packaged; the load generator)" >&2
  cargo build --release --locked -p beckon-server >&2
  # The app as scripts/package.sh builds it, so after it nothing is built again.
  ./scripts/build-release-app.sh --if-stale >&2
  # Row 8: the example and the same app without the plugin, built as the app is (a panic
  # aborts), so the two share the app's compiled dependencies.
  CARGO_PROFILE_RELEASE_PANIC=abort cargo build --release --locked \
    -p beckon-example-app -p beckon-bench-plain-app \
    --features beckon-example-app/custom-protocol,beckon-bench-plain-app/custom-protocol >&2
  build=target/release
fi
cargo build --profile bench-tool --locked -p beckon-bench >&2

# Its own port, so a test run's server is left alone. Throwaway: fsync is off, as in the tests.
echo "bench: a throwaway PostgreSQL server on port 55442 (scripts/test-postgres.sh)" >&2
postgres="$(./scripts/test-postgres.sh start 55442)"
trap './scripts/test-postgres.sh stop 55442 >/dev/null 2>&1 || true' EXIT

# Ten thousand desktops hold ten thousand connections, and the server as many: this shell's
# soft file limit goes up to its hard one, for the bench and the servers it starts.
ulimit -n "$(ulimit -Hn)"

# The app's row needs a display, a D-Bus session and a keyring, as in the end-to-end test.
# Rows go to stderr as they are measured (with whatever the desktop's daemons print); the
# table alone, at the end, to stdout.
table="$(mktemp)"
trap './scripts/test-postgres.sh stop 55442 >/dev/null 2>&1 || true; rm -f "$table"' EXIT
xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash scripts/with-keyring.sh \
  target/bench-tool/beckon-bench "${args[@]}" \
  --server "$build/beckon-server" \
  --app "$build/beckon-desktop" \
  --example "$build/beckon-example-app" \
  --plain "$build/beckon-bench-plain-app" \
  --postgres "$postgres" \
  --node-dir tests/conformance/node \
  --table "$table" >&2
cat "$table"
