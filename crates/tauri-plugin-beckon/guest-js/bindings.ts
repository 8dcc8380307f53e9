// Generated from the Rust types (crates/beckon-session, crates/tauri-plugin-beckon) by the plugin's tests/bindings.rs (ts-rs).
// Do not edit: change the Rust and run `BINDINGS=write cargo test -p beckon-desktop --test bindings`.
// CI fails when this file and the Rust types differ.

/** The event every state change arrives on, with a `SessionState`. */
export const STATE_EVENT = "beckon://state";

export type UrlProblem = "not_a_url" | "not_http" | "no_host" | "query_or_fragment";

export type SessionError = { "code": "invalid_email" } | { "code": "unknown_user" } | { "code": "user_exists" } | { "code": "offline", 
/**
 * The server's address, when it was asked which project it serves.
 */
server: string | null, } | { "code": "expired" } | { "code": "declined" } | { "code": "disabled" } | { "code": "rate_limited", 
/**
 * Seconds until trying again makes sense, when the server said.
 */
retryAfterSecs: number | null, } | { "code": "paused", 
/**
 * Seconds the pause has left, when the server said.
 */
retryAfterSecs: number | null, } | { "code": "wrong_code", 
/**
 * How many more codes may be typed before the sign-in request ends.
 */
triesLeft: number, } | { "code": "not_waiting" } | { "code": "unknown_project" } | { "code": "no_project", 
/**
 * The server's address.
 */
server: string, 
/**
 * What went wrong, for developers.
 */
detail: string, } | { "code": "no_server" } | { "code": "plain_http", 
/**
 * The refused address.
 */
url: string, } | { "code": "bad_server_url", 
/**
 * What was typed.
 */
input: string, 
/**
 * What is wrong with it.
 */
problem: UrlProblem, } | { "code": "bad_project_id", 
/**
 * What was typed.
 */
input: string, } | { "code": "bad_language", 
/**
 * What was given (at most its first 40 characters).
 */
input: string, } | { "code": "settings_not_saved", 
/**
 * The file.
 */
path: string, 
/**
 * The system's reason, for developers.
 */
detail: string, } | { "code": "settings_not_kept" } | { "code": "settings_from_environment" } | { "code": "invalid_session" } | { "code": "wrong_account", 
/**
 * The account asked for.
 */
email: string, } | { "code": "no_deep_link" } | { "code": "signed_out" } | { "code": "server", 
/**
 * The server's error code (`E062108`…), if any.
 */
serverCode: string | null, };

export type LinkIgnored = "notWaiting" | "notALink" | "notASignInLink" | "tooLong" | "notOneToken" | "malformedToken";

export type Notice = { "kind": "sessionEnded" } | { "kind": "signedOutElsewhere" } | { "kind": "disabled" } | { "kind": "noKeyring", 
/**
 * The keyring's reason, for developers.
 */
detail: string, } | { "kind": "serverNotTold", 
/**
 * Why not.
 */
error: SessionError, 
/**
 * The sign-out was to end every session of the account, which go on meanwhile.
 */
everywhere: boolean, } | { "kind": "keyringNotCleared", 
/**
 * The keyring's reason, for developers.
 */
detail: string, } | { "kind": "restoreFailed", 
/**
 * Why not.
 */
error: SessionError, } | { "kind": "linkIgnored", 
/**
 * Why.
 */
reason: LinkIgnored, } | { "kind": "emailChanged", 
/**
 * The new address.
 */
email: string, };

export type Mode = "signUpOrIn" | "signIn" | "signUp";

export type EmailChange = { "step": "sending", 
/**
 * The new address.
 */
newEmail: string, } | { "step": "waiting", 
/**
 * The new address.
 */
newEmail: string, 
/**
 * The number to tap.
 */
linkId: string, 
/**
 * The new address as the server masked it.
 */
maskedEmail: string, 
/**
 * When the links were sent, in Unix milliseconds.
 */
sentAtMs: number, 
/**
 * When the wait gives up, in Unix milliseconds.
 */
expiresAtMs: number, 
/**
 * The server cannot be reached right now; still trying.
 */
reconnecting: boolean, } | { "step": "failed", 
/**
 * The new address.
 */
newEmail: string, 
/**
 * What went wrong.
 */
error: SessionError, };

