#!/usr/bin/env bash
# Installs everything Beckon needs to build, run and test on Debian/Ubuntu.
# Idempotent: safe to run again; it only installs what is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

# Tauri's build needs (webkit, rsvg, appindicator, xdo), end-to-end test needs (Xvfb,
# WebKitWebDriver, a D-Bus session and the Secret Service), the Python SDK check, and
# imagemagick for screenshots.
apt_packages=(
  build-essential file pkg-config curl
  libwebkit2gtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev
  xvfb xauth webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools
  python3-venv imagemagick
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing; install it from https://rustup.rs and run this again" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing Node.js and npm"
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q nodejs npm
fi

# The UI's packages, including the Tauri CLI (a prebuilt binary from npm). `npm ci` refuses a
# lock that lacks other platforms' optional packages (esbuild, rollup and the Tauri CLI ship
# one per OS); a registry mirror that carries only Linux builds produces such a lock. Then
# install from the same lock with `npm install`, which keeps its pinned versions.
(
  cd ui
  if ! npm ci --no-audit --no-fund --loglevel=error 2>/tmp/beckon-npm-ci.log; then
    echo "setup: npm ci refused the lock ($(grep -m1 -o 'can only install.*in sync' /tmp/beckon-npm-ci.log || echo 'see /tmp/beckon-npm-ci.log')); using npm install"
    npm install --no-audit --no-fund
  fi
)

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end test.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked
fi

# Descope's official Python SDK, for the wire-compatibility test (kept in a local venv).
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import descope' 2>/dev/null; then
  echo "setup: installing Descope's Python SDK into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q descope==2.16.0
fi

echo "setup: done"
