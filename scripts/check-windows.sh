#!/usr/bin/env bash
# The Windows build, made and tested on Linux (scripts/test.sh runs it; CONTRIBUTING says more):
#
#   1. builds for x86_64-pc-windows-gnu what runs on Windows: the desktop app's .exe with the
#      UI embedded, and the test binaries step 3 runs (which compile the app, the SDK, the
#      protocol and the beckon-server library their flow tests start in-process), so a
#      `cfg(windows)` error or warning in any of them, in a test or a dev-only block too, fails
#      here and not on release day. The server's own suites, the end-to-end tests and the
#      benchmark run only on Linux and are not built for Windows (linking them took most of
#      this step's time);
#   2. checks that the .exe needs only DLLs every Windows 10 has, and WebView2Loader.dll (a
#      mingw build loads WebView2 through it, beside the .exe; the release workflow's MSVC
#      build links that loader in);
#   3. runs the Windows test binaries under Wine: the SDK's and the protocol's unit tests, and
#      the desktop app's, among them its Windows cases against Wine's Credential Manager and
#      its %APPDATA% folder (named and counted; a count of zero fails).
#
# Wine runs no webview (WebView2), and deep-link registration and the single-instance hand-over
# happen only inside a running Tauri app: the release workflow runs the same tests on a real
# Windows and builds the installers there, but no test yet drives the window on Windows.
# Wine 8 lacks one DLL every Rust program imports; the test prefix gets a stand-in
# (tests/windows/bcryptprimitives.c), which nothing ships.
#
# No registry here ships Rust's standard library for Windows, so it is built from source
# (-Zbuild-std) with Debian's Rust, which comes with that source (rustc-web, rust-web-src),
# and linked by mingw-w64. Everything goes to target/windows, apart from the Linux build.
# Needs `npm --prefix ui run build` first (the .exe embeds ui/dist); scripts/setup.sh installs
# the rest.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

target=x86_64-pc-windows-gnu
export CARGO_TARGET_DIR="$root/target/windows"
out="$CARGO_TARGET_DIR/$target/debug"

# Debian's toolchain, not rustup's (which comes first on PATH and has no Windows std here).
cargo=/usr/bin/cargo
export RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc
# -Zbuild-std is unstable; Debian's stable rustc allows it with this.
export RUSTC_BOOTSTRAP=1
# Debian's wine64 package puts its loader here, not on PATH.
wine=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver
for tool in "$cargo" "$RUSTC" x86_64-w64-mingw32-gcc x86_64-w64-mingw32-objdump "$wine"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-windows: $tool is missing; run ./scripts/setup.sh" >&2
    exit 1
  fi
done
if [ ! -f ui/dist/index.html ]; then
  echo "check-windows: the UI is not built; run: npm --prefix ui run build" >&2
  exit 1
fi
# A cold build: no incremental state to write, and no debug info to link (far faster).
export CARGO_INCREMENTAL=0 CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0

step() { printf '\n--> windows: %s\n' "$*"; }

step "build the app's .exe and the test binaries that run under Wine"
artifacts="$CARGO_TARGET_DIR/artifacts.json"
mkdir -p "$CARGO_TARGET_DIR"
# The compiler's messages about the workspace's own code, and how many are warnings: code
# behind cfg(windows) is held to `-D warnings` as the Linux build's clippy holds the rest.
# (Only the workspace's: Debian's standard library source and the dependencies are not ours.)
diagnostics() {
  python3 - "$artifacts" "$root" <<'PY'
import json, sys
workspace = sys.argv[2] + "/"
warnings = 0
for line in open(sys.argv[1]):
    message = json.loads(line)
    if message.get("reason") != "compiler-message":
        continue
    if not message["manifest_path"].startswith(workspace):
        continue
    print(message["message"]["rendered"], end="", file=sys.stderr)
    warnings += message["message"]["level"] == "warning"
print(warnings)
PY
}
# The libraries' unit tests, the session's flow tests and the plugin's permission test, in
# one build: the app's capability test makes cargo build the app's `.exe` too (checked below),
# with the same features, so Tauri and every other dependency is compiled once.
if ! "$cargo" test -p beckon-proto -p beckon-sdk -p beckon-session -p tauri-plugin-beckon \
  -p beckon-desktop --lib --test flow --test permissions --test capability --no-run \
  --locked --target "$target" \
  -Zbuild-std=std,panic_abort --config "target.$target.linker=\"x86_64-w64-mingw32-gcc\"" \
  --features "beckon-desktop/custom-protocol" \
  --message-format=json >"$artifacts"; then
  diagnostics >/dev/null
  echo "check-windows: the workspace does not build for Windows (above)" >&2
  exit 1
