//! What went wrong, as a code with typed fields: the words are the view's (a view in another
//! language words the same code its own way), so nothing here is a sentence for a person.
//! [`Display`](std::fmt::Display) is for developers' logs.

use serde::Serialize;

/// Why an action failed, as a view branches on and words it. Serialized with a `code` tag:
/// `{"code": "rate_limited", "retryAfterSecs": 30}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "SessionError"))]
#[serde(
    tag = "code",
    rename_all = "snake_case",
    rename_all_fields = "camelCase"
)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the email address.
    #[error("the email address was refused")]
    InvalidEmail,
    /// Sign-in only, and no account uses the email: a view offers to create one.
    #[error("no account uses this email")]
    UnknownUser,
    /// Sign-up only, and an account already uses the email: a view offers to sign in.
    #[error("an account already uses this email")]
    UserExists,
    /// The server could not be reached.
    #[error("the sign-in server could not be reached")]
    Offline {
        /// The server's address, when it was asked which project it serves.
        server: Option<String>,
    },
    /// The links expired before one was confirmed.
    #[error("the link expired before it was confirmed")]
    Expired,
    /// The person answered "No, this wasn't me" on the phone: that sign-in is over.
    #[error("declined on the phone")]
    Declined,
    /// An administrator disabled the account.
    #[error("the account is disabled")]
    Disabled,
    /// Too many attempts.
    #[error("too many attempts")]
    RateLimited {
        /// Seconds until trying again makes sense, when the server said.
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        retry_after_secs: Option<u64>,
    },
    /// The owner of this address answered "No, this wasn't me" to a recent sign-in request,
    /// so the server sends no sign-in messages to it for a while: a view says how long, and
    /// that the email it sent can lift the pause.
    #[error("sign-ins to this address are paused after a \"No\"")]
    Paused {
        /// Seconds the pause has left, when the server said.
        #[cfg_attr(feature = "ts", ts(type = "number | null"))]
        retry_after_secs: Option<u64>,
    },
    /// The code typed is not the one in the email; the sign-in still waits, for
    /// `tries_left` more codes.
    #[error("wrong code")]
    WrongCode {
        /// How many more codes may be typed before the sign-in request ends.
        tries_left: u32,
    },
    /// A code was typed while no sign-in waits for its tap.
    #[error("no sign-in is waiting for a code")]
    NotWaiting,
    /// The server does not know the configured project ID.
    #[error("the server does not know this project ID")]
    UnknownProject,
    /// The server at `server` did not say which project it serves.
    #[error("{server} did not say which project it serves: {detail}")]
    NoProject {
        /// The server's address.
        server: String,
        /// What went wrong, for developers.
        detail: String,
    },
    /// No server is configured (neither a base URL nor a project ID).
    #[error("no server is configured")]
    NoServer,
    /// A plain `http://` server on another machine: the session would cross the network
    /// unencrypted. [`ServerConfig::unsafe_plain_http`](crate::ServerConfig::unsafe_plain_http)
    /// allows it.
    #[error("{url} is plain http:// on another machine")]
    PlainHttp {
        /// The refused address.
        url: String,
    },
    /// A server address typed in settings that cannot work.
    #[error("{input:?} is not a server address: {problem:?}")]
    BadServerUrl {
        /// What was typed.
        input: String,
        /// What is wrong with it.
        problem: UrlProblem,
    },
    /// A project ID typed in settings that is not one.
    #[error("{input:?} is not a Descope project ID")]
    BadProjectId {
        /// What was typed.
        input: String,
    },
    /// A language chosen in settings that is not a language tag (`es`, `es-MX`).
    #[error("{input:?} is not a language tag")]
    BadLanguage {
        /// What was given (at most its first 40 characters).
        input: String,
    },
    /// The settings file could not be written.
    #[error("the settings could not be saved in {path}: {detail}")]
    SettingsNotSaved {
        /// The file.
        path: String,
        /// The system's reason, for developers.
        detail: String,
    },
    /// This app keeps no server settings: its server is set in its code.
    #[error("this app keeps no server settings")]
    SettingsNotKept,
    /// The server is set by the environment for this run, so settings cannot change it.
    #[error("the server is set by the environment for this run")]
    SettingsFromEnvironment,
    /// The session the server sent did not validate, so nobody was signed in.
    #[error("the session the server sent did not validate")]
    InvalidSession,
    /// A magic link opened here signs in to another account than the one asked for
    /// (`email`); it was not used.
    #[error("the link signs in to another account than {email}")]
    WrongAccount {
        /// The account asked for.
        email: String,
    },
    /// Magic links that open this app need a deep-link scheme, and none is configured.
    #[error("no deep-link scheme is configured for magic links")]
    NoDeepLink,
    /// Nobody is signed in (asked for a session token, or to act for a session).
    #[error("nobody is signed in")]
    SignedOut,
    /// Anything else the server answered: its error code, if it sent one.
    #[error("the server refused ({server_code:?})")]
    Server {
        /// The server's error code (`E062108`…), if any.
        server_code: Option<String>,
    },
}

