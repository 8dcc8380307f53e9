//! The project's public keys (`GET /v2/keys/{projectId}`), cached per client by `kid`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use beckon_proto::{KeySet, PublicKey as Jwk};
use jsonwebtoken::{Algorithm, DecodingKey};
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::{Client, Error, Result};

/// Unknown `kid`s refetch the key set at most this often, so a flood of forged tokens cannot
/// turn into a flood of requests.
const MIN_REFETCH: Duration = Duration::from_secs(10);

pub(crate) struct VerifyingKey {
    pub algorithm: Algorithm,
    pub decoding: DecodingKey,
}

#[derive(Default)]
pub(crate) struct JwksCache {
    state: Mutex<CacheState>,
}

#[derive(Default)]
struct CacheState {
    keys: HashMap<String, Arc<VerifyingKey>>,
    fetched_at: Option<Instant>,
}

impl JwksCache {
    /// The key named `kid`, fetching the key set when it is not cached yet.
    pub(crate) async fn key(&self, client: &Client, kid: &str) -> Result<Arc<VerifyingKey>> {
        // Holding the lock across the fetch makes concurrent misses share one request.
        let mut state = self.state.lock().await;
        if let Some(key) = state.keys.get(kid) {
            return Ok(key.clone());
        }
        let may_fetch = state
            .fetched_at
            .is_none_or(|at| at.elapsed() >= MIN_REFETCH);
        if may_fetch {
            let set: KeySet = client
                .get(&format!("/v2/keys/{}", client.project_id()), None)
                .await?;
            state.keys = set.keys.into_iter().filter_map(usable_key).collect();
            state.fetched_at = Some(Instant::now());
        }
        state
            .keys
            .get(kid)
            .cloned()
            .ok_or_else(|| Error::InvalidToken(format!("no published key has kid {kid:?}")))
    }
}

/// Keeps RSA signing keys that say who they are; skips what the official SDKs skip (docs/wire.md §0.7).
fn usable_key(jwk: Jwk) -> Option<(String, Arc<VerifyingKey>)> {
    if jwk.use_.as_deref().is_some_and(|u| u != "sig") || jwk.kty.as_deref() != Some("RSA") {
        return None;
    }
    let algorithm = match jwk.alg.as_deref()? {
        "RS256" => Algorithm::RS256,
        "RS384" => Algorithm::RS384,
        "RS512" => Algorithm::RS512,
        _ => return None,
    };
    let decoding = DecodingKey::from_rsa_components(jwk.n.as_deref()?, jwk.e.as_deref()?).ok()?;
    Some((
        jwk.kid?,
        Arc::new(VerifyingKey {
            algorithm,
            decoding,
        }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwk(json: serde_json::Value) -> Jwk {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn skips_keys_the_official_sdks_skip() {
        let base = serde_json::json!({"kid":"k1","alg":"RS256","kty":"RSA","use":"sig","n":"sXch","e":"AQAB"});
        assert!(usable_key(jwk(base.clone())).is_some());
        let mut enc = base.clone();
        enc["use"] = "enc".into();
        assert!(usable_key(jwk(enc)).is_none());
        let mut no_alg = base.clone();
        no_alg.as_object_mut().unwrap().remove("alg");
        assert!(usable_key(jwk(no_alg)).is_none());
        let mut hs = base;
        hs["alg"] = "HS256".into();
        assert!(usable_key(jwk(hs)).is_none());
    }
}
