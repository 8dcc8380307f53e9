# The sign-in view's messages in English (tauri-plugin-beckon and its web package), and the
# few the plugin's Rust side says. English is the reference: every other language has exactly
# these messages, with the same variables (TRANSLATING.md). $app is the app's name; $number a
# link's number, always ASCII digits; $email an email address.

## The app, when it gives no name

this-app = this app

## Errors (one per code the view knows)

error-invalid-email = This email address was refused. Check it and try again.
error-unknown-user = No account uses this email yet. Create one, or check the address.
error-user-exists = An account already uses this email. Sign in instead.
error-offline-server = Can't reach the sign-in server at { $server }. Is beckon-server running?
error-offline = Can't reach the sign-in server. Check your connection and try again.
error-expired = The link expired before it was confirmed. Send a new one.
error-declined = Declined on your phone. Nobody was signed in; the links no longer work.
error-disabled = This account is disabled. Ask whoever runs your sign-in server to enable it.
error-rate-limited = Too many attempts. Try again in a minute.
error-rate-limited-seconds = Too many attempts. Try again in { $seconds } seconds.
error-rate-limited-minutes = Too many attempts. Try again in { $minutes } minutes.
error-paused = Someone answered “No, this wasn't me” to a sign-in request for this address, so sign-in emails to it are paused for a while. If that was you by mistake, the email about it has a button to allow sign-ins again.
error-paused-seconds = Someone answered “No, this wasn't me” to a sign-in request for this address, so sign-in emails to it are paused for { $seconds } more seconds. If that was you by mistake, the email about it has a button to allow sign-ins again.
error-paused-minutes = Someone answered “No, this wasn't me” to a sign-in request for this address, so sign-in emails to it are paused for { $minutes } more minutes. If that was you by mistake, the email about it has a button to allow sign-ins again.
error-wrong-code = That's not the code in the email. { $tries ->
    [one] 1 more try before this sign-in ends.
   *[other] { $tries } more tries before this sign-in ends.
}
error-not-waiting = No sign-in is waiting for a code. Start again.
error-unknown-project = The server does not know this app's project ID. Check BECKON_PROJECT_ID.
error-no-project = { $server } did not say which project it serves ({ $detail }). Set BECKON_PROJECT_ID.
error-no-server = No server configured: set BECKON_BASE_URL or BECKON_PROJECT_ID.
error-plain-http = { $url } is plain http:// on another machine: your sign-in would cross the network unencrypted, where anyone on the way could take it. Use its https:// address, or a server on this computer. On a network you trust, start { $app } with BECKON_BASE_URL={ $url } and BECKON_UNSAFE_PLAIN_HTTP=1 to use it anyway.
error-bad-server-url = “{ $input }” is not a server address ({ $problem }); for example { $example }.
url-not-a-url = it does not parse as a URL
url-not-http = it must start with http:// or https://
url-no-host = it names no host
url-query-or-fragment = it must not have ? or # parts
error-bad-project-id = “{ $input }” is not a Descope project ID: those start with P and are 28 letters and digits (32 with a region). Find yours under Project settings in the Descope console.
error-bad-language = “{ $input }” is not a language tag such as es or es-MX.
error-settings-not-saved = The settings could not be saved in { $path }: { $detail }
error-settings-not-kept = { $app } keeps no server settings: its server is set in the app.
error-settings-from-environment = BECKON_BASE_URL or BECKON_PROJECT_ID is set for this run, so the server can't be changed here. Start { $app } without them to use Settings.
error-invalid-session = The server's answer could not be verified, so you were not signed in. Try again.
error-wrong-account = That link signs in to another account, not { $email }, so it was not used. Open the link from the email sent to { $email }.
error-no-deep-link = This app can't open sign-in links from email. Sign in with the number instead.
error-signed-out = You're not signed in.
error-server-code = The sign-in server refused ({ $code }). Try again.
error-server = Something went wrong talking to the sign-in server. Try again.

## Notes on a screen

