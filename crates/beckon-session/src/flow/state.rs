//! What the window is shown: [`FlowState`] and its parts, each one shape the UI receives
//! (`ui/src/bindings.ts` is generated from these).

use serde::{Deserialize, Serialize};

use crate::error::UiError;

/// What the window shows. Serialized with a `screen` tag for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(
    tag = "screen",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum FlowState {
    /// At launch: checking the remembered session with the server.
    Restoring {
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// The email screen, filled in with the last email used (empty at first), with a note on
    /// why it is shown when that is not obvious (the session ended, sign-out was offline…).
    EnterEmail {
        email: String,
        notice: Option<String>,
        mode: Mode,
    },
    /// Asking the server to send the links.
    Sending { email: String, mode: Mode },
    /// The links are out: show the number and wait.
    Waiting {
        email: String,
        link_id: String,
        masked_email: String,
        /// When the links were sent, in Unix milliseconds (for the countdown ring).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        sent_at_ms: i64,
        /// When the wait gives up, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// A magic link went out for reading mail on this computer: clicking it opens Beckon
    /// through a `beckon://` link, which signs in.
    MagicSent {
        email: String,
        masked_address: String,
        /// When the link expires, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
    },
    /// Signed in.
    SignedIn {
        email: String,
        name: Option<String>,
        user_id: String,
        /// When this person signed in on this computer, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        since_ms: i64,
        /// The session is in the keyring and survives a restart.
        remembered: bool,
        /// A change of email under way, if any.
        change: Option<EmailChange>,
        /// A note for the person (their email changed, …).
        notice: Option<String>,
    },
    /// Something went wrong; the email screen with the error, the email and the mode kept.
    Failed {
        email: String,
        error: UiError,
        mode: Mode,
    },
}

/// What the email screen asks the server for. Sign-up-or-in unless the person chooses: then
/// an unknown email (on sign-in) or a known one (on sign-up) is an error offering the other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    #[default]
    SignUpOrIn,
    SignIn,
    SignUp,
}

/// A change of the signed-in person's email: links go to the new address, and confirming the
/// one with the number shown makes it theirs (the enchanted-link update-email flow).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(
    tag = "step",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EmailChange {
    Sending {
        new_email: String,
    },
    Waiting {
        new_email: String,
        link_id: String,
        masked_email: String,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        sent_at_ms: i64,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
        reconnecting: bool,
    },
    Failed {
        new_email: String,
        error: UiError,
    },
}

impl FlowState {
    /// The email this state is about.
    pub fn email(&self) -> &str {
        match self {
            FlowState::Restoring { .. } => "",
            FlowState::EnterEmail { email, .. }
            | FlowState::Sending { email, .. }
            | FlowState::Waiting { email, .. }
            | FlowState::MagicSent { email, .. }
            | FlowState::SignedIn { email, .. }
            | FlowState::Failed { email, .. } => email,
        }
    }
}