export type SessionState = { "screen": "restoring", 
/**
 * The server cannot be reached right now; still trying.
 */
reconnecting: boolean, } | { "screen": "enterEmail", 
/**
 * The email to fill in.
 */
email: string, 
/**
 * Why this screen shows, when a person would wonder.
 */
notice: Notice | null, 
/**
 * The kind of sign-in last asked for.
 */
mode: Mode, } | { "screen": "sending", 
/**
 * The address the links go to.
 */
email: string, 
/**
 * The kind of sign-in asked for.
 */
mode: Mode, } | { "screen": "waiting", 
/**
 * The address the links went to.
 */
email: string, 
/**
 * The number to tap on the phone.
 */
linkId: string, 
/**
 * The address as the server masked it.
 */
maskedEmail: string, 
/**
 * When the links were sent, in Unix milliseconds (for a countdown).
 */
sentAtMs: number, 
/**
 * When the wait gives up, in Unix milliseconds.
 */
expiresAtMs: number, 
/**
 * The server cannot be reached right now; still trying.
 */
reconnecting: boolean, } | { "screen": "magicSent", 
/**
 * The address the link went to.
 */
email: string, 
/**
 * The address as the server masked it.
 */
maskedAddress: string, 
/**
 * When the link expires, in Unix milliseconds.
 */
expiresAtMs: number, } | { "screen": "signedIn", 
/**
 * The account's email.
 */
email: string, 
/**
 * The account's name, when it has one.
 */
name: string | null, 
/**
 * The account's user ID (the session JWT's subject).
 */
userId: string, 
/**
 * When this person signed in on this computer, in Unix milliseconds.
 */
sinceMs: number, 
/**
 * The session is in the vault and survives a restart.
 */
remembered: boolean, 
/**
 * A change of email under way, if any.
 */
change: EmailChange | null, 
/**
 * A note for the person (their email changed, …).
 */
notice: Notice | null, } | { "screen": "failed", 
/**
 * The email to fill in.
 */
email: string, 
/**
 * What went wrong.
 */
error: SessionError, 
/**
 * The kind of sign-in last asked for.
 */
mode: Mode, };

export type SettingsView = { 
/**
 * The base URL in use, or empty for Descope's cloud.
 */
baseUrl: string, 
/**
 * The project ID in use, or empty when the server is asked for it.
 */
projectId: string, 
/**
 * Set by `BECKON_BASE_URL` / `BECKON_PROJECT_ID` for this run, so not editable here.
 */
fromEnvironment: boolean, 
/**
 * What an empty form means.
 */
defaultBaseUrl: string, };

export type ViewWords = { 
/**
 * The language shown: a tag such as `es`, or a pseudo-locale for tests (`en-XA`
 * accented and longer, `ar-XB` right to left).
 */
locale: string, 
/**
 * The language is written right to left.
 */
rtl: boolean, 
/**
 * The view's messages in that language (for a pseudo-locale, English's, which the view
 * transforms).
 */
messages: string, 
/**
 * The English messages, for any message the language lacks.
 */
english: string, 
/**
 * The language chosen in Settings; none: the system's.
 */
chosen: string | null, 
/**
 * The system's language (a BCP 47 tag).
 */
system: string, 
/**
 * The languages the view speaks, as tags, for a chooser.
 */
languages: Array<string>, };

/** Every command a web view may call (src/commands.rs): its arguments and its answer. Call them through `call` in index.ts. */
export type Commands = {
  state: { args: {}, returns: SessionState },
  sign_in: { args: { email: string, mode: Mode | null }, returns: null },
  send_magic_link: { args: { email: string }, returns: null },
  cancel: { args: {}, returns: null },
  enter_code: { args: { code: string }, returns: null },
  sign_out: { args: {}, returns: null },
  sign_out_everywhere: { args: {}, returns: null },
  change_email: { args: { email: string }, returns: null },
  cancel_email_change: { args: {}, returns: null },
  session_token: { args: {}, returns: string },
  get_settings: { args: {}, returns: SettingsView },
  save_settings: { args: { baseUrl: string, projectId: string }, returns: SettingsView },
  words: { args: {}, returns: ViewWords },
  set_language: { args: { language: string | null }, returns: ViewWords },
};
