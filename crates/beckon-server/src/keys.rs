//! The RS256 signing key: generated on first start, kept in the database, published as JWKS,
//! and used to mint session and refresh JWTs (spec §6.5, §7.1).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::{Deserialize, Serialize};
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
    amr: &'a [String],
    /// The refresh JWT's ID, by which logout and rotation find it.
    #[serde(skip_serializing_if = "Option::is_none")]
    jti: Option<&'a str>,
    /// `loginOptions.customClaims`, beside the standard claims (never in place of one).
    #[serde(flatten)]
    custom: &'a serde_json::Map<String, serde_json::Value>,
}

/// Claims a client may not set through `customClaims`: the ones this server and the SDKs
/// rely on.
pub const RESERVED_CLAIMS: &[&str] = &[
    "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "drn", "amr", "dsub", "tenants", "su",
];

/// The claims of a JWT this server signed, once checked.
#[derive(Debug, Clone, Deserialize)]
pub struct Verified {
    pub sub: String,
    pub exp: i64,
    pub drn: String,
    #[serde(default)]
    pub amr: Vec<String>,
    #[serde(default)]
    pub jti: Option<String>,
}

/// The server's signing key and its public half.
pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    decoding: DecodingKey,
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

/// Which token to mint or expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Session,
    Refresh,
}

/// A JWT to mint: for `user_id`, valid from `now` for `ttl` seconds.
pub struct Mint<'a> {
    pub kind: TokenKind,
    pub user_id: &'a str,
    pub amr: &'a [String],
    pub jti: Option<&'a str>,
    pub now: i64,
    pub ttl: i64,
    /// Extra claims; none of [`RESERVED_CLAIMS`].
    pub custom_claims: &'a serde_json::Map<String, serde_json::Value>,
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
            decoding: DecodingKey::from_rsa_components(&n, &e)?,
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

    /// Mints the JWT `token` describes, issued by `project_id`.
    pub fn mint(&self, project_id: &str, token: &Mint<'_>) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        let claims = Claims {
            iss: project_id,
            sub: token.user_id,
            iat: token.now,
            exp: token.now + token.ttl,
            drn: match token.kind {
                TokenKind::Session => "DS",
                TokenKind::Refresh => "DSR",
            },
            amr: token.amr,
            jti: token.jti,
            custom: token.custom_claims,
        };
        if let Some(reserved) = RESERVED_CLAIMS
            .iter()
            .find(|c| token.custom_claims.contains_key(**c))
        {
            anyhow::bail!("a custom claim may not replace the {reserved:?} claim");
        }
        Ok(jsonwebtoken::encode(&header, &claims, &self.encoding)?)
    }

    /// Checks a JWT this server signed: signature, `kid`, expiry at `now` (5 s leeway, as
    /// the SDKs), issuer, and kind (`drn`). `None` for anything else.
    pub fn verify(
        &self,
        jwt: &str,
        kind: TokenKind,
        project_id: &str,
        now: i64,
    ) -> Option<Verified> {
        let header = jsonwebtoken::decode_header(jwt).ok()?;
        if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(&self.kid) {
            return None;
        }
        let mut validation = Validation::new(Algorithm::RS256);
        // Expiry is checked below against the server's clock, not the system's.
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.set_issuer(&[project_id]);
        let claims = jsonwebtoken::decode::<Verified>(jwt, &self.decoding, &validation)
            .ok()?
            .claims;
        let drn = match kind {
            TokenKind::Session => "DS",
            TokenKind::Refresh => "DSR",
        };
        (claims.drn == drn && claims.exp + 5 >= now).then_some(claims)
    }
}

fn generate_pem() -> anyhow::Result<String> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
    Ok(key.to_pkcs8_pem(LineEnding::LF)?.to_string())
}