notice-session-ended = Your session has ended (it expired or was signed out). Sign in again.
notice-signed-out-elsewhere = You were signed out: the session ended on the server (signed out elsewhere, or expired). Sign in again.
notice-no-keyring = This computer can't keep you signed in ({ $detail }); you'll sign in each time you open { $app }.
notice-server-not-told-everywhere = Signed out on this computer. The server could not be told to end your other sessions ({ $why }); they end when they expire.
notice-server-not-told = Signed out on this computer. The server could not be told ({ $why }); the session ends there when it expires.
notice-keyring-not-cleared = Signed out, but the keyring entry could not be removed ({ $detail }).
notice-link-ignored = A sign-in link was opened, but it was ignored: { $why }.
notice-email-changed = Your email is now { $email }.
ignored-not-waiting = { $app } was not waiting for a sign-in link from this computer's email
ignored-not-a-link = it is not a link
ignored-not-a-sign-in-link = it is not a sign-in link for { $app }
ignored-too-long = the link is too long
ignored-not-one-token = it does not carry exactly one sign-in token
ignored-malformed-token = its sign-in token is malformed

## The email screen

mode-legend = Account
mode-sign-up-or-in = Sign in or up
mode-sign-in = Sign in
mode-sign-up = Sign up
offer-sign-up = Create an account
offer-sign-in = Sign in instead
heading-sign-up = Create an account
heading-sign-in = Sign in
email-lead = We'll email you three numbered links. Tap the one whose number this window shows.
email-label = Email
email-placeholder = you@example.com
email-invalid = Enter an email address like you@example.com.
send-link = Send link
sending = Sending…
retry-new-link = Send a new link
retry-start-again = Start again
retry-try-again = Try again
retry-in = Try again in { $time }
retry-in-seconds = Try again in { $seconds }s
server-settings = Server settings

## Waiting for the tap

wait-lead = Open the email on your phone and tap the link numbered
link-number = Link number { $number }
sent-to = Sent to { $email }
expires-in = The link expires in { $time }
reconnecting = Can't reach the server — reconnecting…
waiting-for-tap = Waiting for your tap…
cancel = Cancel
send-new-links = Send new links
different-email = Use a different email
reading-here = Reading email on this computer?
help-heading = No email yet?
help-text = It comes from { $app }'s sign-in server, with the subject “Your { $app } sign-in link”. Look in your spam or junk folder too; some mail takes a few minutes. You can send new links, or type the code from the email below.
code-show = Enter the code instead
code-label = The code in the email, under the links
code-submit = Confirm code
code-hint = Type it only here, where you started signing in. Never tell it to anyone.

## Signed in

sign-out = Sign out
welcome = Welcome, { $name }
signed-in = You're signed in
signed-in-as = Signed in as { $email }
signed-in-since-today = Signed in on this computer since { $time }
signed-in-since = Signed in on this computer since { $day }, { $time }
not-remembered = This computer has no keyring { $app } can use, so you'll be asked to sign in again next time.
change-email = Change email
change-label = New email
change-placeholder = new@example.com
change-send = Send links
change-keep = Keep my email
change-same = That's already your email.
change-heading = Confirm your new address
change-tap = Tap the link numbered
change-sent-to = in the email sent to { $email }
change-cancel = Cancel change

## A magic link, and signing back in

magic-heading = Check your email here
magic-sent-to = We sent a sign-in link to { $address }.
magic-lead = Open it on this computer and click the link: it opens { $app } and signs you in.
use-phone = Use my phone instead
restoring = Signing you back in…
use-another = Sign in with another email

## Said to screen readers

announce-reconnecting = Can't reach the server. Reconnecting…
announce-sending = Sending the links…
announce-waiting = Links sent to { $email }. Tap link number { $number }.
announce-waiting-reconnecting = Can't reach the server. Reconnecting… Your number is still { $number }.
announce-magic = Sign-in link sent to { $address }. Open it on this computer.
announce-change-sending = Sending links to { $email }…
announce-change-waiting = Links sent to { $email }. Tap link number { $number } to confirm your new address.
announce-signed-in = Signed in as { $email }.
settings-saved = Settings saved.

## Settings

base-url-label = Server address
base-url-help = A beckon-server, like { $example }. Leave empty for Descope's cloud.
project-id-label = Descope project ID
project-id-help = For Descope's cloud. Leave empty for a beckon-server, which says its own.
settings-save = Save and use
settings-back = Back
settings-from-environment = Set by BECKON_BASE_URL / BECKON_PROJECT_ID for this run. Start { $app } without them to change it here.
language-label = Language
language-system = System ({ $language })

## Said by the plugin's Rust side (a desktop notification)

notification-title = Signed in to { $app }
notification-body = You're signed in as { $email }.