fi
warnings="$(diagnostics)"
if [ "$warnings" -ne 0 ]; then
  echo "check-windows: $warnings warning(s) in the Windows build (above); the build must have none" >&2
  exit 1
fi
exe="$out/beckon-desktop.exe"
if [ ! -f "$exe" ]; then
  echo "check-windows: the build made no $exe" >&2
  exit 1
fi

step "what beckon-desktop.exe needs from the computer"
# Every DLL it imports must be one that Windows 10 and later have, or WebView2Loader.dll,
# which a mingw build of WebView2's bindings loads (from beside the .exe; an MSVC build links
# it statically). mingw's own runtime (libgcc_s_seh-1.dll, libwinpthread-1.dll,
# libstdc++-6.dll) must be linked in, not left for the user to find.
# Windows 10 is the floor: Rust's standard library calls ProcessPrng (bcryptprimitives.dll)
# and WaitOnAddress (api-ms-win-core-synch-l1-2-0.dll), and the WebView2 runtime itself
# supports nothing older.
system_dlls=(
  advapi32.dll api-ms-win-core-synch-l1-2-0.dll api-ms-win-core-winrt-error-l1-1-0.dll
  api-ms-win-core-winrt-l1-1-0.dll api-ms-win-core-winrt-string-l1-1-0.dll bcrypt.dll
  bcryptprimitives.dll combase.dll comctl32.dll comdlg32.dll crypt32.dll dwmapi.dll gdi32.dll
  imm32.dll kernel32.dll ktmw32.dll msvcrt.dll ntdll.dll ole32.dll oleaut32.dll propsys.dll
  rpcrt4.dll secur32.dll shell32.dll shlwapi.dll user32.dll userenv.dll uxtheme.dll
  version.dll winmm.dll ws2_32.dll
)
objdump_out="$(x86_64-w64-mingw32-objdump -p "$exe")"
imports="$(sed -n 's/^[[:space:]]*DLL Name: //p' <<<"$objdump_out" | tr '[:upper:]' '[:lower:]' | sort -u)"
unexpected=()
for dll in $imports; do
  case "$dll" in
    webview2loader.dll) ;;
    *) [[ " ${system_dlls[*]} " == *" $dll "* ]] || unexpected+=("$dll") ;;
  esac
done
echo "imports: $(tr '\n' ' ' <<<"$imports")"
if [ "${#unexpected[@]}" -gt 0 ]; then
  echo "check-windows: beckon-desktop.exe needs DLLs a Windows computer does not have: ${unexpected[*]}" >&2
  exit 1
fi
if ! grep -qx 'webview2loader.dll' <<<"$imports"; then
  echo "check-windows: beckon-desktop.exe does not load WebView2 (no WebView2Loader.dll import)" >&2
  exit 1
fi
if ! grep -q '[[:space:]]ProcessPrng$' <<<"$objdump_out"; then
  echo "check-windows: the Windows 10 floor named above no longer holds (no ProcessPrng import)" >&2
  exit 1
fi
# This debug build opens a console, for its logs; the release build's GUI subsystem
# (`windows_subsystem = "windows"` in src/main.rs) is checked by the release workflow.
grep -m1 '^Subsystem' <<<"$objdump_out"
echo "beckon-desktop.exe: $(stat -c %s "$exe") bytes, runs on Windows 10 and later (x86_64)"

