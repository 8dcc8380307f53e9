//! [`Secret`]: a pendingRef, a link token, a code verifier or a JWT.

use std::fmt;

use serde::{Deserialize, Serializer};

/// A string that must not leak: a pendingRef, a link token, a code verifier or a JWT.
///
/// `Debug` and `Display` print `<redacted>`, and it does not implement `Serialize`: nothing
/// writes it out by accident (a log line of a whole struct, a JSON dump). Read the value only
/// with [`Secret::expose`], at the point where it is sent or stored; a wire shape that carries
/// one names [`expose`] (or [`expose_some`]) as the field's serializer, the one place a secret
/// becomes text.
///
/// ```compile_fail
/// fn serializable<T: serde::Serialize>() {}
/// serializable::<beckon_proto::Secret>();
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

/// Writes a secret into a wire body (`#[serde(serialize_with = "...::expose")]`).
pub fn expose<S: Serializer>(secret: &Secret, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose())
}

/// [`expose`] for an optional field; pair it with `skip_serializing_if = "Option::is_none"`.
pub fn expose_some<S: Serializer>(
    secret: &Option<Secret>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_str(secret.expose()),
        None => serializer.serialize_none(),
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
