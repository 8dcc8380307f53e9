//! The one error type of the HTTP API, and its wire form (spec §8.1).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// Wire error codes (spec §8.2 and ARCHITECTURE.md "Decisions").
pub mod codes {
    /// Malformed request: not JSON, wrong types, too large.
    pub const BAD_REQUEST: &str = "E011001";
    /// A required field is missing.
    pub const MISSING_ARGUMENTS: &str = "E011002";
    /// A field is present but invalid.
    pub const INVALID_REQUEST: &str = "E011003";
    /// User already exists (sign-up).
    pub const USER_EXISTS: &str = "E062107";
    /// User not found (sign-in).
    pub const USER_NOT_FOUND: &str = "E062108";
    /// Enchanted link not confirmed yet (with HTTP 401).
    pub const PENDING: &str = "E062503";
    /// Link or sign-in request expired.
    pub const EXPIRED: &str = "E062504";
    /// A link whose number is not the one shown on the requesting device. Descope documents
    /// no code for this; the link stays valid (seed 003).
    pub const WRONG_LINK: &str = "E062505";
    /// Missing, invalid, expired or rotated-out refresh JWT (with HTTP 401). Descope's code
    /// for this is not documented (spec, open question 5).
    pub const INVALID_REFRESH: &str = "E061004";
    /// The refresh JWT's session was signed out (with HTTP 401).
    pub const LOGGED_OUT: &str = "E064001";
    /// Missing project ID in the Authorization header.
    pub const MISSING_PROJECT: &str = "E062802";
    /// Unknown project ID in the Authorization header.
    pub const INVALID_PROJECT: &str = "E062803";
    /// Link or pending sign-in unknown, already used, or cleaned up.
    pub const NOT_FOUND: &str = "E063010";
    /// Too many requests (with HTTP 429 and `Retry-After`), spec §1 item 10.
    pub const RATE_LIMITED: &str = "E130429";
    /// Something failed inside the server; details are in its log only.
    pub const INTERNAL: &str = "E010000";
}

/// An error answer: an HTTP status and the wire body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub description: String,
    pub message: String,
    /// Seconds until a rate-limited request may be tried again.
    pub retry_after: Option<u64>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct WireError<'a> {
    error_code: &'a str,
    error_description: &'a str,
    error_message: &'a str,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, description: impl Into<String>) -> Self {
        Self {
            status,
            code,
            description: description.into(),
            message: String::new(),
            retry_after: None,
        }
    }

    /// Adds the longer `errorMessage`.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, description)
    }

    pub fn missing(field: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::MISSING_ARGUMENTS,
            format!("The {field} field is required"),
        )
    }

    pub fn invalid(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::INVALID_REQUEST, description)
    }

    pub fn pending() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            codes::PENDING,
            "Enchanted link is pending: the link has not been confirmed yet",
        )
    }

    pub fn expired() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::EXPIRED,
            "Token expired: Failed to load magic link token",
        )
    }

    pub fn not_found() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            codes::NOT_FOUND,
            "Failed loading magic/enchanted link from cache, was not found, might be expired",
        )
    }

    /// Over a rate limit: try again in `seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        let mut error = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::RATE_LIMITED,
            "Rate limit exceeded",
        )
        .with_message(format!("Too many requests; try again in {seconds} seconds"));
        error.retry_after = Some(seconds);
        error
    }

    /// A failure inside the server: logged here, returned without details.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        tracing::error!(%error, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::INTERNAL,
            "Internal server error",
        )
    }
}

impl From<sqlx::Error> for ApiError {
    /// A database that is full or read-only is said so, for the operator (in the log) and the
    /// client; 507 and 500 are statuses no Descope SDK retries. Anything else is internal.
    fn from(error: sqlx::Error) -> Self {
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
        if full {
            tracing::error!(%error, "the database is full");
            Self::new(
                StatusCode::INSUFFICIENT_STORAGE,
                codes::INTERNAL,
                "The server's database is full",
            )
            .with_message("Nothing was changed. The server's operator must free space")
        } else if read_only {
            tracing::error!(%error, "the database is read-only");
            Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                codes::INTERNAL,
                "The server's database is read-only",
            )
            .with_message("Nothing was changed. The server's operator must make it writable")
        } else {
            Self::internal(error)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = WireError {
            error_code: self.code,
            error_description: &self.description,
            error_message: &self.message,
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
