//! The RS256 signing keys: kept in the database, published as JWKS, and used to mint session
//! and refresh JWTs (docs/wire.md §6.5, §7.1).
//!
//! Keys rotate with overlap. The newest key signs; each older key stays published (and its
//! tokens keep validating) until the longest-lived token it can have signed has expired: a
//! refresh JWT's lifetime after the next key took over, plus a minute. A rotation is a new
//! row in `signing_keys`, made by `beckon-server rotate-key` or when the signing key is
//! `key_rotation_days` old. Every replica reloads the keys every few seconds, and at once when
//! it meets a token whose `kid` it does not know yet. Private keys never leave the database
//! (a SQLite file is readable by its owner only) and are never logged or printed.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use std::sync::{Arc, RwLock};

use beckon_proto::PublicKey;

use crate::store::{Store, StoredKey};

/// Where the first versions kept their one key; imported into `signing_keys` once.
const LEGACY_SETTING: &str = "signing_key_pkcs8";
/// How long an old key stays published after its replacement's tokens could have begun,
/// beyond a refresh JWT's lifetime.
const RETIRE_GRACE: i64 = 60;

/// What a JWT says (docs/wire.md §7.1).
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
    /// `loginOptions.customClaims`, nested as Descope nests them: they come from an
    /// unauthenticated request, so none of them may stand where a server-set claim would
    /// (`roles`, `permissions`, `email`, `tenants`, …).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    nsec: &'a serde_json::Map<String, serde_json::Value>,
}

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
    jwk: PublicKey,
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
    /// Claims the client asked for, kept under `nsec`.
    pub custom_claims: &'a serde_json::Map<String, serde_json::Value>,
}

impl SigningKey {
    pub fn from_pem(pem: &str) -> anyhow::Result<Self> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem)?;
        let n = URL_SAFE_NO_PAD.encode(key.n().to_bytes_be());
        let e = URL_SAFE_NO_PAD.encode(key.e().to_bytes_be());
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(n.as_bytes())[..12]);
        Ok(Self {
            encoding: EncodingKey::from_rsa_pem(pem.as_bytes())?,
            decoding: DecodingKey::from_rsa_components(&n, &e)?,
            jwk: PublicKey {
                alg: Some("RS256".into()),
                e: Some(e),
                kid: Some(kid.clone()),
                kty: Some("RSA".into()),
                n: Some(n),
                use_: Some("sig".into()),
            },
            kid,
        })
    }

    /// The key's ID, the `kid` of its JWTs.
    pub fn kid(&self) -> &str {
        &self.kid
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
            nsec: token.custom_claims,
        };
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

/// One key of the ring, with when it was made.
struct Ringed {
    key: Arc<SigningKey>,
    created_at: i64,
}

/// Every key still published, newest (the signer) first.
pub struct KeyRing {
    keys: RwLock<Vec<Ringed>>,
    /// A refresh JWT's lifetime: how long an old key's tokens can live.
    refresh_ttl: i64,
    /// When the keys were last read from the database (for on-demand reloads).
    loaded_at: RwLock<std::time::Instant>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kids: Vec<String> = self.read().iter().map(|r| r.key.kid.clone()).collect();
        f.debug_struct("KeyRing").field("kids", &kids).finish()
    }
}

impl KeyRing {
    /// The stored keys; on a new database, a first key, made once however many replicas
    /// start at the same time.
    pub async fn load_or_create(store: &Store, now: i64, refresh_ttl: u32) -> anyhow::Result<Self> {
        if store.signing_keys().await?.is_empty() {
            let pem = match store.setting(LEGACY_SETTING).await? {
                Some(pem) => pem,
                None => tokio::task::spawn_blocking(generate_pem).await??,
            };
            let key = SigningKey::from_pem(&pem)?;
            store
                .insert_signing_key(&key.kid, &pem, now, i64::MIN)
                .await?;
        }
        let ring = Self {
            keys: RwLock::new(Vec::new()),
            refresh_ttl: i64::from(refresh_ttl),
            loaded_at: RwLock::new(std::time::Instant::now()),
        };
        ring.reload(store).await?;
        Ok(ring)
    }

