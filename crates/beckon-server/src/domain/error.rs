//! Why a request was refused or failed, in the flows' own terms. `crate::http::error` alone
//! turns these into statuses and wire codes (and the confirm page into pages).

/// Results of the flows.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What kind of refusal: the client asked for something this server will not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not JSON, wrong types, too large.
    Malformed,
    /// A required field is missing.
    Missing,
    /// A field is present but invalid.
    Invalid,
    /// The user exists (sign-up), or an update would merge users while merges are off.
    UserExists,
    /// No user signs in with the login ID (sign-in).
    UserNotFound,
    /// The link or the request expired.
    Expired,
    /// The person answered "No, this wasn't me" on the confirm page: the request is over.
    Declined,
    /// The link's number is not the one the requesting device shows; the link stays valid.
    WrongLink,
    /// The code typed is not the request's; the request stays open for this many more.
    WrongCode(u32),
    /// The link or request is unknown, used, or cleaned up.
    NotFound,
    /// The refresh JWT is missing, invalid, expired or rotated out.
    InvalidRefresh,
    /// The refresh JWT's session was signed out.
    LoggedOut,
    /// Too many requests; the number is seconds until trying again makes sense.
    RateLimited(u64),
    /// Sign-in messages to the address are paused after its owner's "No, this wasn't me", for
    /// this many more seconds.
    Paused(u64),
    /// The request names a project this server is not.
    WrongProject,
    /// The user is disabled: no sign-in, no refresh.
    UserDisabled,
    /// A management call without a valid management key.
    NoManagementKey,
}

/// A refused or failed request.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Refused, with a sentence for the client (and optionally more).
    #[error("{description}")]
    Refused {
        refusal: Refusal,
        description: String,
        message: String,
    },
    /// The database failed; `http::error` says whether it is full or read-only.
    #[error("database: {0}")]
    Store(#[from] sqlx::Error),
    /// Something that should not happen, happened; the details go to the log only.
    #[error("{0}")]
    Internal(String),
}

impl Error {
    pub fn refused(refusal: Refusal, description: impl Into<String>) -> Self {
        Error::Refused {
            refusal,
            description: description.into(),
            message: String::new(),
        }
    }

    /// Adds the longer `errorMessage` to a refusal.
    pub fn with_message(self, more: impl Into<String>) -> Self {
        match self {
            Error::Refused {
                refusal,
                description,
                ..
            } => Error::Refused {
                refusal,
                description,
                message: more.into(),
            },
            other => other,
        }
    }

    /// The refusal, when this is one.
    pub fn refusal(&self) -> Option<Refusal> {
        match self {
            Error::Refused { refusal, .. } => Some(*refusal),
            _ => None,
        }
    }

    pub fn missing(field: &str) -> Self {
        Self::refused(Refusal::Missing, format!("The {field} field is required"))
    }

    pub fn invalid(description: impl Into<String>) -> Self {
        Self::refused(Refusal::Invalid, description)
    }

    pub fn declined() -> Self {
        Self::refused(
            Refusal::Declined,
            "Declined: the person this sign-in was for answered that it was not them",
        )
    }

    pub fn expired() -> Self {
        Self::refused(
            Refusal::Expired,
            "Token expired: Failed to load magic link token",
        )
    }

    pub fn not_found() -> Self {
        Self::refused(
            Refusal::NotFound,
            "Failed loading magic/enchanted link from cache, was not found, might be expired",
        )
    }

    /// Over a rate limit: try again in `seconds`.
    pub fn rate_limited(seconds: u64) -> Self {
        Self::refused(Refusal::RateLimited(seconds), "Rate limit exceeded")
            .with_message(format!("Too many requests; try again in {seconds} seconds"))
    }

    /// Sign-in messages to the address are paused for `seconds` more.
    pub fn paused(seconds: u64) -> Self {
        let minutes = seconds.div_ceil(60);
        Self::refused(
            Refusal::Paused(seconds),
            "Sign-ins to this address are paused",
        )
        .with_message(format!(
            "Someone answered \"No, this wasn't me\" to a sign-in to this address; new \
                 sign-in links are not sent to it for {minutes} more minute{}",
            if minutes == 1 { "" } else { "s" }
        ))
    }

    /// The user was disabled by an operator.
    pub fn user_disabled() -> Self {
        Self::refused(Refusal::UserDisabled, "User disabled")
            .with_message("An administrator disabled this account; ask them to enable it again")
    }

    /// A failure inside the server, with what the log should say.
    pub fn internal(error: impl std::fmt::Display) -> Self {
        Error::Internal(error.to_string())
    }
}
