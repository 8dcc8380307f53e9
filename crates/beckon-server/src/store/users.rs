//! The `users` and `login_ids` tables.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Backend, Conditions, Store};
use crate::domain::address::mailbox;
use crate::domain::User;

pub(super) const USER_COLUMNS: &str =
    "u.user_id, u.email, u.phone, u.name, u.given_name, u.middle_name, \
     u.family_name, u.verified_email, u.verified_phone, u.created_at, u.status";

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

    /// The language of the last sign-in of the user `login_id` signs in as, if it named one.
    pub async fn locale_of_login_id(&self, login_id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT u.locale FROM login_ids l JOIN users u ON u.user_id = l.user_id \
             WHERE l.login_id = $1",
        )
        .bind(login_id)
        .fetch_optional(&self.pool)
        .await
        .map(Option::flatten)
    }

    /// The language of the last sign-in of the user `user_id`, if it named one.
    pub async fn locale_of_user(&self, user_id: &str) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT locale FROM users WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .map(Option::flatten)
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
        disabled: r.try_get::<String, _>("status")? == "disabled",
    })
}

/// Which users to list; every filter given must match.
#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub user_ids: Vec<String>,
    pub login_ids: Vec<String>,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    /// `Some(true)`: only disabled users; `Some(false)`: only enabled ones.
    pub disabled: Option<bool>,
    /// Matches any of user ID, login ID, email, phone or name, in part.
    pub text: Option<String>,
    /// Created at or after / at or before, Unix seconds.
    pub created_from: Option<i64>,
    pub created_to: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// What an operator sets on a user (a management create or update).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserDetails {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub family_name: Option<String>,
    /// `None`: unverified for a new user; on an update, as it was while the address stays
    /// the same, unverified when it changes.
    pub verified_email: Option<bool>,
    pub verified_phone: Option<bool>,
}

impl Store {
    /// The users `filter` picks, oldest first, and how many it picks in all.
    pub async fn search_users(&self, filter: &UserFilter) -> sqlx::Result<(Vec<User>, i64)> {
        let mut c = Conditions::default();
        c.any_of(&filter.user_ids, |p| format!("u.user_id IN ({p})"));
        c.any_of(&filter.login_ids, |p| {
            format!("u.user_id IN (SELECT user_id FROM login_ids WHERE login_id IN ({p}))")
        });
        c.any_of(&filter.emails, |p| format!("u.email IN ({p})"));
        c.any_of(&filter.phones, |p| format!("u.phone IN ({p})"));
        if let Some(disabled) = filter.disabled {
            let status = if disabled { "disabled" } else { "enabled" };
            c.equals(status.into(), |p| format!("u.status = {p}"));
        }
        c.contains(
            filter.text.as_deref(),
            &["u.user_id", "u.email", "u.phone", "u.name"],
        );
        let n = c.next();
        let from = format!(
            " FROM users u WHERE u.created_at >= ${n} AND u.created_at <= ${}{}",
            n + 1,
            c.and_sql()
        );
        let binds = &c.binds;
        let bounds = [
            filter.created_from.unwrap_or(i64::MIN),
            filter.created_to.unwrap_or(i64::MAX),
        ];
        let count_sql = format!("SELECT COUNT(*){from}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for value in binds {
            count = count.bind(value);
        }
        let total = count
            .bind(bounds[0])
            .bind(bounds[1])
            .fetch_one(&self.pool)
            .await?;
        let sql = format!(
            "SELECT {USER_COLUMNS}{from} ORDER BY u.created_at, u.user_id LIMIT ${} OFFSET ${}",
            n + 2,
            n + 3
        );
        let mut query = sqlx::query(&sql);
        for value in binds {
            query = query.bind(value);
        }
        let rows = query
            .bind(bounds[0])
            .bind(bounds[1])
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(&self.pool)
            .await?;
        let mut users = Vec::with_capacity(rows.len());
        for row in &rows {
            users.push(self.with_login_ids(user_from_row(row)?).await?);
        }
        Ok((users, total))
    }