    /// Reads the keys again: a rotation by another process shows up here.
    pub async fn reload(&self, store: &Store) -> anyhow::Result<()> {
        let mut stored = store.signing_keys().await?;
        // Newest first; a generation is unique.
        stored.sort_by_key(|k| std::cmp::Reverse(k.generation));
        let mut keys = Vec::with_capacity(stored.len());
        let held: Vec<(String, Arc<SigningKey>)> = self
            .read()
            .iter()
            .map(|r| (r.key.kid.clone(), r.key.clone()))
            .collect();
        for StoredKey {
            kid, created_at, ..
        } in stored
        {
            // The keys already held are kept: only a new key's private half is read and
            // parsed (slow), once.
            let key = match held.iter().find(|(k, _)| *k == kid) {
                Some((_, key)) => key.clone(),
                None => {
                    let Some(pem) = store.signing_key_pem(&kid).await? else {
                        continue; // deleted since it was listed
                    };
                    Arc::new(SigningKey::from_pem(&pem)?)
                }
            };
            keys.push(Ringed { key, created_at });
        }
        if keys.is_empty() {
            anyhow::bail!("the database holds no signing key");
        }
        *self
            .keys
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = keys;
        *self
            .loaded_at
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = std::time::Instant::now();
        Ok(())
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<Ringed>> {
        self.keys
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The key that signs now: the newest.
    pub fn signer(&self) -> Arc<SigningKey> {
        // `reload` never leaves the ring empty.
        self.read()[0].key.clone()
    }

    /// How old the signing key is at `now`, in seconds.
    pub fn signer_age(&self, now: i64) -> i64 {
        now - self.read()[0].created_at
    }

    /// The keys whose tokens may still be valid at `now`: the signer, and each older key until
    /// a refresh JWT's lifetime (and a minute) after the next one was made.
    fn published(&self, now: i64) -> Vec<Arc<SigningKey>> {
        let keys = self.read();
        keys.iter()
            .enumerate()
            .filter(|(i, _)| {
                *i == 0 || keys[i - 1].created_at + self.refresh_ttl + RETIRE_GRACE > now
            })
            .map(|(_, r)| r.key.clone())
            .collect()
    }

    /// Keys made before this were retired by a newer key at least a refresh JWT's lifetime
    /// (and a minute) ago: nothing they signed is valid, so they can be deleted.
    pub fn retired_before(&self, now: i64) -> i64 {
        now - self.refresh_ttl - RETIRE_GRACE
    }

    /// The key set as published at `/v2/keys`.
    pub fn jwks(&self, now: i64) -> Vec<PublicKey> {
        self.published(now).iter().map(|k| k.jwk.clone()).collect()
    }

    /// Mints with the signing key.
    pub fn mint(&self, project_id: &str, token: &Mint<'_>) -> anyhow::Result<String> {
        self.signer().mint(project_id, token)
    }

    /// Checks a JWT against the published key its `kid` names. A `kid` not known yet may be a
    /// key another replica just made: the keys are read again (at most once a second).
    pub async fn verify(
        &self,
        store: &Store,
        jwt: &str,
        kind: TokenKind,
        project_id: &str,
        now: i64,
    ) -> Option<Verified> {
        let kid = jsonwebtoken::decode_header(jwt).ok()?.kid?;
        let find = || self.published(now).into_iter().find(|k| k.kid == kid);
        let key = match find() {
            Some(key) => key,
            None => {
                let stale = self
                    .loaded_at
                    .read()
                    .map(|t| t.elapsed() >= std::time::Duration::from_secs(1))
                    .unwrap_or(true);
                if !stale || self.reload(store).await.is_err() {
                    return None;
                }
                find()?
            }
        };
        key.verify(jwt, kind, project_id, now)
    }

    /// Makes a new signing key, which signs from now on (here after [`KeyRing::reload`], on
    /// other replicas at their next reload): its kid.
    pub async fn rotate(store: &Store, now: i64) -> anyhow::Result<String> {
        Self::rotate_unless_newer_than(store, now, i64::MAX)
            .await?
            .ok_or_else(|| anyhow::anyhow!("another server rotated the key at the same moment"))
    }

    /// Rotates unless a key was made after `threshold` (by this or another replica): the new
    /// key's kid, or `None`.
    pub async fn rotate_unless_newer_than(
        store: &Store,
        now: i64,
        threshold: i64,
    ) -> anyhow::Result<Option<String>> {
        let pem = tokio::task::spawn_blocking(generate_pem).await??;
        let key = SigningKey::from_pem(&pem)?;
        let stored = store
            .insert_signing_key(&key.kid, &pem, now, threshold)
            .await?;
        Ok(stored.then(|| key.kid.clone()))
    }
}

fn generate_pem() -> anyhow::Result<String> {
    let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)?;
    Ok(key.to_pkcs8_pem(LineEnding::LF)?.to_string())
}
