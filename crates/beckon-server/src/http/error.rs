//! The one mapping from a refused or failed request to its answer: status, wire code, body.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use beckon_proto::{ErrorCode, WireError};

use crate::domain::{Error, Refusal};

/// An error answer: an HTTP status and the wire body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub description: String,
    pub message: String,
    /// Seconds until a rate-limited request may be tried again.
    pub retry_after: Option<u64>,
    /// Sign-ins to the address are paused after a "No" (the body's `paused` marker).
    pub paused: bool,
    /// After a wrong code: how many more the request takes (the body's `triesLeft`).
    pub tries_left: Option<u32>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, description: impl Into<String>) -> Self {
        Self {
            status,
            code,
            description: description.into(),
            message: String::new(),
            retry_after: None,
            paused: false,
            tries_left: None,
        }
    }

    /// Adds the longer `errorMessage`.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    /// A sign-in not confirmed yet: "keep polling" (401, which no Descope SDK retries by
    /// itself; docs/wire.md §4.4).
    pub fn pending() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Pending,
            "Enchanted link is pending: the link has not been confirmed yet",
        )
    }

    /// The server is too busy for this request now: `E130429` with `Retry-After`, `429`, or
    /// `500` on the routes where a 4xx signs a person out ([`SIGNS_OUT_ON_4XX`]).
    pub fn busy(path: &str, retry_after: u64) -> Self {
        let busy = Self {
            retry_after: Some(retry_after),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::RateLimited,
                "The server is busy",
            )
            .with_message(format!("Try again in {retry_after} seconds"))
        };
        if SIGNS_OUT_ON_4XX.contains(&path) {
            busy.keeping_tokens()
        } else {
            busy
        }
    }

    /// This answer on a route of [`SIGNS_OUT_ON_4XX`]: a rate limit becomes `500` (with its
    /// `E130429` and `Retry-After`), since any 4xx there makes `@descope/web-js-sdk` delete
    /// the person's tokens. Never `503`, which the official SDKs retry at once (docs/wire.md
    /// §8.3). Other refusals (an invalid token) stay as they are: those are meant to sign out.
    pub fn keeping_tokens(mut self) -> Self {
        if self.status == StatusCode::TOO_MANY_REQUESTS {
            self.status = StatusCode::INTERNAL_SERVER_ERROR;
        }
        self
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, description)
    }

    /// A failure inside the server: logged here (inside the request's span), answered
    /// without details.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "Internal server error",
        )
    }
}

/// The routes on which `@descope/web-js-sdk` deletes its stored tokens when the answer is any
/// 4xx (`isInvalidSessionResponse`): a limit there answers 500 (docs/wire.md §8.3).
pub const SIGNS_OUT_ON_4XX: [&str; 3] = ["/v1/auth/refresh", "/v1/auth/try-refresh", "/v1/auth/me"];

/// The status and code of each refusal.
fn status_and_code(refusal: Refusal) -> (StatusCode, ErrorCode) {
    use StatusCode as S;
    match refusal {
        Refusal::Malformed => (S::BAD_REQUEST, ErrorCode::BadRequest),
        Refusal::Missing => (S::BAD_REQUEST, ErrorCode::MissingArguments),
        Refusal::Invalid => (S::BAD_REQUEST, ErrorCode::InvalidRequest),
        Refusal::UserExists => (S::BAD_REQUEST, ErrorCode::UserExists),
        Refusal::UserNotFound => (S::BAD_REQUEST, ErrorCode::UserNotFound),
        Refusal::Expired => (S::BAD_REQUEST, ErrorCode::Expired),
        Refusal::WrongLink => (S::BAD_REQUEST, ErrorCode::WrongLink),
        Refusal::WrongCode(_) => (S::BAD_REQUEST, ErrorCode::WrongCode),
        Refusal::Declined => (S::BAD_REQUEST, ErrorCode::Declined),
        Refusal::NotFound => (S::BAD_REQUEST, ErrorCode::NotFound),
        Refusal::InvalidRefresh => (S::UNAUTHORIZED, ErrorCode::InvalidRefresh),
        Refusal::LoggedOut => (S::UNAUTHORIZED, ErrorCode::LoggedOut),
        Refusal::RateLimited(_) | Refusal::Paused(_) => {
            (S::TOO_MANY_REQUESTS, ErrorCode::RateLimited)
        }
        Refusal::WrongProject => (S::NOT_FOUND, ErrorCode::InvalidProject),
        Refusal::UserDisabled => (S::UNAUTHORIZED, ErrorCode::UserDisabled),
        Refusal::NoManagementKey => (S::UNAUTHORIZED, ErrorCode::ManagementKey),
    }
}

impl From<Error> for ApiError {
    fn from(error: Error) -> Self {
        match error {
            Error::Refused {
                refusal,
                description,
                message,
            } => {
                let (status, code) = status_and_code(refusal);
                ApiError {
                    status,
                    code,
                    description,
                    message,
                    retry_after: match refusal {
                        Refusal::RateLimited(seconds) | Refusal::Paused(seconds) => Some(seconds),
                        _ => None,
                    },
                    paused: matches!(refusal, Refusal::Paused(_)),
                    tries_left: match refusal {
                        Refusal::WrongCode(left) => Some(left),
                        _ => None,
                    },
                }
            }
            Error::Store(error) => store_failure(error),
            Error::Internal(error) => ApiError::internal(error),
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        store_failure(error)
    }
}

/// A database that is full or read-only is said so, for the operator (in the log) and the
/// client; 507 and 500 are statuses no Descope SDK retries. Anything else is internal.
fn store_failure(error: sqlx::Error) -> ApiError {
    let code = match &error {
        sqlx::Error::Database(db) => db.code().map(|c| c.into_owned()),
        _ => None,
    };
    let text = error.to_string();
    // SQLite: 13 (SQLITE_FULL), 8 and 1032 (SQLITE_READONLY…); PostgreSQL: class 53
    // (insufficient resources), 25006 (read-only transaction).
    let full = matches!(code.as_deref(), Some("13" | "53100"))
        || text.contains("database or disk is full");
    let read_only = matches!(code.as_deref(), Some("8" | "1032" | "25006"))
        || text.contains("attempt to write a readonly database");
    let (status, description, message) = if full {
        tracing::error!(%error, "the database is full");
        (
            StatusCode::INSUFFICIENT_STORAGE,
            "The server's database is full",
            "Nothing was changed. The server's operator must free space",
        )
    } else if read_only {
        tracing::error!(%error, "the database is read-only");
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The server's database is read-only",
            "Nothing was changed. The server's operator must make it writable",
        )
    } else {
        return ApiError::internal(error);
    };
    ApiError {
        message: message.into(),
        ..ApiError::new(status, ErrorCode::Internal, description)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = WireError {
            error_code: self.code.as_str().to_owned(),
            error_description: self.description,
            error_message: self.message,
            paused: self.paused,
            tries_left: self.tries_left,
        };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{}".to_vec());
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            json,
        )
            .into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
