//! A proof key that binds a magic link to the app that asked for it (RFC 7636, PKCE, as
//! RFC 8252 has native apps use it). A magic link's token is a session for whoever redeems
//! it, and a link to `beckon://auth?t=…` reaches any program that registered the scheme. With
//! a proof key the request carries `BASE64URL(SHA256(verifier))`, and the link is redeemed
//! only with the verifier, which never leaves the app.
//!
//! beckon-server honours it; Descope's cloud ignores both fields, so there the token alone
//! still redeems the link.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::{Error, Result, Secret};

/// A code verifier: 43 to 128 characters of `A-Z a-z 0-9 - . _ ~`. `Debug` redacts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeVerifier(Secret);

impl CodeVerifier {
    /// A new verifier: 256 random bits, base64url (43 characters).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(Secret::new(URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// A verifier kept from earlier (the app was restarted while it waited for the link).
    pub fn from_secret(secret: Secret) -> Result<Self> {
        let value = secret.expose();
        let valid = (43..=128).contains(&value.len())
            && value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~'));
        if valid {
            Ok(Self(secret))
        } else {
            Err(Error::InvalidArgument(
                "a code verifier is 43 to 128 characters of A-Z, a-z, 0-9, -, ., _ and ~".into(),
            ))
        }
    }

    /// The verifier itself, to keep (in a keyring) until the link is redeemed.
    pub fn secret(&self) -> &Secret {
        &self.0
    }

    /// Its S256 challenge, sent with the request.
    pub fn challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.0.expose().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_challenge_is_rfc_7636s() {
        // RFC 7636 Appendix B.
        let verifier =
            CodeVerifier::from_secret(Secret::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert!(!format!("{verifier:?}").contains("dBjft"));
    }

    #[test]
    fn generated_verifiers_are_valid_and_differ() {
        let a = CodeVerifier::generate();
        assert_eq!(a.secret().expose().len(), 43);
        assert!(CodeVerifier::from_secret(a.secret().clone()).is_ok());
        assert_ne!(a, CodeVerifier::generate());
        assert!(CodeVerifier::from_secret(Secret::new("short")).is_err());
    }
}