step "the Windows tests, under Wine"
# A Wine prefix of the run's own, made afresh, so no earlier run's credentials or settings
# are seen; Wine's server is stopped however this ends.
export WINEPREFIX="$CARGO_TARGET_DIR/wine"
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
trap '"$wineserver" -k >/dev/null 2>&1 || true' EXIT
rm -rf "$WINEPREFIX"
"$wine" wineboot --init >/dev/null 2>&1
# Wine before 9 has no bcryptprimitives.dll, which Windows has had since Windows 8 and every
# Rust program imports: the test prefix gets a stand-in (tests/windows/bcryptprimitives.c).
wine_dlls=/usr/lib/x86_64-linux-gnu/wine/x86_64-windows
if [ ! -e "$wine_dlls/bcryptprimitives.dll" ]; then
  x86_64-w64-mingw32-gcc -O2 -shared -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    tests/windows/bcryptprimitives.c -lbcrypt
fi
# The test binaries that link the desktop app load WebView2Loader.dll when they start.
loader="$(find "$out/build" -path '*/x64/WebView2Loader.dll' -print -quit)"
cp "$loader" "$out/deps/"

# The test binaries to run: the protocol's, the SDK's, the session crate's and the desktop
# app's unit tests, the session's flow tests (the sign-in flow against an in-process
# beckon-server, and the Windows cases in crates/beckon-session/tests/flow/windows.rs), and
# the plugin's permission test (Tauri's mock runtime). The server's own suites need Linux's
# processes and signals, and the end-to-end tests a webview.
binaries="$(python3 - "$artifacts" "$root" <<'PY'
import json, os, sys
wanted = ["crates/beckon-proto/src/lib.rs", "crates/beckon/src/lib.rs",
          "crates/beckon-session/src/lib.rs", "src-tauri/src/lib.rs",
          "crates/beckon-session/tests/flow/main.rs",
          "crates/tauri-plugin-beckon/tests/permissions.rs"]
for line in open(sys.argv[1]):
    message = json.loads(line)
    if message.get("reason") != "compiler-artifact" or not message.get("executable"):
        continue
    source = os.path.relpath(message["target"]["src_path"], sys.argv[2])
    if message["profile"]["test"] and source in wanted:
        print(message["executable"])
PY
)"
if [ "$(wc -l <<<"$binaries")" -ne 6 ]; then
  echo "check-windows: expected 6 test binaries, found: $binaries" >&2
  exit 1
fi

flow_tests="$(grep '/flow-' <<<"$binaries")"
# Each run under Wine is bounded: a test that hangs there fails this step, it does not stall it.
under_wine() { timeout --kill-after=10s 15m "$wine" "$@" </dev/null; }
mapfile -t windows_cases < <(under_wine "$flow_tests" --list windows:: 2>/dev/null |
  sed -n 's/: test$//p')
count="${#windows_cases[@]}"
if [ "$count" -eq 0 ]; then
  echo "check-windows: no Windows cases found (crates/beckon-session/tests/flow/windows.rs)" >&2
  exit 1
fi
echo "the Windows cases ($count):"
printf '  %s\n' "${windows_cases[@]}"

logs="$CARGO_TARGET_DIR/wine-logs"
rm -rf "$logs" && mkdir -p "$logs"
passed=0
# Runs one test binary under Wine (its output also in $logs/NAME.log) and counts what passed.
run_tests() {
  local name="$1" log="$logs/$1.log"
  shift
  printf '\n%s\n' "$name"
  if ! under_wine "$@" 2>&1 | tee "$log"; then
    echo "check-windows: $name failed under Wine (above; $log)" >&2
    exit 1
  fi
  local ran
  ran="$(sed -n 's/^test result: ok\. \([0-9]*\) passed.*/\1/p' "$log" | head -n 1)"
  passed=$((passed + ${ran:-0}))
}
while read -r binary; do
  if [ "$binary" = "$flow_tests" ]; then
    run_tests flow "$binary" --skip windows::
  else
    run_tests "$(basename "$binary" .exe)" "$binary"
  fi
done <<<"$binaries"
# The Windows cases on their own, with what they print: each keyring entry's size.
run_tests windows "$flow_tests" windows:: --show-output
for case in "${windows_cases[@]}"; do
  grep -q "^test $case \.\.\. ok" "$logs/windows.log" || {
    echo "check-windows: $case did not pass" >&2
    exit 1
  }
done
echo
grep -o 'the [A-Za-z]* entry takes .*' "$logs/windows.log" | sort -u
echo "windows: $passed tests passed under Wine, $count of them the Windows cases"