/// What is wrong with a server address typed in settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum UrlProblem {
    /// It does not parse as a URL.
    NotAUrl,
    /// It starts with neither `http://` nor `https://`.
    NotHttp,
    /// It names no host.
    NoHost,
    /// It has a `?` or `#` part.
    QueryOrFragment,
}

impl Error {
    /// Whether this is the server being unreachable (worth trying again by itself).
    pub fn is_offline(&self) -> bool {
        matches!(self, Error::Offline { .. })
    }
}

impl From<beckon::Error> for Error {
    fn from(error: beckon::Error) -> Self {
        use beckon::{Error as E, ErrorCode as C};
        let code = error.error_code();
        match &error {
            E::Network(_) => Error::Offline { server: None },
            E::Expired | E::NotFound | E::Timeout => Error::Expired,
            E::Declined => Error::Declined,
            E::RateLimited { retry_after } => Error::RateLimited {
                retry_after_secs: retry_after.map(|d| d.as_secs().max(1)),
            },
            E::WrongCode { tries_left } => Error::WrongCode {
                tries_left: *tries_left,
            },
            E::Paused { retry_after } => Error::Paused {
                retry_after_secs: retry_after.map(|d| d.as_secs().max(1)),
            },
            E::Api { .. } if matches!(code, Some(C::InvalidRequest | C::MissingArguments)) => {
                Error::InvalidEmail
            }
            // The codes Descope answers sign-in of an unknown user and sign-up of a known one.
            E::Api { .. } if code == Some(C::UserNotFound) => Error::UnknownUser,
            E::Api { .. } if code == Some(C::UserExists) => Error::UserExists,
            E::Api { .. } if code == Some(C::UserDisabled) => Error::Disabled,
            E::Api { .. } if matches!(code, Some(C::MissingProject | C::InvalidProject)) => {
                Error::UnknownProject
            }
            E::Api { code, .. } => Error::Server {
                server_code: Some(code.clone()).filter(|c| !c.is_empty()),
            },
            E::InvalidToken(_) => Error::InvalidSession,
            E::InvalidArgument(_) => Error::InvalidEmail,
            // Pending, Cancelled, an answer not in the wire format, and what the SDK adds later.
            _ => Error::Server { server_code: None },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_shape_is_a_code_with_typed_fields() {
        assert_eq!(
            serde_json::to_value(Error::Offline { server: None }).unwrap(),
            serde_json::json!({"code": "offline", "server": null})
        );
        let limited = Error::from(beckon::Error::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
        });
        assert_eq!(
            serde_json::to_value(&limited).unwrap(),
            serde_json::json!({"code": "rate_limited", "retryAfterSecs": 30})
        );
        let paused = Error::from(beckon::Error::Paused {
            retry_after: Some(std::time::Duration::from_secs(840)),
        });
        assert_eq!(
            serde_json::to_value(&paused).unwrap(),
            serde_json::json!({"code": "paused", "retryAfterSecs": 840})
        );
        let unknown = Error::from(beckon::Error::Api {
            status: 400,
            code: "E062108".into(),
            description: "User not found".into(),
            message: String::new(),
        });
        assert_eq!(
            serde_json::to_value(&unknown).unwrap(),
            serde_json::json!({"code": "unknown_user"})
        );
        // Another code: the server's code is kept, its English description is not.
        let other = Error::from(beckon::Error::Api {
            status: 400,
            code: "E099999".into(),
            description: "Request is invalid in some English way".into(),
            message: String::new(),
        });
        assert_eq!(
            serde_json::to_value(&other).unwrap(),
            serde_json::json!({"code": "server", "serverCode": "E099999"})
        );
    }
}
