//! The `signing_keys` table.

use sqlx::Row;

use super::Store;

/// A signing key as listed; its private key is read apart, only when needed.
pub struct StoredKey {
    pub kid: String,
    pub created_at: i64,
    /// 1 for the first key, one more for each rotation.
    pub generation: i64,
}

impl Store {
    /// Every signing key, without its private key (see [`Store::signing_key_pem`]).
    pub async fn signing_keys(&self) -> sqlx::Result<Vec<StoredKey>> {
        let rows = sqlx::query("SELECT kid, created_at, generation FROM signing_keys")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(StoredKey {
                    kid: r.try_get("kid")?,
                    created_at: r.try_get("created_at")?,
                    generation: r.try_get("generation")?,
                })
            })
            .collect()
    }

    /// The private key (PKCS#8 PEM) of signing key `kid`: read once per key and process.
    pub async fn signing_key_pem(&self, kid: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT pkcs8 FROM signing_keys WHERE kid = $1")
            .bind(kid)
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores a new signing key, one generation after the newest, if no key was made after
    /// `unless_newer_than` (`i64::MIN`: only into an empty table; `i64::MAX`: always). Of two
    /// servers storing one at once, one does: false for the other.
    pub async fn insert_signing_key(
        &self,
        kid: &str,
        pkcs8: &str,
        now: i64,
        unless_newer_than: i64,
    ) -> sqlx::Result<bool> {
        let inserted = sqlx::query(
            "INSERT INTO signing_keys (kid, pkcs8, created_at, generation) \
             SELECT $1, $2, $3, COALESCE(MAX(generation), 0) + 1 FROM signing_keys WHERE true \
             HAVING COUNT(*) = 0 OR MAX(created_at) <= $4 \
             ON CONFLICT DO NOTHING",
        )
        .bind(kid)
        .bind(pkcs8)
        .bind(now)
        .bind(unless_newer_than)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(inserted == 1)
    }
}
