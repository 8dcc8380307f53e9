// Generated from the Rust types in src-tauri by src-tauri/src/bindings.rs (ts-rs).
// Do not edit: change the Rust and run `BINDINGS=write cargo test -p beckon-desktop --lib bindings`.
// CI fails when this file and the Rust types differ.

/** The event every state change arrives on, with a `FlowState`. */
export const STATE_EVENT = "flow-state";

export type ErrorCode = "invalid_email" | "unknown_user" | "user_exists" | "offline" | "expired" | "declined" | "disabled" | "rate_limited" | "config" | "invalid_session" | "server";

export type UiError = { code: ErrorCode, message: string, 
/**
 * Seconds until trying again makes sense, for `rate_limited`.
 */
retryAfterSecs?: number, };

export type Mode = "signUpOrIn" | "signIn" | "signUp";

export type EmailChange = { "step": "sending", newEmail: string, } | { "step": "waiting", newEmail: string, linkId: string, maskedEmail: string, sentAtMs: number, expiresAtMs: number, reconnecting: boolean, } | { "step": "failed", newEmail: string, error: UiError, };

export type FlowState = { "screen": "restoring", 
/**
 * The server cannot be reached right now; still trying.
 */
reconnecting: boolean, } | { "screen": "enterEmail", email: string, notice: string | null, mode: Mode, } | { "screen": "sending", email: string, mode: Mode, } | { "screen": "waiting", email: string, linkId: string, maskedEmail: string, 
/**
 * When the links were sent, in Unix milliseconds (for the countdown ring).
 */
sentAtMs: number, 
/**
 * When the wait gives up, in Unix milliseconds.
 */
expiresAtMs: number, 
/**
 * The server cannot be reached right now; still trying.
 */
reconnecting: boolean, } | { "screen": "magicSent", email: string, maskedAddress: string, 
/**
 * When the link expires, in Unix milliseconds.
 */
expiresAtMs: number, } | { "screen": "signedIn", email: string, name: string | null, userId: string, 
/**
 * When this person signed in on this computer, in Unix milliseconds.
 */
sinceMs: number, 
/**
 * The session is in the keyring and survives a restart.
 */
remembered: boolean, 
/**
 * A change of email under way, if any.
 */
change: EmailChange | null, 
/**
 * A note for the person (their email changed, …).
 */
notice: string | null, } | { "screen": "failed", email: string, error: UiError, mode: Mode, };

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

/** Every command the window may call (src-tauri/src/commands.rs): its arguments and its answer. Call them through `call` in ui/src/ipc.ts. */
export type Commands = {
  start_sign_in: { args: { email: string, mode: Mode | null }, returns: null },
  send_magic_link: { args: { email: string }, returns: null },
  cancel_sign_in: { args: {}, returns: null },
  sign_out: { args: {}, returns: null },
  change_email: { args: { email: string }, returns: null },
  cancel_email_change: { args: {}, returns: null },
  flow_state: { args: {}, returns: FlowState },
  get_settings: { args: {}, returns: SettingsView },
  save_settings: { args: { baseUrl: string, projectId: string }, returns: SettingsView },
};
