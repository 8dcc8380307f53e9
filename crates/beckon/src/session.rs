use serde::Deserialize;

use crate::{Client, Error, Result, Secret};

/// A signed-in session (the wire `JWTResponse`, spec §6.1).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    /// The short-lived session JWT (`drn: DS`).
    pub session_jwt: Secret,
    /// The long-lived refresh JWT (`drn: DSR`); keep it in the OS keyring.
    #[serde(default)]
    pub refresh_jwt: Option<Secret>,
    /// Who signed in.
    #[serde(default)]
    pub user: Option<UserResponse>,
    /// True the first time this user signs in.
    #[serde(default)]
    pub first_seen: bool,
    /// Seconds the refresh cookie would live, when the server says.
    #[serde(default)]
    pub cookie_max_age: Option<i64>,
}

/// A user as the server describes one (spec §6.1 `UserResponse`); fields the server leaves out
/// are empty.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct UserResponse {
    /// The user's stable ID (the JWT `sub`).
    pub user_id: String,
    /// Every login ID (email, phone) of the user.
    pub login_ids: Vec<String>,
    /// Display name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Whether the email was verified.
    pub verified_email: bool,
    /// Whether the phone was verified.
    pub verified_phone: bool,
    /// When the user was created, in Unix seconds.
    pub created_time: i64,
}

/// A session JWT that passed validation.
#[derive(Debug, Clone)]
pub struct SessionToken {
    /// The user's ID (`sub`, or `dsub` when present).
    pub subject: String,
    /// Expiry, in Unix seconds.
    pub expires_at: i64,
    /// Issue time, in Unix seconds, when the token says.
    pub issued_at: Option<i64>,
    /// How the user authenticated (`amr`), such as `["email"]`.
    pub auth_methods: Vec<String>,
    /// Every claim, for what this type does not lift out.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// The token itself.
    pub jwt: Secret,
}

/// The `drn` of a session JWT; a refresh JWT says `DSR` (spec §7.1).
const SESSION_DRN: &str = "DS";

impl Client {
    /// Validates a session JWT against the project's published keys: signature (by `kid`,
    /// with the key's own `alg`), expiry with 5 s leeway, `iss` naming this project, and
    /// `drn: DS`, so a refresh JWT is never taken for a session.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, jwt: &str) -> beckon::Result<()> {
    /// let token = client.validate_session(jwt).await?;
    /// println!("user {} until {}", token.subject, token.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn validate_session(&self, jwt: &str) -> Result<SessionToken> {
        self.validate(jwt, SESSION_DRN).await
    }

    pub(crate) async fn validate(&self, jwt: &str, expected_drn: &str) -> Result<SessionToken> {
        let header = jsonwebtoken::decode_header(jwt)
            .map_err(|e| Error::InvalidToken(format!("not a JWT: {e}")))?;
        let kid = header
            .kid
            .ok_or_else(|| Error::InvalidToken("the token names no key (kid)".into()))?;
        let key = self.jwks.key(self, &kid).await?;
        if key.algorithm != header.alg {
            return Err(Error::InvalidToken(format!(
                "the token's algorithm {:?} is not its key's {:?}",
                header.alg, key.algorithm
            )));
        }
        let mut validation = jsonwebtoken::Validation::new(key.algorithm);
        validation.leeway = 5;
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let data = jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(
            jwt,
            &key.decoding,
            &validation,
        )
        .map_err(|e| Error::InvalidToken(e.to_string()))?;
        let claims = data.claims;

        let drn = claims
            .get("drn")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if drn != expected_drn {
            return Err(Error::InvalidToken(format!(
                "expected a token with drn {expected_drn:?}, got {drn:?}"
            )));
        }
        let iss = claims
            .get("iss")
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if !issuer_matches(iss, self.project_id()) {
            return Err(Error::InvalidToken(format!(
                "the token was issued for another project ({iss:?})"
            )));
        }
        let text = |name: &str| claims.get(name).and_then(|v| v.as_str()).map(str::to_owned);
        let number = |name: &str| claims.get(name).and_then(|v| v.as_i64());
        Ok(SessionToken {
            subject: text("dsub").or_else(|| text("sub")).unwrap_or_default(),
            expires_at: number("exp").unwrap_or_default(),
            issued_at: number("iat"),
            auth_methods: claims
                .get("amr")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|m| m.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
            jwt: Secret::new(jwt),
            claims,
        })
    }
}

/// `iss` is the project ID, or a URL whose last path segment is the project ID (spec §7.1).
fn issuer_matches(iss: &str, project_id: &str) -> bool {
    iss == project_id || iss.rsplit('/').next() == Some(project_id) && iss.contains('/')
}

#[cfg(test)]
mod tests {
    use super::issuer_matches;

    #[test]
    fn issuer_forms() {
        let pid = "P2OPANdSmtackRAJlrRKFxFcoriw";
        assert!(issuer_matches(pid, pid));
        assert!(issuer_matches(
            &format!("https://api.descope.com/{pid}"),
            pid
        ));
        assert!(!issuer_matches("P2other", pid));
        assert!(!issuer_matches(
            &format!("https://api.descope.com/{pid}x"),
            pid
        ));
        assert!(!issuer_matches("", pid));
    }
}
