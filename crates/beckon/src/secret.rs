use std::fmt;

use serde::Deserialize;

/// A string that must not leak: a pendingRef, a link token or a JWT.
///
/// `Debug` and `Display` print `<redacted>`, and it does not implement `Serialize`: nothing
/// writes it out by accident (a log line of a whole struct, a JSON dump). Read the value only
/// with [`Secret::expose`], at the point where it is sent or stored.
///
/// ```compile_fail
/// fn serializable<T: serde::Serialize>() {}
/// serializable::<beckon::Secret>();
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_and_display_hide_the_value() {
        let s = Secret::new("eyJhbGciOiJSUzI1NiJ9.secret");
        assert_eq!(format!("{s:?}"), "Secret(<redacted>)");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(s.expose(), "eyJhbGciOiJSUzI1NiJ9.secret");
    }

    #[test]
    fn deserializes_from_the_bare_string() {
        let s: Secret = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(s.expose(), "abc");
    }
}
