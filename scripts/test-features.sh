# shellcheck shell=bash
# The test build's one feature set, sourced by scripts/test.sh, bench.sh and soak-e2e.sh: the
# UI embedded in the app, the example app and the benchmark's plain app, and the server's fault
# hooks for the fault suite (inert unless a test sets their variables; release builds never
# have them). Every cargo step that uses it
# selects the whole workspace and builds as `cargo test` does (dev-dependencies in): cargo
# resolves features for the packages selected, so `cargo build -p …` or
# `cargo test -p beckon-e2e` would build tokio, sqlx, tauri and GTK's bindings again with
# other features.
# shellcheck disable=SC2034  # used by the scripts that source this
test_features=(--features "beckon-desktop/custom-protocol beckon-example-app/custom-protocol beckon-bench-plain-app/custom-protocol beckon-server/fault-hooks")
