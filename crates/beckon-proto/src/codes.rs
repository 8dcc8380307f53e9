//! Every wire `errorCode`, each written once, with what it means.

use std::fmt;

/// Declares [`ErrorCode`]: each variant, its wire string and its meaning, once.
macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])* $name:ident = $code:literal, )*) => {
        /// A wire `errorCode` this project gives meaning to. Descope's cloud may answer others;
        /// clients keep those as text ([`ErrorCode::parse`] gives `None`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[doc = $doc])* $name, )*
        }

        impl ErrorCode {
            /// Every code, in the order declared.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$name,)*];

            /// The code as it is on the wire, such as `E062108`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( ErrorCode::$name => $code, )*
                }
            }

            /// The code a wire string names, if it is one of these.
            pub fn parse(code: &str) -> Option<ErrorCode> {
                match code {
                    $( $code => Some(ErrorCode::$name), )*
                    _ => None,
                }
            }

            /// What the code means, in a sentence (its documentation above).
            pub fn meaning(self) -> &'static str {
                match self {
                    $( ErrorCode::$name => concat!($($doc),*).trim_ascii(), )*
                }
            }
        }
    };
}

error_codes! {
    /// Malformed request: not JSON, wrong types, too large.
    BadRequest = "E011001",
    /// A required field is missing.
    MissingArguments = "E011002",
    /// A field is present but invalid.
    InvalidRequest = "E011003",
    /// Something failed inside the server; the details are in its log only.
    Internal = "E010000",
    /// Missing, invalid, expired or rotated-out refresh JWT (with HTTP 401).
    InvalidRefresh = "E061004",
    /// The user already exists (sign-up), or an update would merge two users while merges
    /// are off.
    UserExists = "E062107",
    /// No user signs in with this login ID (sign-in).
    UserNotFound = "E062108",
    /// The enchanted link has not been confirmed yet (with HTTP 401).
    Pending = "E062503",
    /// The link or the sign-in request expired.
    Expired = "E062504",
    /// A link whose number is not the one the requesting device shows (Beckon's own; the
    /// link stays valid).
    WrongLink = "E062505",
    /// The person the sign-in was for answered "No, this wasn't me" on the confirm page: the
    /// request and all its links are over (Beckon's own, after RFC 8628's `access_denied`).
    Declined = "E062506",
    /// The code typed for a sign-in request is not its code (Beckon's own; the request stays
    /// open until its fifth wrong code).
    WrongCode = "E062507",
    /// The user was disabled by an operator: they cannot sign in, and their sessions have
    /// ended (with HTTP 401 at refresh; Beckon's own).
    UserDisabled = "E062120",
    /// A management call without a valid management key: missing, wrong, revoked, or
    /// another project's (with HTTP 401; Beckon's own).
    ManagementKey = "E062130",
    /// No project ID in the `Authorization` header.
    MissingProject = "E062802",
    /// The `Authorization` header names a project this server is not.
    InvalidProject = "E062803",
    /// The link or the pending sign-in is unknown, already used, or cleaned up.
    NotFound = "E063010",
    /// The refresh JWT's session was signed out (with HTTP 401).
    LoggedOut = "E064001",
    /// Too many requests (with HTTP 429 and `Retry-After`).
    RateLimited = "E130429",
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<ErrorCode> for str {
    fn eq(&self, code: &ErrorCode) -> bool {
        self == code.as_str()
    }
}

impl PartialEq<ErrorCode> for String {
    fn eq(&self, code: &ErrorCode) -> bool {
        self.as_str() == code.as_str()
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_reads_back_and_means_something() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(code.as_str().len() == 7 && code.as_str().starts_with('E'));
            assert!(!code.meaning().is_empty());
        }
        assert_eq!(ErrorCode::parse("E999999"), None);
        assert_eq!(
            ErrorCode::UserNotFound.meaning(),
            "No user signs in with this login ID (sign-in)."
        );
    }
}
