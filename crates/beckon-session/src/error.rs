//! Errors as the UI sees them: a `code` it branches on and a `message` a person can act on.

use serde::Serialize;

/// An error for the UI. The JSON shape is pinned by a test below.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct UiError {
    pub code: ErrorCode,
    pub message: String,
    /// Seconds until trying again makes sense, for `rate_limited`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub retry_after_secs: Option<u64>,
}

/// What kind of problem it is; the UI chooses what to offer from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The email address was refused.
    InvalidEmail,
    /// Sign-in only, and no account uses the email: the UI offers to create one.
    UnknownUser,
    /// Sign-up only, and an account already uses the email: the UI offers to sign in.
    UserExists,
    /// The server could not be reached.
    Offline,
    /// The link expired before it was confirmed.
    Expired,
    /// The person answered "No, this wasn't me" on the phone: the sign-in is over.
    Declined,
    /// An administrator disabled the account: no sign-in until they enable it.
    Disabled,
    /// Too many attempts; wait.
    RateLimited,
    /// The app is not set up right (server URL, project ID).
    Config,
    /// The session the server sent did not validate.
    InvalidSession,
    /// Anything else the server said.
    Server,
}

/// What the app says when the server answers that an administrator disabled the account.
pub const DISABLED: &str =
    "This account is disabled. Ask whoever runs your sign-in server to enable it.";

impl UiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after_secs: None,
        }
    }
}

impl From<beckon::Error> for UiError {
    fn from(error: beckon::Error) -> Self {
        use beckon::{Error as E, ErrorCode as C};
        let code = error.error_code();
        match &error {
            E::Network(_) => UiError::new(
                ErrorCode::Offline,
                "Can't reach the sign-in server. Check your connection and try again.",
            ),
            E::Expired | E::NotFound | E::Timeout => UiError::new(
                ErrorCode::Expired,
                "The link expired before it was confirmed. Send a new one.",
            ),
            E::Declined => UiError::new(
                ErrorCode::Declined,
                "Declined on your phone. Nobody was signed in; the links no longer work.",
            ),
            E::RateLimited { retry_after } => {
                let secs = retry_after.map(|d| d.as_secs().max(1));
                UiError {
                    retry_after_secs: secs,
                    ..UiError::new(
                        ErrorCode::RateLimited,
                        match secs {
                            Some(s) if s < 90 => {
                                format!("Too many attempts. Try again in {s} seconds.")
                            }
                            Some(s) => format!(
                                "Too many attempts. Try again in {} minutes.",
                                s.div_ceil(60)
                            ),
                            None => "Too many attempts. Try again in a minute.".into(),
                        },
                    )
                }
            }
            E::Api { description, .. }
                if matches!(code, Some(C::InvalidRequest | C::MissingArguments)) =>
            {
                UiError::new(ErrorCode::InvalidEmail, format!("{description}."))
            }
            // The codes Descope answers sign-in of an unknown user and sign-up of a known one with.
            E::Api { .. } if code == Some(C::UserNotFound) => UiError::new(
                ErrorCode::UnknownUser,
                "No account uses this email yet. Create one, or check the address.",
            ),
            E::Api { .. } if code == Some(C::UserExists) => UiError::new(
                ErrorCode::UserExists,
                "An account already uses this email. Sign in instead.",
            ),
            E::Api { .. } if code == Some(C::UserDisabled) => {
                UiError::new(ErrorCode::Disabled, DISABLED)
            }
            E::Api { .. } if matches!(code, Some(C::MissingProject | C::InvalidProject)) => {
                UiError::new(
                    ErrorCode::Config,
                    "The server does not know this app's project ID. Check BECKON_PROJECT_ID.",
                )
            }
            E::Api { description, .. } => UiError::new(
                ErrorCode::Server,
                format!("The sign-in server refused: {description}."),
            ),
            E::InvalidToken(_) => UiError::new(
                ErrorCode::InvalidSession,
                "The server's answer could not be verified, so you were not signed in. Try again.",
            ),
            E::InvalidArgument(msg) => UiError::new(ErrorCode::InvalidEmail, msg.clone()),
            E::Pending | E::Cancelled | E::InvalidResponse(_) => UiError::new(
                ErrorCode::Server,
                format!("Something went wrong talking to the server: {error}."),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_code_and_message() {
        let e = UiError::new(ErrorCode::Offline, "Can't reach it.");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({"code": "offline", "message": "Can't reach it."})
        );
        let limited = UiError::from(beckon::Error::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
        });
        let unknown = UiError::from(beckon::Error::Api {
            status: 400,
            code: "E062108".into(),
            description: "User not found".into(),
            message: String::new(),
        });
        assert_eq!(
            serde_json::to_value(&unknown).unwrap()["code"],
            "unknown_user"
        );
        assert_eq!(
            serde_json::to_value(&limited).unwrap(),
            serde_json::json!({
                "code": "rate_limited",
                "message": "Too many attempts. Try again in 30 seconds.",
                "retryAfterSecs": 30
            })
        );
    }
}
