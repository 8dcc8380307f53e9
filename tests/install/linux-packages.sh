#!/usr/bin/env bash
# The Linux packages that scripts/package.sh built, as a person gets them. The .deb is
# installed with apt-get (which brings in the dependencies it declares) and checked: its
# binary, its desktop entry and the beckon:// handler it registers, its icons. The installed
# app is then driven through WebDriver: it signs in, keeps the session in the keyring across a
# restart, and a beckon:// link opened through the system's handler (gio open) signs it in.
# Last, the package is purged and nothing of it may be left. The .rpm's metadata is checked.
# Every check runs and is counted; the last line is "install: N passed, N failed".
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root" || exit 1

# Installing and removing packages needs root.
as_root=()
if [ "$(id -u)" -ne 0 ]; then as_root=(sudo); fi

passed=0
failed=0
log="$(mktemp)"
check() {
  local what="$1"
  shift
  if "$@" >"$log" 2>&1; then
    echo "ok      $what"
    passed=$((passed + 1))
  else
    echo "FAILED  $what"
    sed 's/^/        /' "$log" | tail -n 30
    failed=$((failed + 1))
  fi
}
finish() {
  echo "install: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
  exit $?
}

deb="$(find target/release/bundle/deb -maxdepth 1 -name '*.deb' 2>/dev/null | head -n 1)"
rpm="$(find target/release/bundle/rpm -maxdepth 1 -name '*.rpm' 2>/dev/null | head -n 1)"
check "scripts/package.sh made a .deb and an .rpm" test -f "$deb" -a -f "$rpm"
if [ ! -f "$deb" ] || [ ! -f "$rpm" ]; then finish; fi

package="$(dpkg-deb -f "$deb" Package)"
depends="$(dpkg-deb -f "$deb" Depends)"
check "the .deb depends on WebKitGTK 4.1, GTK 3 and D-Bus ($depends)" \
  bash -c "grep -q libwebkit2gtk-4.1-0 <<<'$depends' && grep -q libgtk-3-0 <<<'$depends' && grep -q libdbus-1-3 <<<'$depends'"
requires="$(rpm -qp --requires "$rpm" 2>/dev/null)"
check "the .rpm requires WebKitGTK 4.1, GTK 3 (by soname) and D-Bus" \
  bash -c "grep -q 'libwebkit2gtk-4.1.so.0' <<<'$requires' && grep -q 'libgtk-3.so.0' <<<'$requires' && grep -qx 'dbus-libs' <<<'$requires'"
check "the .rpm holds the binary and the desktop entry" \
  bash -c "rpm -qpl '$rpm' | grep -q '^/usr/bin/' && rpm -qpl '$rpm' | grep -q '^/usr/share/applications/.*\.desktop$'"

# A package left from an earlier run is removed first, so this one installs afresh.
dpkg -s "$package" >/dev/null 2>&1 && "${as_root[@]}" apt-get purge -y -q "$package" >/dev/null
check "apt-get installs the .deb with its dependencies" \
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "./$deb"

files="$(dpkg -L "$package" 2>/dev/null)"
binary="$(grep '^/usr/bin/' <<<"$files" | head -n 1)"
desktop="$(grep '^/usr/share/applications/.*\.desktop$' <<<"$files" | head -n 1)"
check "the binary is installed and runs ($binary)" test -x "$binary"
check "the desktop entry is valid ($desktop)" desktop-file-validate "$desktop"
check "the desktop entry starts the binary with the link it is given" \
  grep -Eq "^Exec=$(basename "$binary") %u$" "$desktop"
check "the desktop entry handles beckon:// links" \
  grep -q '^MimeType=.*x-scheme-handler/beckon;' "$desktop"
check "the system knows the app as the beckon:// handler" \
  grep -q "^x-scheme-handler/beckon=.*$(basename "$desktop")" /usr/share/applications/mimeinfo.cache
for icon in 32x32 128x128 256x256@2; do
  check "a $icon icon is installed" \
    bash -c "grep -q '^/usr/share/icons/hicolor/$icon/apps/.*\.png$' <<<'$files'"
done

# The installed app, driven like the development build in the end-to-end test, whose build
# this reuses (the test build's selection and features: another would compile the test's
# dependencies again, a minute and a half of CPU).
# shellcheck source=scripts/test-features.sh
source scripts/test-features.sh
check "the installed app signs in, restarts signed in, and opens beckon:// links" \
  env BECKON_E2E_APP="$binary" BECKON_E2E_OPEN_WITH="gio open" \
  xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash scripts/with-keyring.sh \
  cargo test --workspace "${test_features[@]}" --test e2e -- --test-threads=1 --exact \
  sign_in::enchanted_link_signs_the_desktop_in \
  session::the_session_survives_a_restart_and_sign_out_forgets_it \
  magic::a_beckon_link_opened_on_this_computer_signs_the_running_app_in

check "apt-get purges the package" \
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "$package"
left="$(while IFS= read -r f; do [ -f "$f" ] && echo "$f"; done <<<"$files")"
check "no file of the package is left" test -z "$left"
check "the beckon:// handler is gone with it" \
  bash -c "! grep -q '^x-scheme-handler/beckon=' /usr/share/applications/mimeinfo.cache"


# beckon-server's systemd unit, on the test build's binary (scripts/test.sh builds it; the
# server's release build is the benchmark's and the release workflow's, which checks it starts
# with tests/install/server-answers.sh as this does).
server="$root/target/debug/beckon-server"
check "beckon-server starts and answers (the test build)" bash tests/install/server-answers.sh "$server"
unit="$(mktemp -d)/beckon-server.service"
sed "s#^ExecStart=/usr/local/bin/beckon-server#ExecStart=$server#" deploy/beckon-server.service >"$unit"
check "systemd-analyze verifies the systemd unit" systemd-analyze verify "$unit"

finish