    /// Creates a user who signs in with `login_ids`; false (and nothing written) when one of
    /// them is already someone's.
    pub async fn create_user(
        &self,
        user_id: &str,
        login_ids: &[String],
        details: &UserDetails,
        disabled: bool,
        now: i64,
    ) -> sqlx::Result<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO users (user_id, email, phone, name, given_name, middle_name, \
             family_name, verified_email, verified_phone, created_at, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(user_id)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(&details.name)
        .bind(&details.given_name)
        .bind(&details.middle_name)
        .bind(&details.family_name)
        .bind(i64::from(details.verified_email.unwrap_or(false)))
        .bind(i64::from(details.verified_phone.unwrap_or(false)))
        .bind(now)
        .bind(if disabled { "disabled" } else { "enabled" })
        .execute(&mut *tx)
        .await?;
        for login_id in login_ids {
            let added = sqlx::query(
                "INSERT INTO login_ids (login_id, user_id, added_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (login_id) DO NOTHING",
            )
            .bind(login_id)
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if added != 1 {
                tx.rollback().await?;
                return Ok(false);
            }
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Replaces a user's details (not their login IDs). False when there is no such user.
    pub async fn update_user(&self, user_id: &str, details: &UserDetails) -> sqlx::Result<bool> {
        let updated = sqlx::query(
            "UPDATE users SET email = $1, phone = $2, name = $3, given_name = $4, \
             middle_name = $5, family_name = $6, \
             verified_email = CASE WHEN $7 IS NOT NULL THEN $7 \
               WHEN email IS NOT DISTINCT FROM $1 THEN verified_email ELSE 0 END, \
             verified_phone = CASE WHEN $8 IS NOT NULL THEN $8 \
               WHEN phone IS NOT DISTINCT FROM $2 THEN verified_phone ELSE 0 END \
             WHERE user_id = $9",
        )
        .bind(&details.email)
        .bind(&details.phone)
        .bind(&details.name)
        .bind(&details.given_name)
        .bind(&details.middle_name)
        .bind(&details.family_name)
        .bind(details.verified_email.map(i64::from))
        .bind(details.verified_phone.map(i64::from))
        .bind(user_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(updated == 1)
    }

    /// Enables or disables a user; disabling ends every session of theirs in the same
    /// transaction. False when there is no such user.
    pub async fn set_user_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        now: i64,
    ) -> sqlx::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query("UPDATE users SET status = $1 WHERE user_id = $2")
            .bind(if disabled { "disabled" } else { "enabled" })
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if disabled {
            super::sessions::revoke_user_sessions(&mut *tx, user_id, now).await?;
        }
        tx.commit().await?;
        Ok(updated == 1)
    }

    /// Deletes a user and everything that names them: login IDs, sessions, their sign-in
    /// requests and messages; their audit events stay, with the login ID, address and user
    /// agent erased. False when there is no such user.
    pub async fn delete_user(&self, user_id: &str) -> sqlx::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let login_ids: Vec<String> =
            sqlx::query_scalar("SELECT login_id FROM login_ids WHERE user_id = $1")
                .bind(user_id)
                .fetch_all(&mut *tx)
                .await?;
        let addresses: Vec<Option<String>> =
            sqlx::query("SELECT email, phone FROM users WHERE user_id = $1")
                .bind(user_id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|row| -> sqlx::Result<Vec<Option<String>>> {
                    Ok(vec![row.try_get("email")?, row.try_get("phone")?])
                })
                .transpose()?
                .unwrap_or_default();
        let mut names: Vec<String> = login_ids;
        names.extend(addresses.into_iter().flatten());
        names.sort();
        names.dedup();
        for statement in [
            "DELETE FROM pending_logins WHERE user_id = $1 OR subject_user = $1",
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM sign_in_notices WHERE user_id = $1",
            "UPDATE audit_events SET login_id = NULL, remote_ip = NULL, user_agent = NULL, \
             data = '{}' WHERE user_id = $1",
        ] {
            sqlx::query(statement)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        // A pause is kept by mailbox: `ada+x@…` is paused as `ada@…`.
        let mailboxes: Vec<String> = names.iter().map(|n| mailbox(n)).collect();
        let names: Vec<String> = names.into_iter().chain(mailboxes).collect();
        for name in &names {
            for statement in [
                "DELETE FROM pending_logins WHERE login_id = $1 OR address = $1",
                "DELETE FROM outbox WHERE recipient = $1",
                "DELETE FROM mailbox_pauses WHERE mailbox = $1",
                "UPDATE audit_events SET login_id = NULL, remote_ip = NULL, user_agent = NULL, \
                 data = '{}' WHERE login_id = $1",
            ] {
                sqlx::query(statement).bind(name).execute(&mut *tx).await?;
            }
        }
        let deleted = sqlx::query("DELETE FROM users WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(deleted == 1)
    }
}
