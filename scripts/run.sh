#!/usr/bin/env bash
# Installs what Beckon needs, starts a local beckon-server, and opens the desktop app
# against it. Closing the window stops the server.
#
# The server runs in development mode (--dev): messages go to its outbox, not out. To open the
# outbox from a phone on your own network (everyone on it can then sign in as anyone):
#   BECKON_LISTEN=0.0.0.0:8787 BECKON_PUBLIC_URL=http://<this-machine's-LAN-IP>:8787 \
#     BECKON_DEV_UNSAFE_ON_NETWORK=true ./scripts/run.sh
#
# `./scripts/run.sh --no-window` does all of it but open the window: it checks that the server
# answers, then stops it (scripts/try-fresh-debian.sh runs it so on a fresh system).
set -euo pipefail

window=true
case "${1:-}" in
  "") ;;
  --no-window) window=false ;;
  *)
    echo "usage: $0 [--no-window]" >&2
    exit 2
    ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

./scripts/setup.sh
(cd ui && npm run --silent build)
cargo build -p beckon-server -p beckon-desktop --features beckon-desktop/custom-protocol

listen="${BECKON_LISTEN:-127.0.0.1:8787}"
port="${listen##*:}"
server_pid=""
if curl -fsS "http://127.0.0.1:${port}/.well-known/beckon-project" >/dev/null 2>&1; then
  echo "run: using the beckon-server already on port ${port}"
else
  BECKON_LISTEN="$listen" ./target/debug/beckon-server --dev &
  server_pid=$!
  trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null' EXIT
  for _ in $(seq 1 50); do
    curl -fsS "http://127.0.0.1:${port}/.well-known/beckon-project" >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
if ! curl -fsS "http://127.0.0.1:${port}/.well-known/beckon-project" >/dev/null; then
  echo "run: beckon-server did not answer on port ${port} (its log is above)" >&2
  exit 1
fi
if [ "$window" = false ]; then
  echo "run: beckon-server answers on port ${port}, and the app is built: ./target/debug/beckon-desktop"
  exit 0
fi

export BECKON_BASE_URL="${BECKON_BASE_URL:-http://127.0.0.1:${port}}"
echo "run: open http://127.0.0.1:${port}/dev/outbox to see the sign-in emails"
./target/debug/beckon-desktop
