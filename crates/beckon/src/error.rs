use std::time::Duration;

use beckon_proto::{ErrorCode, WireError};

/// Results of every call in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong talking to a Descope-compatible server.
///
/// Variants that callers branch on are their own variants; every other error answer from the
/// server is [`Error::Api`] with its wire `errorCode` ([`ErrorCode`] lists the ones this
/// project knows; `docs/wire.md` in the repository says when each is sent).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The enchanted link has not been confirmed yet (`401 E062503`).
    #[error("the link has not been confirmed yet")]
    Pending,
    /// The link or the sign-in request expired (`E062504`).
    #[error("the link expired before it was confirmed")]
    Expired,
    /// The person answered "No, this wasn't me" on the confirm page: the sign-in is over and
    /// its links no longer work (`E062506`, beckon-server only).
    #[error("the sign-in was declined on the phone")]
    Declined,
    /// The server no longer knows the link or the pending sign-in: it was already used, or it
    /// expired and was cleaned up (`E063010`).
    #[error(
        "the sign-in request is no longer known to the server: it was already used or it expired"
    )]
    NotFound,
    /// Too many requests (`429 E130429`); try again after `retry_after` when the server said.
    #[error("too many requests; try again later")]
    RateLimited {
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    /// Sign-in messages to this address are paused because its owner answered "No, this
    /// wasn't me" on a confirm page (`429 E130429` with beckon-server's `paused` marker,
    /// `docs/wire.md` §8.4). Nothing was sent; trying again before `retry_after` is refused
    /// again, so say so rather than retry.
    #[error("sign-ins to this address are paused after a \"No, this wasn't me\"")]
    Paused {
        /// How long the pause has left, from the server's `Retry-After`.
        retry_after: Option<Duration>,
    },
    /// The code typed is not the request's (`400 E062507`, beckon-server only); the request
    /// stays open for `tries_left` more.
    #[error("wrong code; {tries_left} more tries before the sign-in request ends")]
    WrongCode {
        /// How many more codes the request takes before it ends.
        tries_left: u32,
    },
    /// Any other error answer from the server.
    #[error("{description} ({code})")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The wire `errorCode`, such as `E062108` (user not found).
        code: String,
        /// The wire `errorDescription`.
        description: String,
        /// The wire `errorMessage`, often empty.
        message: String,
    },
    /// The server could not be reached, or the connection broke.
    #[error("could not reach the server: {0}")]
    Network(#[source] NetworkError),
    /// The server answered something that is not the wire format.
    #[error("unexpected answer from the server: {0}")]
    InvalidResponse(String),
    /// A JWT failed validation.
    #[error("invalid token: {0}")]
    InvalidToken(String),
    /// `wait_for_session` reached its deadline.
    #[error("timed out waiting for the link to be confirmed")]
    Timeout,
    /// `wait_for_session` was cancelled.
    #[error("cancelled")]
    Cancelled,
    /// An argument was rejected before anything was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

/// Why the server could not be reached: its [`Display`](std::fmt::Display) and
/// [`source`](std::error::Error::source) say more. (The HTTP client behind it is this crate's
/// own business, not part of its API.)
#[derive(Debug)]
pub struct NetworkError(reqwest::Error);

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for NetworkError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl NetworkError {
    /// Whether the request timed out.
    pub fn is_timeout(&self) -> bool {
        self.0.is_timeout()
    }

    /// Whether the connection could not be made.
    pub fn is_connect(&self) -> bool {
        self.0.is_connect()
    }
}

impl From<reqwest::Error> for NetworkError {
    fn from(error: reqwest::Error) -> Self {
        Self(error)
    }
}

impl Error {
    /// The wire `errorCode` this error came from, when it came from the server.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Pending => Some(ErrorCode::Pending.as_str()),
            Error::Expired => Some(ErrorCode::Expired.as_str()),
            Error::Declined => Some(ErrorCode::Declined.as_str()),
            Error::WrongCode { .. } => Some(ErrorCode::WrongCode.as_str()),
            Error::NotFound => Some(ErrorCode::NotFound.as_str()),
            Error::RateLimited { .. } | Error::Paused { .. } => {
                Some(ErrorCode::RateLimited.as_str())
            }
            Error::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// [`Error::code`] as one of the codes this project knows, to match on.
    pub fn error_code(&self) -> Option<ErrorCode> {
        self.code().and_then(ErrorCode::parse)
    }

    /// True when the server refused the refresh JWT (HTTP 401): it expired, was signed out
    /// (`E064001`) or replaced. Sign in again; retrying will not help.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Api { status: 401, .. })
    }

    /// True for errors worth retrying later with the same request: the network, or a server
    /// error (5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network(_) => true,
            Error::Api { status, .. } => *status >= 500,
            _ => false,
        }
    }

    pub(crate) fn from_wire(status: u16, body: &[u8], retry_after: Option<Duration>) -> Self {
        let wire: WireError = serde_json::from_slice(body).unwrap_or_default();
        match ErrorCode::parse(&wire.error_code) {
            Some(ErrorCode::Pending) => Error::Pending,
            Some(ErrorCode::Expired) => Error::Expired,
            Some(ErrorCode::Declined) => Error::Declined,
            Some(ErrorCode::WrongCode) => Error::WrongCode {
                tries_left: wire.tries_left.unwrap_or(0),
            },
            Some(ErrorCode::NotFound) => Error::NotFound,
            code if status == 429 || code == Some(ErrorCode::RateLimited) => {
                if wire.paused {
                    Error::Paused { retry_after }
                } else {
                    Error::RateLimited { retry_after }
                }
            }
            _ => Error::Api {
                status,
                code: if wire.error_code.is_empty() {
                    format!("HTTP{status}")
                } else {
                    wire.error_code
                },
                description: if wire.error_description.is_empty() {
                    format!("server answered HTTP {status}")
                } else {
                    wire.error_description
                },
                message: wire.error_message,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_wire_codes_to_variants() {
        let pending = br#"{"errorCode":"E062503","errorDescription":"pending"}"#;
        assert!(matches!(
            Error::from_wire(401, pending, None),
            Error::Pending
        ));
        let expired = br#"{"errorCode":"E062504"}"#;
        assert!(matches!(
            Error::from_wire(400, expired, None),
            Error::Expired
        ));
        let limited = br#"{"errorCode":"E130429"}"#;
        match Error::from_wire(429, limited, Some(Duration::from_secs(7))) {
            Error::RateLimited { retry_after } => {
                assert_eq!(retry_after, Some(Duration::from_secs(7)))
            }
            other => panic!("unexpected {other:?}"),
        }
        let paused = br#"{"errorCode":"E130429","paused":true}"#;
        match Error::from_wire(429, paused, Some(Duration::from_secs(840))) {
            Error::Paused { retry_after } => {
                assert_eq!(retry_after, Some(Duration::from_secs(840)))
            }
            other => panic!("unexpected {other:?}"),
        }
        let wrong = br#"{"errorCode":"E062507","triesLeft":3}"#;
        assert!(matches!(
            Error::from_wire(400, wrong, None),
            Error::WrongCode { tries_left: 3 }
        ));
        let not_paused = br#"{"errorCode":"E130429","paused":false}"#;
        assert!(matches!(
            Error::from_wire(429, not_paused, None),
            Error::RateLimited { .. }
        ));
    }

    #[test]
    fn keeps_unknown_codes_and_survives_non_json() {
        let e = Error::from_wire(
            400,
            br#"{"errorCode":"E062108","errorDescription":"User not found"}"#,
            None,
        );
        assert_eq!(e.code(), Some("E062108"));
        assert_eq!(e.to_string(), "User not found (E062108)");
        let e = Error::from_wire(502, b"<html>bad gateway</html>", None);
        assert_eq!(e.code(), Some("HTTP502"));
        assert!(e.is_transient());
    }
}
