#!/usr/bin/env bash
# Runs a command with gnome-keyring's Secret Service unlocked on the current D-Bus session bus:
#   dbus-run-session -- bash scripts/with-keyring.sh cargo test -p beckon-e2e
# The keyring files live in a throwaway folder, so tests never touch a developer's own keyring.
set -euo pipefail
XDG_DATA_HOME="$(mktemp -d)"
export XDG_DATA_HOME
mkdir -p "$XDG_DATA_HOME/keyrings"
# --unlock reads the new keyring's password from stdin; the daemon then stays in the background.
eval "$(printf 'beckon-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
