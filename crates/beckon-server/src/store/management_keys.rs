//! The `management_keys` table: keys for the management API, kept as SHA-256 hashes.

use sqlx::Row;

use super::Store;

/// A management key as listed (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ManagementKey {
    pub key_id: String,
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
    pub revoked_at: Option<i64>,
    pub last_used: Option<i64>,
}

impl Store {
    pub async fn insert_management_key(
        &self,
        key_id: &str,
        name: &str,
        key_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<()> {
        sqlx::query(
            "INSERT INTO management_keys (key_id, name, key_hash, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(key_id)
        .bind(name)
        .bind(key_hash)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn management_keys(&self) -> sqlx::Result<Vec<ManagementKey>> {
        let rows = sqlx::query(
            "SELECT key_id, name, created_at, revoked_at, last_used FROM management_keys \
             ORDER BY created_at, key_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ManagementKey {
                    key_id: r.try_get("key_id")?,
                    name: r.try_get("name")?,
                    created_at: r.try_get("created_at")?,
                    revoked_at: r.try_get("revoked_at")?,
                    last_used: r.try_get("last_used")?,
                })
            })
            .collect()
    }

    /// Revokes the key with this ID; false when there is none, or it was revoked already.
    pub async fn revoke_management_key(&self, key_id: &str, now: i64) -> sqlx::Result<bool> {
        let revoked = sqlx::query(
            "UPDATE management_keys SET revoked_at = $1 WHERE key_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(key_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(revoked == 1)
    }

    /// The ID of the unrevoked key with this hash, noting that it was used now. A hash that
    /// is no key's only reads: a wrong key never takes the write lock sign-ins need.
    pub async fn use_management_key(
        &self,
        key_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<String>> {
        let key_id: Option<String> = sqlx::query_scalar(
            "SELECT key_id FROM management_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(key_id) = key_id else {
            return Ok(None);
        };
        // Revoked in between: refused as if it had been revoked before.
        let noted = sqlx::query(
            "UPDATE management_keys SET last_used = $1 WHERE key_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(&key_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((noted == 1).then_some(key_id))
    }
}
