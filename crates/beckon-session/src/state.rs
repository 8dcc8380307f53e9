//! What a view shows: [`SessionState`] and its parts, each one shape a web view receives
//! (the TypeScript declarations are generated from these, with the `ts` feature).

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// What the view shows. Serialized with a `screen` tag. No token is ever in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(
    tag = "screen",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum SessionState {
    /// At launch: checking the remembered session with the server.
    Restoring {
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// The email screen, filled in with the last email used (empty at first), with a note on
    /// why it is shown when that is not obvious (the session ended, sign-out was offline…).
    EnterEmail {
        /// The email to fill in.
        email: String,
        /// Why this screen shows, when a person would wonder.
        notice: Option<Notice>,
        /// The kind of sign-in last asked for.
        mode: Mode,
    },
    /// Asking the server to send the links.
    Sending {
        /// The address the links go to.
        email: String,
        /// The kind of sign-in asked for.
        mode: Mode,
    },
    /// The links are out: show the number and wait.
    Waiting {
        /// The address the links went to.
        email: String,
        /// The number to tap on the phone.
        link_id: String,
        /// The address as the server masked it.
        masked_email: String,
        /// When the links were sent, in Unix milliseconds (for a countdown).
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        sent_at_ms: i64,
        /// When the wait gives up, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// A magic link went out for reading mail on this computer: clicking it opens the app
    /// through its deep link, which signs in.
    MagicSent {
        /// The address the link went to.
        email: String,
        /// The address as the server masked it.
        masked_address: String,
        /// When the link expires, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
    },
    /// Signed in.
    SignedIn {
        /// The account's email.
        email: String,
        /// The account's name, when it has one.
        name: Option<String>,
        /// The account's user ID (the session JWT's subject).
        user_id: String,
        /// When this person signed in on this computer, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        since_ms: i64,
        /// The session is in the vault and survives a restart.
        remembered: bool,
        /// A change of email under way, if any.
        change: Option<EmailChange>,
        /// A note for the person (their email changed, …).
        notice: Option<Notice>,
    },
    /// Something went wrong; the email screen with the error, the email and the mode kept.
    Failed {
        /// The email to fill in.
        email: String,
        /// What went wrong.
        error: Error,
        /// The kind of sign-in last asked for.
        mode: Mode,
    },
}

/// What the email screen asks the server for. Sign-up-or-in unless the person chooses: then
/// an unknown email (on sign-in) or a known one (on sign-up) is an error offering the other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    /// Sign in, creating the account when there is none.
    #[default]
    SignUpOrIn,
    /// Sign in to an account that exists.
    SignIn,
    /// Create an account.
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
#[non_exhaustive]
pub enum EmailChange {
    /// Asking the server to send the links.
    Sending {
        /// The new address.
        new_email: String,
    },
    /// The links are out: show the number and wait.
    Waiting {
        /// The new address.
        new_email: String,
        /// The number to tap.
        link_id: String,
        /// The new address as the server masked it.
        masked_email: String,
        /// When the links were sent, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        sent_at_ms: i64,
        /// When the wait gives up, in Unix milliseconds.
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        expires_at_ms: i64,
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// The change failed; the signed-in session is as it was.
    Failed {
        /// The new address.
        new_email: String,
        /// What went wrong.
        error: Error,
    },
}

/// A note shown with a screen, saying why it shows. Serialized with a `kind` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Notice {
    /// At launch, the remembered session had ended (expired, or signed out elsewhere).
    SessionEnded,
    /// While signed in, the server ended the session (signed out elsewhere, or expired).
    SignedOutElsewhere,
    /// An administrator disabled the account; the session is over.
    Disabled,
    /// This computer's keyring cannot be used, so nobody stays signed in between runs.
    NoKeyring {
        /// The keyring's reason, for developers.
        detail: String,
    },
    /// Signed out here, but the server could not be told; the session ends there when it
    /// expires.
    ServerNotTold {
        /// Why not.
        error: Error,
        /// The sign-out was to end every session of the account, which go on meanwhile.
        everywhere: bool,
    },
    /// Signed out, but the keyring entry could not be removed.
    KeyringNotCleared {
        /// The keyring's reason, for developers.
        detail: String,
    },
    /// At launch, the remembered session could not be checked.
    RestoreFailed {
        /// Why not.
        error: Error,
    },
    /// A sign-in link was opened, but it was ignored.
    LinkIgnored {
        /// Why.
        reason: LinkIgnored,
    },
    /// The email change went through: the account's email is now `email`.
    EmailChanged {
        /// The new address.
        email: String,
    },
}

/// Why an opened sign-in link was ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum LinkIgnored {
    /// The app was not waiting for a magic link it asked for.
    NotWaiting,
    /// It is not a link at all.
    NotALink,
    /// It is not this app's sign-in link (another scheme, host or path).
    NotASignInLink,
    /// It is too long.
    TooLong,
    /// It does not carry exactly one sign-in token.
    NotOneToken,
    /// Its sign-in token is malformed.
    MalformedToken,
}

impl SessionState {
    /// The email this state is about.
    pub fn email(&self) -> &str {
        match self {
            SessionState::Restoring { .. } => "",
            SessionState::EnterEmail { email, .. }
            | SessionState::Sending { email, .. }
            | SessionState::Waiting { email, .. }
            | SessionState::MagicSent { email, .. }
            | SessionState::SignedIn { email, .. }
            | SessionState::Failed { email, .. } => email,
        }
    }

    /// The email screen for `email`, with `notice`, in `mode`.
    pub(crate) fn enter_email(email: &str, notice: Option<Notice>, mode: Mode) -> Self {
        SessionState::EnterEmail {
            email: email.to_owned(),
            notice,
            mode,
        }
    }

    /// Whether this is the signed-in state.
    pub fn is_signed_in(&self) -> bool {
        matches!(self, SessionState::SignedIn { .. })
    }
}
