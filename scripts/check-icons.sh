#!/usr/bin/env bash
# The committed icon set (icons/) is what `tauri icon icons/source.png` makes, for every size
# and format Windows, macOS and Linux use: it is made again in a scratch folder and compared.
# PNG and ICO files must match byte for byte; an .icns is compared entry by entry, because the
# CLI writes its entries in no fixed order. To change the icon: replace icons/source.png and
# run `cargo tauri icon icons/source.png -o icons`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
made="$(mktemp -d)"
trap 'rm -rf "$made"' EXIT
if ! node ui/node_modules/@tauri-apps/cli/tauri.js icon icons/source.png -o "$made" \
  >"$made/log" 2>&1; then
  cat "$made/log" >&2
  exit 1
fi

# The entries of an .icns file (type and data), in a fixed order.
icns_entries() {
  python3 - "$1" <<'PY'
import hashlib, struct, sys
data = open(sys.argv[1], "rb").read()
assert data[:4] == b"icns", "not an icns file"
entries, at = [], 8
while at < len(data):
    kind, length = struct.unpack(">4sI", data[at:at + 8])
    entries.append(f"{kind.decode('latin-1')} {hashlib.sha256(data[at + 8:at + length]).hexdigest()}")
    at += length
print("\n".join(sorted(entries)))
PY
}

status=0
for file in "$made"/*.png "$made"/*.ico; do
  name="$(basename "$file")"
  if ! cmp -s "$file" "icons/$name"; then
    echo "check-icons: icons/$name is not what tauri icon makes from icons/source.png" >&2
    status=1
  fi
done
if [ "$(icns_entries "$made/icon.icns")" != "$(icns_entries icons/icon.icns)" ]; then
  echo "check-icons: icons/icon.icns is not what tauri icon makes from icons/source.png" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "check-icons: icons/ matches icons/source.png"
exit "$status"
