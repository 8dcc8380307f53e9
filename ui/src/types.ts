// The shapes the Rust side sends (src-tauri/src/flow.rs, error.rs).

export type ErrorCode =
  | "invalid_email"
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

export type FlowState =
  | { screen: "restoring"; reconnecting: boolean }
  | { screen: "enterEmail"; email: string; notice: string | null }
  | { screen: "sending"; email: string }
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
  | { screen: "failed"; email: string; error: UiError };

/** What the Settings screen shows (src-tauri/src/settings.rs). */
export interface SettingsView {
  baseUrl: string;
  projectId: string;
  /** Set by BECKON_BASE_URL / BECKON_PROJECT_ID for this run: not editable. */
  fromEnvironment: boolean;
  defaultBaseUrl: string;
}
