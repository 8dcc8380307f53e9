#!/usr/bin/env bash
# Starts a beckon-server binary on a free loopback port with a new database and exits 0 once
# it answers, printing its log otherwise; the server is stopped either way. The install test
# runs it on the test build, the release workflow on the release build it ships.
#
#   bash tests/install/server-answers.sh BINARY
set -uo pipefail

server="${1:?usage: server-answers.sh BINARY}"
dir="$(mktemp -d)"
pid=""
# shellcheck disable=SC2317,SC2329  # run by the trap
finish() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap finish EXIT
# The server refuses BECKON_* variables it does not know: the caller's own are not for it.
unset_ours=()
while IFS= read -r name; do unset_ours+=(-u "$name"); done < <(compgen -e | grep '^BECKON_' || true)
env "${unset_ours[@]}" "$server" --dev --listen 127.0.0.1:0 --database "sqlite://$dir/beckon.db" >"$dir/log" 2>&1 &
pid=$!
# Up to 30 s: a busy machine starts it slowly.
for _ in $(seq 1 300); do
  url="$(grep -o 'http://127.0.0.1:[0-9]*' "$dir/log" | head -n 1)"
  if [ -n "$url" ] && curl -fsS "$url/.well-known/beckon-project" >/dev/null; then
    echo "$server answers at $url"
    exit 0
  fi
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
echo "$server did not answer; its log:" >&2
cat "$dir/log" >&2
exit 1
