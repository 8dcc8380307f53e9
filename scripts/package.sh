#!/usr/bin/env bash
# Builds the release artifacts that can be built on this machine, and prints their sizes:
# the desktop app's .deb and .rpm (scripts/build-release-app.sh, then `tauri bundle`), and the
# beckon-server binary.
#
#   ./scripts/package.sh             both
#   ./scripts/package.sh --app-only  the app's packages only (scripts/test.sh, which installs
#                                    them; the server's release build is the benchmark's and
#                                    the release workflow's, which each check it starts)
# The AppImage is left to the release workflow (.github/workflows/release.yml): its bundler
# step downloads AppRun and linuxdeploy from GitHub, which these machines cannot reach.
# Run ./scripts/setup.sh once first.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

server=true
case "${1:-}" in
  "") ;;
  --app-only) server=false ;;
  *)
    echo "usage: $0 [--app-only]" >&2
    exit 2
    ;;
esac

echo "package: the desktop app (release, LTO, stripped, panic = abort) as .deb and .rpm"
# The UI as the tests just built it, if they did (a rebuilt ui/dist would rebuild the test
# build's app too).
./scripts/build-release-app.sh --if-stale
CI=true npm --prefix ui run --silent tauri bundle -- --bundles deb,rpm \
  --config '{"build":{"beforeBuildCommand":""}}'

if [ "$server" = true ]; then
  echo "package: beckon-server (release)"
  cargo build --release --locked -p beckon-server
fi

size() { stat -c %s "$1"; }
row() { printf '%-44s %10s bytes  %6s MiB\n' "$1" "$(size "$2")" \
  "$(awk -v b="$(size "$2")" 'BEGIN { printf "%.1f", b / 1048576 }')"; }
deb=$(find target/release/bundle/deb -maxdepth 1 -name '*.deb' | head -n 1)
rpm=$(find target/release/bundle/rpm -maxdepth 1 -name '*.rpm' | head -n 1)
echo
echo "package: sizes (stat -c %s)"
row "desktop app binary (target/release)" target/release/beckon-desktop
row "$(basename "$deb")" "$deb"
row "$(basename "$rpm")" "$rpm"
if [ "$server" = true ]; then
  row "beckon-server binary (target/release)" target/release/beckon-server
fi
