//! The `users` and `login_ids` tables.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Backend, Store};
use crate::domain::User;

pub(super) const USER_COLUMNS: &str =
    "u.user_id, u.email, u.phone, u.name, u.given_name, u.middle_name, \
     u.family_name, u.verified_email, u.verified_phone, u.created_at";

impl Store {
    /// The user who signs in with `login_id`.
    pub async fn user_by_login_id(&self, login_id: &str) -> sqlx::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM login_ids l JOIN users u ON u.user_id = l.user_id \
             WHERE l.login_id = $1"
        ))
        .bind(login_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.with_login_ids(user_from_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    pub async fn user_by_id(&self, user_id: &str) -> sqlx::Result<Option<User>> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.user_id = $1"
        ))
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(row) => Ok(Some(self.with_login_ids(user_from_row(&row)?).await?)),
            None => Ok(None),
        }
    }

    async fn with_login_ids(&self, mut user: User) -> sqlx::Result<User> {
        user.login_ids = sqlx::query_scalar(match self.backend {
            // Insertion order: SQLite's rowid, PostgreSQL's sequence.
            Backend::Sqlite => {
                "SELECT login_id FROM login_ids WHERE user_id = $1 ORDER BY added_at, rowid"
            }
            Backend::Postgres => {
                "SELECT login_id FROM login_ids WHERE user_id = $1 ORDER BY added_at, seq"
            }
        })
        .bind(&user.user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(user)
    }
}

/// Folds user `gone` into user `kept`: its login IDs move over, details `kept` lacks are
/// filled in, its sessions end (their refresh JWTs stop working), and it is deleted.
pub(super) async fn merge_users(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    kept: &str,
    gone: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE login_ids SET user_id = $1 WHERE user_id = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    // In an UPDATE, every right-hand side sees the row as it was.
    sqlx::query(
        "UPDATE users SET \
         email = COALESCE(email, (SELECT email FROM users WHERE user_id = $2)), \
         verified_email = CASE WHEN email IS NULL \
           THEN (SELECT verified_email FROM users WHERE user_id = $2) ELSE verified_email END, \
         phone = COALESCE(phone, (SELECT phone FROM users WHERE user_id = $2)), \
         verified_phone = CASE WHEN phone IS NULL \
           THEN (SELECT verified_phone FROM users WHERE user_id = $2) ELSE verified_phone END, \
         name = COALESCE(name, (SELECT name FROM users WHERE user_id = $2)), \
         given_name = COALESCE(given_name, (SELECT given_name FROM users WHERE user_id = $2)), \
         middle_name = COALESCE(middle_name, (SELECT middle_name FROM users WHERE user_id = $2)), \
         family_name = COALESCE(family_name, (SELECT family_name FROM users WHERE user_id = $2)), \
         created_at = CASE WHEN (SELECT created_at FROM users WHERE user_id = $2) < created_at \
           THEN (SELECT created_at FROM users WHERE user_id = $2) ELSE created_at END \
         WHERE user_id = $1",
    )
    .bind(kept)
    .bind(gone)
    .execute(&mut **tx)
    .await?;
    // Requests already confirmed for `gone` sign in as `kept`; those it started now act for `kept`.
    sqlx::query("UPDATE pending_logins SET user_id = $1 WHERE user_id = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE pending_logins SET subject_user = $1 WHERE subject_user = $2")
        .bind(kept)
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM users WHERE user_id = $1")
        .bind(gone)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub(super) fn user_from_row(r: &AnyRow) -> sqlx::Result<User> {
    Ok(User {
        user_id: r.try_get("user_id")?,
        login_ids: Vec::new(),
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        name: r.try_get("name")?,
        given_name: r.try_get("given_name")?,
        middle_name: r.try_get("middle_name")?,
        family_name: r.try_get("family_name")?,
        verified_email: r.try_get::<i64, _>("verified_email")? != 0,
        verified_phone: r.try_get::<i64, _>("verified_phone")? != 0,
        created_at: r.try_get("created_at")?,
    })
}
