#!/usr/bin/env bash
# Tries the README's run command as a newcomer would, on a fresh minimal Debian 12: builds one
# with debootstrap (from Debian's own archive), copies this machine's rustup toolchain into it
# (the README asks the newcomer to install Rust first), clones this checkout's HEAD into it and
# runs `./scripts/run.sh --no-window` there: setup's run profile, the UI and Rust builds, and a
# beckon-server that must answer. It fails if npm or Vite warns about the Node.js that Debian
# ships. Then it prints what the run profile cost (Debian packages, disk, time) and what the
# test profile would add (apt-get's simulation). The window is not opened (no display here).
#
# Not part of the test command: it takes about 15 GB and 20 minutes. It needs root (chroot,
# mounts) and 20 GB free where it builds, and otherwise exits 0 saying why.
#
#   sudo ./scripts/try-fresh-debian.sh [DIR]     (default DIR: /var/tmp/beckon-fresh-debian)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:-/var/tmp/beckon-fresh-debian}"
mirror="http://deb.debian.org/debian"

if [ "$(id -u)" -ne 0 ]; then
  echo "try-fresh-debian: needs root (debootstrap, chroot and mounts); skipped"
  exit 0
fi
mkdir -p "$(dirname "$dir")"
free_kb="$(df -Pk "$(dirname "$dir")" | awk 'NR == 2 { print $4 }')"
if [ "$free_kb" -lt $((20 * 1024 * 1024)) ]; then
  echo "try-fresh-debian: $((free_kb / 1024 / 1024)) GB free under $(dirname "$dir"), 20 GB needed; skipped"
  exit 0
fi
rustup_home="${RUSTUP_HOME:-$HOME/.rustup}"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
if [ ! -x "$cargo_home/bin/cargo" ] || [ ! -d "$rustup_home/toolchains" ]; then
  echo "try-fresh-debian: no rustup toolchain in $cargo_home and $rustup_home to copy in; skipped"
  exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap
fi

mounted=()
cleanup() {
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
started=$SECONDS
phase() { printf '\n==> try-fresh-debian [%d:%02d] %s\n' $(((SECONDS - started) / 60)) $(((SECONDS - started) % 60)) "$*"; }

phase "a minimal Debian 12 in $dir"
rm -rf "$dir"
debootstrap --variant=minbase --include=ca-certificates bookworm "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 ||
  { tail -n 30 "$dir.debootstrap.log" >&2; exit 1; }
cat >"$dir/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
cp /etc/resolv.conf "$dir/etc/resolv.conf"
# This machine's certificate authorities, for a network that inspects TLS (npm and cargo
# would refuse the registries' certificates otherwise); on an open network they are Debian's.
cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
for fs in proc sys dev dev/pts; do
  mount --bind "/$fs" "$dir/$fs"
  mounted+=("$dir/$fs")
done

phase "Rust (this machine's rustup toolchain) and a clone of HEAD"
mkdir -p "$dir/root/.cargo"
cp -a "$rustup_home" "$dir/root/.rustup"
cp -a "$cargo_home/bin" "$dir/root/.cargo/bin"
git clone -q "$root" "$dir/root/beckon"

# A clean environment, but for where this machine's tools find certificate authorities.
ca_vars=()
for name in NODE_EXTRA_CA_CERTS SSL_CERT_FILE CURL_CA_BUNDLE; do
  [ -n "${!name:-}" ] && ca_vars+=("$name=/etc/ssl/certs/ca-certificates.crt")
done
in_chroot() {
  chroot "$dir" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 "${ca_vars[@]}" \
    PATH=/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "$1"
}
packages_before="$(in_chroot "dpkg-query -W | wc -l")"
used_before="$(du -sxm "$dir" | cut -f1)"

phase "./scripts/run.sh --no-window, as the README says"
run_started=$SECONDS
log="$dir.run.log"
# A port of its own, so a beckon-server already running on this machine is not mistaken for it.
if ! in_chroot "cd /root/beckon && BECKON_LISTEN=127.0.0.1:18787 ./scripts/run.sh --no-window" 2>&1 | tee "$log"; then
  echo "try-fresh-debian: run.sh failed on a fresh Debian 12 (above; $log)" >&2
  exit 1
fi
run_seconds=$((SECONDS - run_started))
if grep -nE 'EBADENGINE|Vite requires Node|You are using Node' "$log"; then
  echo "try-fresh-debian: npm or Vite warned about Debian's Node.js (above)" >&2
  exit 1
fi
packages_after="$(in_chroot "dpkg-query -W | wc -l")"
used_after="$(du -sxm "$dir" | cut -f1)"
rust_mb="$(du -sxm "$dir/root/.rustup" | cut -f1)"
target_mb="$(du -sxm "$dir/root/beckon/target" | cut -f1)"

phase "what the test profile would add (apt-get's simulation)"
test_packages="$(sed -n '/^test_packages=(/,/^)/p' "$root/scripts/setup.sh" | sed '1d;$d' | tr '\n' ' ')"
simulation="$(in_chroot "apt-get install -s --no-install-recommends $test_packages")"
test_new="$(grep -c '^Inst ' <<<"$simulation" || true)"

phase "result"
cat <<EOF
Debian 12 (debootstrap minbase), Node.js $(in_chroot "node --version"), $(in_chroot "cargo --version")
run profile: $((packages_after - packages_before)) Debian packages installed; disk ${used_before} MB -> ${used_after} MB
  (of which the Rust build's target/ ${target_mb} MB; the copied toolchain ${rust_mb} MB was there before)
run.sh --no-window: $((run_seconds / 60)) min $((run_seconds % 60)) s, up to a started server and a built app
test profile would add: ${test_new} Debian packages, plus tauri-driver
  (cargo install) and Python and npm packages for the SDK checks
try-fresh-debian: passed
EOF
