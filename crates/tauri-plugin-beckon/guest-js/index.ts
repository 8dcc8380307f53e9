// tauri-plugin-beckon-api: phone sign-in from a Tauri app's web view. Typed calls into the
// plugin (the types are generated from its Rust ones: bindings.ts), its state event, and a
// ready-made sign-in view (`mountSignIn`).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { STATE_EVENT, type Commands, type Mode, type SessionState, type SettingsView, type ViewWords } from "./bindings";

export type * from "./bindings";
export { STATE_EVENT } from "./bindings";
export { errorText, noticeText } from "./words";
export { mountSignIn, VIEW_PAINTED, type SignInOptions } from "./mount";
export { direction, locale, setWords, tr } from "./i18n";

type Args<K extends keyof Commands> = Commands[K]["args"];

/** Calls the plugin's command `name`; one that fails rejects with its `SessionError`. */
export function call<K extends keyof Commands>(
  name: K,
  ...args: keyof Args<K> extends never ? [] : [Args<K>]
): Promise<Commands[K]["returns"]> {
  return invoke<Commands[K]["returns"]>(`plugin:beckon|${name}`, args[0]);
}

/** Every state the session moves to, as it happens. */
export function onState(handle: (state: SessionState) => void): Promise<UnlistenFn> {
  return listen<SessionState>(STATE_EVENT, (event) => handle(event.payload));
}

/** The state now. */
export function state(): Promise<SessionState> {
  return call("state");
}

/** Signs in with `email` (`mode`: what to ask for; the kind last asked for without it).
 * Resolves when the sign-in is over; its progress arrives through `onState`. */
export function signIn(email: string, mode?: Mode): Promise<null> {
  return call("sign_in", { email, mode: mode ?? null });
}

/** Sends a magic link to `email`, for reading the email on this computer. */
export function sendMagicLink(email: string): Promise<null> {
  return call("send_magic_link", { email });
}

/** Stops waiting and forgets the pending sign-in. */
export function cancel(): Promise<null> {
  return call("cancel");
}

/** While waiting for the tap: the code from the email, typed here when no link works.
 * Rejects with `wrong_code` (and `triesLeft`) when it is not the code; the wait goes on. */
export function enterCode(code: string): Promise<null> {
  return call("enter_code", { code });
}

/** Signs out: here at once, then on the server. */
export function signOut(): Promise<null> {
  return call("sign_out");
}

/** Signs out here and ends every session of the account, on every device. */
export function signOutEverywhere(): Promise<null> {
  return call("sign_out_everywhere");
}

/** Changes the signed-in person's email to `email`. */
export function changeEmail(email: string): Promise<null> {
  return call("change_email", { email });
}

/** Stops an email change under way. */
export function cancelEmailChange(): Promise<null> {
  return call("cancel_email_change");
}

/** The session JWT, valid now. Needs the `beckon:allow-session-token` permission, which
 * `beckon:default` leaves out: prefer calling your backend from Rust. */
export function sessionToken(): Promise<string> {
  return call("session_token");
}

/** The server in use (needs `beckon:allow-get-settings`). */
export function getSettings(): Promise<SettingsView> {
  return call("get_settings");
}

/** Keeps a new server choice and switches to it (needs `beckon:allow-save-settings`). */
export function saveSettings(baseUrl: string, projectId: string): Promise<SettingsView> {
  return call("save_settings", { baseUrl, projectId });
}

/** The language the view speaks and its messages. */
export function words(): Promise<ViewWords> {
  return call("words");
}

/** Speaks `language` (a tag such as `es`; `null`: the system's) from now on, in the view and
 * in the server's messages; kept with the settings when the app keeps them. */
export function setLanguage(language: string | null): Promise<ViewWords> {
  return call("set_language", { language });
}
