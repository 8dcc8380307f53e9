//! The RS256 signing key: generated on first start, kept in the database, published as JWKS,
//! and used to mint session and refresh JWTs (spec §6.5, §7.1).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::store::Store;

const SETTING: &str = "signing_key_pkcs8";

/// What a JWT says (spec §7.1).
#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    iat: i64,
    exp: i64,
    drn: &'static str,
    amr: &'a [&'a str],
}

/// The server's signing key and its public half.
pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    jwk: Jwk,
}

/// One key of the published key set.
#[derive(Debug, Clone, Serialize)]
pub struct Jwk {
    pub alg: &'static str,
    pub e: String,
    pub kid: String,
    pub kty: &'static str,
    pub n: String,
    #[serde(rename = "use")]
    pub use_: &'static str,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// Which token to mint.
#[derive(Debug, Clone, Copy)]
pub enum TokenKind {
    Session,
    Refresh,
}

impl SigningKey {
    /// The stored key, or a new one, stored.
    pub async fn load_or_create(store: &Store) -> anyhow::Result<Self> {
        let pem = match store.setting(SETTING).await? {
            Some(pem) => pem,
            None => {
                let pem = tokio::task::spawn_blocking(generate_pem).await??;
                // Another replica may have raced us; whatever is stored wins.
                store.insert_setting_if_absent(SETTING, &pem).await?;
                store
                    .setting(SETTING)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("the signing key was not stored"))?
            }
        };
        Self::from_pem(&pem)
    }

    fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)?;
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(n.as_bytes())[..12]);
        Ok(Self {
            encoding: EncodingKey::from_rsa_pem(pem.as_bytes())?,
            jwk: Jwk {
                alg: "RS256",
                e,
                kid: kid.clone(),
                kty: "RSA",
                n,
                use_: "sig",
            },
            kid,
        })
    }

    /// The public key, as published.
    pub fn jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// Mints a JWT for `user_id`, valid from `now` for `ttl` seconds.
    pub fn mint(
        &self,
        kind: TokenKind,
        project_id: &str,
        user_id: &str,
        amr: &[&str],
        now: i64,
        ttl: i64,
    ) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let claims = Claims {
            iss: project_id,
            sub: user_id,
            iat: now,
            exp: now + ttl,
            drn: match kind {
                TokenKind::Session => "DS",
                TokenKind::Refresh => "DSR",
            },
            amr,
        };
        Ok(jsonwebtoken::encode(&header, &claims, &self.encoding)?)
    }
}

fn generate_pem() -> anyhow::Result<String> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
    Ok(key.to_pkcs8_pem(LineEnding::LF)?.to_string())
}
