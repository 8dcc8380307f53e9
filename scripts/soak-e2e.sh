#!/usr/bin/env bash
# Runs the end-to-end test RUNS times in a row (default 5) while the machine is kept busy by
# a parallel build, to show it passes on a loaded machine, not only an idle one. Prints one
# line per run and closes with "N passed, N failed"; exits non-zero if any run failed.
# Needs what ./scripts/test.sh installs and builds (run it, or ./scripts/setup.sh, first).
#
#   ./scripts/soak-e2e.sh [RUNS]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"
runs="${1:-5}"

# The binaries the end-to-end test drives, as scripts/test.sh builds them.
# shellcheck source=scripts/test-features.sh
source scripts/test-features.sh
./scripts/build-ui.sh --if-stale
cargo test -q --workspace "${test_features[@]}" --no-run

# The load: a release build of beckon-server into a throwaway target folder, started over
# each time it finishes, in a process group of its own so that all of it stops at the end.
load_dir="$(mktemp -d)"
setsid bash -c "while true; do CARGO_TARGET_DIR='$load_dir' cargo build --release -q -p beckon-server >/dev/null 2>&1; rm -rf '$load_dir/release'; done" &
load=$!
trap 'kill -- "-$load" 2>/dev/null || true; wait "$load" 2>/dev/null || true; rm -rf "$load_dir"' EXIT

passed=0
failed=0
for run in $(seq 1 "$runs"); do
  log="$(mktemp)"
  start=$(date +%s)
  if xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash scripts/with-keyring.sh \
    cargo test -q --workspace "${test_features[@]}" --test e2e -- --test-threads=1 >"$log" 2>&1; then
    passed=$((passed + 1))
    echo "soak run $run ... ok ($(( $(date +%s) - start )) s, load: $(cut -d' ' -f1 /proc/loadavg))"
  else
    failed=$((failed + 1))
    echo "soak run $run ... FAILED ($(( $(date +%s) - start )) s); its output:"
    tail -n 40 "$log"
  fi
  rm -f "$log"
done
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
