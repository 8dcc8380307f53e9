//! The `sign_in_notices` table: the "New sign-in to <app>" email sent when a session is handed
//! out, and the one session its "This wasn't me" link signs out.

use sqlx::Row;

use super::outbox::{self, Outgoing};
use super::Store;

/// A notice to record and send with the session it tells of, in that session's transaction.
pub struct NewNotice<'a> {
    /// The SHA-256 of the token in the notice's link.
    pub token_hash: &'a [u8],
    /// Where it goes (`+tags` merged): what its page may pause.
    pub mailbox: &'a str,
    /// When the link stops working.
    pub expires_at: i64,
    /// The signed-in request's address and `User-Agent`, for the notice's page.
    pub requested_from: Option<String>,
    pub requested_by: Option<&'a str>,
    /// The email (or text) itself.
    pub message: Outgoing<'a>,
}

/// A notice as its page reads it.
#[derive(Debug, Clone)]
pub struct Notice {
    pub session_id: String,
    pub user_id: String,
    pub mailbox: String,
    /// When the session it tells of began.
    pub created_at: i64,
    /// The signed-in request's address and `User-Agent`.
    pub requested_from: Option<String>,
    pub requested_by: Option<String>,
    /// That session has ended (signed out, or gone).
    pub session_ended: bool,
}

impl Store {
    /// The notice whose token hashes to `token_hash`, while it lasts.
    pub async fn notice(&self, token_hash: &[u8], now: i64) -> sqlx::Result<Option<Notice>> {
        sqlx::query(
            "SELECT n.session_id, n.user_id, n.mailbox, n.created_at, n.requested_from, \
                    n.requested_by, \
                    s.session_id AS live_session, s.revoked_at \
             FROM sign_in_notices n LEFT JOIN sessions s ON s.session_id = n.session_id \
             WHERE n.token_hash = $1 AND n.expires_at > $2",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| {
            Ok(Notice {
                session_id: r.try_get("session_id")?,
                user_id: r.try_get("user_id")?,
                mailbox: r.try_get("mailbox")?,
                created_at: r.try_get("created_at")?,
                requested_from: r.try_get("requested_from")?,
                requested_by: r.try_get("requested_by")?,
                session_ended: r.try_get::<Option<String>, _>("live_session")?.is_none()
                    || r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
            })
        })
        .transpose()
    }
}

/// Records `notice` for `session_id` of `user_id` and queues its message, in `tx`.
pub(super) async fn insert(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    notice: &NewNotice<'_>,
    session_id: &str,
    user_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO sign_in_notices \
         (token_hash, session_id, user_id, mailbox, created_at, expires_at, requested_from, \
          requested_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(notice.token_hash)
    .bind(session_id)
    .bind(user_id)
    .bind(notice.mailbox)
    .bind(now)
    .bind(notice.expires_at)
    .bind(notice.requested_from.as_deref())
    .bind(notice.requested_by)
    .execute(&mut **tx)
    .await?;
    outbox::queue(tx, &notice.message).await
}
