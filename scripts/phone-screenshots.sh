#!/usr/bin/env bash
# Makes every phone screenshot in docs/screenshots: the pages behind the links and the emails,
# as Debian's Chromium shows them at a phone's size (390x844), in light and dark.
#
#   ./scripts/phone-screenshots.sh [OUT_DIR]     default: docs/screenshots
#
# It starts a development beckon-server on a free loopback port (an in-memory database, the
# test place database, the client address taken from X-Forwarded-For so a request can come
# "from Lisbon"), walks each flow with curl as a phone and an app would, keeps each page and
# email as HTML, and has Chromium draw each one twice. Installs Chromium (Debian's) when it is
# missing. Stops the server however it ends.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-docs/screenshots}"
mkdir -p "$out"

say() { echo "phone-screenshots: $*" >&2; }

if ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's chromium"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null
fi
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || { say "$tool is missing: run ./scripts/setup.sh"; exit 1; }
done

say "building beckon-server"
cargo build -q -p beckon-server
server_bin="${CARGO_TARGET_DIR:-target}/debug/beckon-server"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# Without this run's BECKON_* variables: the server refuses any it has no setting for.
env -i PATH="$PATH" HOME="$HOME" "$server_bin" --dev --listen "127.0.0.1:$port" \
  --database "sqlite::memory:" --app-name "Beckon" \
  --geoip-database crates/beckon-server/tests/fixtures/geoip-test.mmdb \
  --client-ip-header X-Forwarded-For >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "$base/healthz" >/dev/null || { say "beckon-server did not start:"; cat "$work/server.log" >&2; exit 1; }
project="$(curl -sf "$base/.well-known/beckon-project" | jq -r .projectId)"

# The app's calls: from Lisbon (a documentation address the test database places there).
api() {
  curl -sf -X POST "$base$1" -H "Authorization: Bearer $project" -H "Content-Type: application/json" \
    -H "X-Forwarded-For: 203.0.113.9" -H "User-Agent: Beckon/0.1 (X11; Linux x86_64)" -d "$2"
}
# The newest message of a kind to an address, as JSON.
message() {
  curl -sf "$base/dev/outbox" | jq -c --arg to "$1" --arg kind "$2" \
    '[.[] | select(.to == $to and .kind == $kind)][0]'
}
token_of() { sed -e 's/.*[?&]t=//' -e 's/&.*//' <<<"$1"; }
# The phone's view of a page: GET, or a form's POST; kept as HTML.
get() { curl -sf -o "$work/$2.html" "$1" || curl -s -o "$work/$2.html" "$1"; }
# A form's POST, as the page's button sends it (following a redirect): prints where it ended.
post() {
  local url="$1" name="$2"
  shift 2
  curl -s -L -o "$work/$name.html" -w '%{url_effective}' "$url" \
    --data-urlencode "t=$(token_of "$url")" "$@"
}
email() { jq -r .html <<<"$1" >"$work/$2.html"; }

say "walking the flows"
# A sign-up: the email, the confirm page, a wrong pick, Yes, waiting, signed in.
started="$(api /v1/auth/enchantedlink/signup-in/email '{"loginId":"ada@example.com"}')"
number="$(jq -r .linkId <<<"$started")"
pending_ref="$(jq -r .pendingRef <<<"$started")"
sign_in="$(message ada@example.com sign_in)"
email "$sign_in" email-sign-in
right="$(jq -r --arg n "$number" '.links[] | select(.number == $n) | .url' <<<"$sign_in")"
wrong="$(jq -r --arg n "$number" '[.links[] | select(.number != $n)][0].url' <<<"$sign_in")"
get "$right" phone-confirm
post "$wrong" phone-wrong-number --data-urlencode answer=yes >/dev/null
status_page="$(post "$right" phone-waiting --data-urlencode answer=yes)"
# The app collects the session; the phone's page then says the computer is signed in.
api /v1/auth/enchantedlink/pending-session "{\"pendingRef\":\"$pending_ref\"}" >/dev/null
get "$status_page" phone-signed-in

# A second sign-in: the notice, its page, and what its button does.
started="$(api /v1/auth/enchantedlink/signup-in/email '{"loginId":"ada@example.com"}')"
number="$(jq -r .linkId <<<"$started")"
pending_ref="$(jq -r .pendingRef <<<"$started")"
right="$(message ada@example.com sign_in | jq -r --arg n "$number" '.links[] | select(.number == $n) | .url')"
curl -sf -o /dev/null "$right" --data-urlencode "t=$(token_of "$right")" --data-urlencode answer=yes
api /v1/auth/enchantedlink/pending-session "{\"pendingRef\":\"$pending_ref\"}" >/dev/null
notice="$(message ada@example.com notice)"
email "$notice" email-notice
signout="$(jq -r '.links[0].url' <<<"$notice")"
get "$signout" phone-sign-out
post "$signout" phone-signed-out >/dev/null

# Someone else asks for grace's address: "No", the pause, the owner's email and its page.
api /v1/auth/enchantedlink/signup-in/email '{"loginId":"grace@example.com"}' >/dev/null
link="$(message grace@example.com sign_in | jq -r '.links[0].url')"
post "$link" phone-declined --data-urlencode answer=no >/dev/null
paused="$(message grace@example.com paused)"
email "$paused" email-paused
get "$(jq -r '.links[0].url' <<<"$paused")" phone-allow

# The same sign-in in Arabic: the app asks for it (loginOptions.locale), the phone's own
# language says it too; right to left, the number and the code left to right.
api /v1/auth/enchantedlink/signup-in/email '{"loginId":"layla@example.com","loginOptions":{"locale":"ar"}}' >/dev/null
arabic="$(message layla@example.com sign_in)"
email "$arabic" email-sign-in-ar
curl -sf -H "Accept-Language: ar-EG,ar;q=0.9" -o "$work/phone-confirm-ar.html" "$(jq -r '.links[0].url' <<<"$arabic")"

say "drawing each page at 390x844, light and dark"
count=0
for page in "$work"/phone-*.html "$work"/email-*.html; do
  name="$(basename "$page" .html)"
  for scheme in light dark; do
    flags=()
    suffix=""
    if [ "$scheme" = dark ]; then flags=(--force-dark-mode); suffix="-dark"; fi
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=390,844 \
      "${flags[@]}" --screenshot="$out/$name$suffix.png" "file://$page" >/dev/null 2>&1
    count=$((count + 1))
  done
done
say "wrote $count screenshots to $out"
