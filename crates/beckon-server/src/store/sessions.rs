//! The `sessions` and `refresh_tokens` tables.

use sqlx::Row;

use super::notices::NewNotice;
use super::{json_column, Store};

/// A refresh JWT as stored (by `jti`), with its session.
#[derive(Debug, Clone)]
pub struct RefreshToken {
    pub jti: String,
    pub session_id: String,
    pub user_id: String,
    pub expires_at: i64,
    pub replaced_at: Option<i64>,
    /// The token that replaced this one, once rotated.
    pub successor: Option<String>,
    pub session_revoked_at: Option<i64>,
    /// The session's absolute end.
    pub session_expires_at: i64,
    /// Claims every session JWT of the session carries.
    pub custom_claims: serde_json::Map<String, serde_json::Value>,
}

/// A session to start.
#[derive(Clone, Copy)]
pub struct NewSession<'a> {
    pub session_id: &'a str,
    pub user_id: &'a str,
    /// The first refresh JWT's ID.
    pub jti: &'a str,
    pub now: i64,
    /// When that refresh JWT expires.
    pub expires_at: i64,
    /// The session's absolute end, which refreshes do not move.
    pub session_expires_at: i64,
    pub custom_claims: &'a serde_json::Map<String, serde_json::Value>,
    pub revoke_others: bool,
}

impl Store {
    /// Starts a session for `user_id` with its first refresh JWT's `jti`; with
    /// `revoke_others`, every other session of the user ends. With `collect`, the session is
    /// that verified sign-in request's, handed out once: in the same transaction the request
    /// is marked collected, so a failure leaves it collectable and the person's confirmation
    /// is not lost. False when another caller collected it first (nothing is written).
    pub async fn insert_session(
        &self,
        new: &NewSession<'_>,
        collect: Option<&[u8]>,
        notice: Option<&NewNotice<'_>>,
    ) -> sqlx::Result<bool> {
        let NewSession {
            session_id,
            user_id,
            jti,
            now,
            expires_at,
            session_expires_at,
            custom_claims,
            revoke_others,
        } = *new;
        let mut tx = self.pool.begin().await?;
        if let Some(ref_hash) = collect {
            let collected = sqlx::query(
                "UPDATE pending_logins SET collected_at = $1, collected_jti = $2 \
                 WHERE ref_hash = $3 AND verified_at IS NOT NULL AND collected_at IS NULL",
            )
            .bind(now)
            .bind(jti)
            .bind(ref_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if collected != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        if revoke_others {
            sqlx::query(
                "UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        let claims = (!custom_claims.is_empty())
            .then(|| serde_json::to_string(custom_claims).ok())
            .flatten();
        sqlx::query(
            "INSERT INTO sessions (session_id, user_id, created_at, custom_claims, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(session_id)
        .bind(user_id)
        .bind(now)
        .bind(claims)
        .bind(session_expires_at)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES ($1, $2, $3)")
            .bind(jti)
            .bind(session_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        if let Some(notice) = notice {
            super::notices::insert(&mut tx, notice, session_id, user_id, now).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// The refresh JWT `jti` with its session.
    pub async fn refresh_token(&self, jti: &str) -> sqlx::Result<Option<RefreshToken>> {
        let row = sqlx::query(
            "SELECT r.jti, r.session_id, r.expires_at, r.replaced_at, r.successor, s.user_id, \
             s.revoked_at, s.expires_at AS session_expires_at, s.custom_claims \
             FROM refresh_tokens r JOIN sessions s ON s.session_id = r.session_id WHERE r.jti = $1",
        )
        .bind(jti)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(RefreshToken {
                jti: r.try_get("jti")?,
                session_id: r.try_get("session_id")?,
                user_id: r.try_get("user_id")?,
                expires_at: r.try_get("expires_at")?,
                replaced_at: r.try_get("replaced_at")?,
                successor: r.try_get("successor")?,
                session_revoked_at: r.try_get("revoked_at")?,
                session_expires_at: r.try_get("session_expires_at")?,
                custom_claims: json_column(&r, "custom_claims")?.unwrap_or_default(),
            })
        })
        .transpose()
    }

    /// Rotates `old` out for a new token `new_jti` in the same session, once: of two
    /// rotations of one token at once, one makes the successor and the other gets that same
    /// one back. Returns the successor's `jti` and expiry.
    pub async fn rotate_refresh(
        &self,
        old: &RefreshToken,
        new_jti: &str,
        expires_at: i64,
        now: i64,
        audit: &super::AuditRow,
    ) -> sqlx::Result<(String, i64)> {
        let mut tx = self.pool.begin().await?;
        let rotated = sqlx::query(
            "UPDATE refresh_tokens SET replaced_at = $1, successor = $2 \
             WHERE jti = $3 AND replaced_at IS NULL",
        )
        .bind(now)
        .bind(new_jti)
        .bind(&old.jti)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if rotated == 1 {
            // The refresh's event, in its own commit: one fsync, not two. A replay inside
            // the grace (below) is no new event, and writes nothing.
            super::audit::insert(&mut tx, audit).await?;
            sqlx::query(
                "INSERT INTO refresh_tokens (jti, session_id, expires_at) VALUES ($1, $2, $3)",
            )
            .bind(new_jti)
            .bind(&old.session_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Ok((new_jti.to_owned(), expires_at));
        }
        // Another request rotated it first (its row is committed: this UPDATE waited for it).
        let row = sqlx::query(
            "SELECT n.jti, n.expires_at FROM refresh_tokens o \
             JOIN refresh_tokens n ON n.jti = o.successor WHERE o.jti = $1",
        )
        .bind(&old.jti)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((row.try_get("jti")?, row.try_get("expires_at")?))
    }

    /// Revokes one session.
    pub async fn revoke_session(&self, session_id: &str, now: i64) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE session_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(session_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Revokes every session of a user.
    /// How many of the user's sessions are not ended.
    pub async fn live_session_count(&self, user_id: &str) -> sqlx::Result<i64> {
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(&self.pool)
        .await
    }

    pub async fn revoke_user_sessions(&self, user_id: &str, now: i64) -> sqlx::Result<()> {
        revoke_user_sessions(&self.pool, user_id, now).await
    }
}

/// Ends every session of a user, on the pool or inside a caller's transaction.
pub(super) async fn revoke_user_sessions<'e>(
    on: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(user_id)
        .execute(on)
        .await?;
    Ok(())
}
