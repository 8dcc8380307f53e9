// The shapes the Rust side sends (src-tauri/src/flow.rs, error.rs).

export type ErrorCode =
  | "invalid_email"
  | "unknown_user"
  | "user_exists"
  | "offline"
  | "expired"
  | "rate_limited"
  | "config"
  | "invalid_session"
  | "server";

export interface UiError {
  code: ErrorCode;
  message: string;
  retryAfterSecs?: number;
}

export type EmailChange =
  | { step: "sending"; newEmail: string }
  | {
      step: "waiting";
      newEmail: string;
      linkId: string;
      maskedEmail: string;
      sentAtMs: number;
      expiresAtMs: number;
      reconnecting: boolean;
    }
  | { step: "failed"; newEmail: string; error: UiError };

/** What the email screen asks for: sign-up-or-in unless the person chooses. */
export type Mode = "signUpOrIn" | "signIn" | "signUp";

export type FlowState =
  | { screen: "restoring"; reconnecting: boolean }
  | { screen: "enterEmail"; email: string; notice: string | null; mode: Mode }
  | { screen: "sending"; email: string; mode: Mode }
  | {
      screen: "waiting";
      email: string;
      linkId: string;
      maskedEmail: string;
      /** When the links were sent, Unix ms. */
      sentAtMs: number;
      /** When the wait gives up, Unix ms. */
      expiresAtMs: number;
      reconnecting: boolean;
    }
  | { screen: "magicSent"; email: string; maskedAddress: string; expiresAtMs: number }
  | {
      screen: "signedIn";
      email: string;
      name: string | null;
      userId: string;
      /** When this person signed in on this computer, Unix ms. */
      sinceMs: number;
      /** The session is in the OS keyring and survives a restart. */
      remembered: boolean;
      /** A change of email under way. */
      change: EmailChange | null;
      /** A note for the person (their email changed, …). */
      notice: string | null;
    }
  | { screen: "failed"; email: string; error: UiError; mode: Mode };

/** What the Settings screen shows (src-tauri/src/settings.rs). */
export interface SettingsView {
  baseUrl: string;
  projectId: string;
  /** Set by BECKON_BASE_URL / BECKON_PROJECT_ID for this run: not editable. */
  fromEnvironment: boolean;
  defaultBaseUrl: string;
}
