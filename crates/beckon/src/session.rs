use crate::{AuthResponse, Client, Error, Result, Secret, UserResponse};

/// What [`Client::validate_and_refresh_session`] found.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ValidSession {
    /// The valid session JWT: the one given, or a fresh one.
    pub token: SessionToken,
    /// The refresh answer, when the session had to be refreshed; keep its `refresh_jwt`, which
    /// replaces the old one.
    pub refreshed: Option<AuthResponse>,
}

/// A session JWT that passed validation.
#[derive(Debug, Clone)]
#[non_exhaustive]
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

/// The `drn` of a session JWT; a refresh JWT says `DSR` (docs/wire.md §7.1).
const SESSION_DRN: &str = "DS";

impl Client {
    /// Validates a session JWT against the project's published keys: signature (by `kid`,
    /// with the key's own `alg`), expiry with 5 s leeway, `iss` naming this project, and
    /// `drn: DS`, so a refresh JWT is never taken for a session.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, jwt: &str) -> beckon::Result<()> {
    /// let claims = client.validate_session(jwt).await?;
    /// println!("user {} until {}", claims.subject, claims.expires_at);
    /// # Ok(()) }
    /// ```
    pub async fn validate_session(&self, jwt: &str) -> Result<SessionToken> {
        self.validate(jwt, SESSION_DRN).await
    }

    /// A new session JWT for a refresh JWT. The answer carries a new refresh JWT too, which
    /// replaces the old one (the old one keeps working for a short grace).
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let session = client.refresh_session(&refresh).await?;
    /// let next_refresh = session.refresh_jwt.unwrap_or(refresh);
    /// # Ok(()) }
    /// ```
    pub async fn refresh_session(&self, refresh_jwt: &Secret) -> Result<AuthResponse> {
        self.post(
            "/v1/auth/refresh",
            &serde_json::json!({}),
            Some(refresh_jwt),
        )
        .await
    }

    /// Like [`Client::refresh_session`], but `None` for no refresh JWT gets `Ok(None)` from
    /// the server instead of an error.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, stored: Option<beckon::Secret>) -> beckon::Result<()> {
    /// if let Some(session) = client.try_refresh_session(stored.as_ref()).await? {
    ///     println!("still signed in");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn try_refresh_session(
        &self,
        refresh_jwt: Option<&Secret>,
    ) -> Result<Option<AuthResponse>> {
        let answer: serde_json::Value = self
            .post("/v1/auth/try-refresh", &serde_json::json!({}), refresh_jwt)
            .await?;
        if answer.get("sessionJwt").is_none() {
            return Ok(None);
        }
        serde_json::from_value(answer)
            .map(Some)
            .map_err(|e| Error::InvalidResponse(e.to_string()))
    }

    /// Validates `session_jwt`; when it is missing, expired or otherwise invalid, refreshes
    /// with `refresh_jwt` and validates the new one.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, session: Option<String>, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let valid = client.validate_and_refresh_session(session.as_deref(), &refresh).await?;
    /// if let Some(refreshed) = &valid.refreshed {
    ///     // store refreshed.refresh_jwt in place of the old refresh JWT
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn validate_and_refresh_session(
        &self,
        session_jwt: Option<&str>,
        refresh_jwt: &Secret,
    ) -> Result<ValidSession> {
        if let Some(jwt) = session_jwt {
            match self.validate_session(jwt).await {
                Ok(token) => {
                    return Ok(ValidSession {
                        token,
                        refreshed: None,
                    })
                }
                Err(Error::InvalidToken(_)) => {}
                Err(other) => return Err(other),
            }
        }
        let refreshed = self.refresh_session(refresh_jwt).await?;
        let token = self
            .validate_session(refreshed.session_jwt.expose())
            .await?;
        Ok(ValidSession {
            token,
            refreshed: Some(refreshed),
        })
    }

    /// Ends the session of `refresh_jwt` on the server: it stops working (`E064001`).
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// client.logout(&refresh).await?;
    /// # Ok(()) }
    /// ```
    pub async fn logout(&self, refresh_jwt: &Secret) -> Result<()> {
        let _: serde_json::Value = self
            .post("/v1/auth/logout", &serde_json::json!({}), Some(refresh_jwt))
            .await?;
        Ok(())
    }

    /// Ends every session of the user of `refresh_jwt`, on every device.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// client.logout_all(&refresh).await?;
    /// # Ok(()) }
    /// ```
    pub async fn logout_all(&self, refresh_jwt: &Secret) -> Result<()> {
        let _: serde_json::Value = self
            .post(
                "/v1/auth/logoutall",
                &serde_json::json!({}),
                Some(refresh_jwt),
            )
            .await?;
        Ok(())
    }

    /// The signed-in user (`GET /v1/auth/me`).
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let me = client.me(&refresh).await?;
    /// println!("{:?} {:?}", me.name, me.email);
    /// # Ok(()) }
    /// ```
    pub async fn me(&self, refresh_jwt: &Secret) -> Result<UserResponse> {
        self.get("/v1/auth/me", Some(refresh_jwt)).await
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

/// `iss` is the project ID, or a URL whose last path segment is the project ID (docs/wire.md §7.1).
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
