//! The `mailbox_pauses` table: a "No, this wasn't me" ends every open request to a mailbox
//! and pauses sign-in messages to it for a while; its owner's email can lift the pause, and
//! so can an operator.

use sqlx::Row;

use super::outbox::{self, Outgoing};
use super::Store;

/// A pause to begin with a "No", unless the mailbox is paused already.
pub struct NewPause<'a> {
    pub until: i64,
    /// The SHA-256 of the token in the owner's email that lifts it.
    pub allow_hash: &'a [u8],
    /// The owner's email, queued with the pause (so at most one per pause).
    pub message: Outgoing<'a>,
}

/// What a "No" ended.
#[derive(Debug, Clone, Default)]
pub struct Declined {
    /// The other open requests to the same mailbox, ended with it (their `ref_hash`es).
    pub others: Vec<Vec<u8>>,
    /// A pause began (and its email was queued); `false` when one was already running or none
    /// was asked for.
    pub paused: bool,
}

impl Store {
    /// Declines the open request `ref_hash`, ends every other open request to `mailbox` (not
    /// confirmed, not declined, not expired at `now`), spends their links and, with `pause`,
    /// pauses the mailbox unless it is paused already: in one transaction. `None` when the
    /// request is not open (confirmed, declined or gone).
    pub async fn decline_mailbox(
        &self,
        ref_hash: &[u8],
        mailbox: &str,
        now: i64,
        pause: Option<&NewPause<'_>>,
    ) -> sqlx::Result<Option<Declined>> {
        let mut tx = self.pool.begin().await?;
        if !super::pending::decline_in(&mut tx, ref_hash, now).await? {
            tx.rollback().await?;
            return Ok(None);
        }
        let others: Vec<Vec<u8>> = sqlx::query(
            "UPDATE pending_logins SET declined_at = $1 \
             WHERE mailbox = $2 AND verified_at IS NULL AND declined_at IS NULL \
               AND expires_at > $3 \
             RETURNING ref_hash",
        )
        .bind(now)
        .bind(mailbox)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("ref_hash"))
        .collect::<sqlx::Result<_>>()?;
        for spent in &others {
            sqlx::query("DELETE FROM link_tokens WHERE ref_hash = $1")
                .bind(spent)
                .execute(&mut *tx)
                .await?;
        }
        let paused = match pause {
            Some(pause) => begin_pause(&mut tx, mailbox, now, pause).await?,
            None => false,
        };
        tx.commit().await?;
        Ok(Some(Declined { others, paused }))
    }

    /// Pauses sign-in messages to `mailbox` (from the sign-in notice's "This wasn't me"),
    /// unless they are paused already: whether this began a pause.
    pub async fn pause_mailbox(
        &self,
        mailbox: &str,
        now: i64,
        pause: &NewPause<'_>,
    ) -> sqlx::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let paused = begin_pause(&mut tx, mailbox, now, pause).await?;
        tx.commit().await?;
        Ok(paused)
    }

    /// Until when sign-in messages to `mailbox` are paused, if they are at `now`.
    pub async fn paused_until(&self, mailbox: &str, now: i64) -> sqlx::Result<Option<i64>> {
        sqlx::query(
            "SELECT paused_until FROM mailbox_pauses WHERE mailbox = $1 AND paused_until > $2",
        )
        .bind(mailbox)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("paused_until"))
        .transpose()
    }

    /// The mailbox and end of the running pause the owner's token (by its hash) lifts.
    pub async fn pause_by_allow(
        &self,
        allow_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<(String, i64)>> {
        sqlx::query(
            "SELECT mailbox, paused_until FROM mailbox_pauses \
             WHERE allow_hash = $1 AND paused_until > $2",
        )
        .bind(allow_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| Ok((r.try_get("mailbox")?, r.try_get("paused_until")?)))
        .transpose()
    }

    /// Lifts the running pause whose owner's token hashes to `allow_hash`: its mailbox.
    pub async fn lift_pause_by_allow(
        &self,
        allow_hash: &[u8],
        now: i64,
    ) -> sqlx::Result<Option<String>> {
        sqlx::query(
            "DELETE FROM mailbox_pauses WHERE allow_hash = $1 AND paused_until > $2 \
             RETURNING mailbox",
        )
        .bind(allow_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get("mailbox"))
        .transpose()
    }

    /// Lifts the pause of `mailbox` (an operator's): whether one was running at `now`.
    pub async fn lift_pause(&self, mailbox: &str, now: i64) -> sqlx::Result<bool> {
        let lifted =
            sqlx::query("DELETE FROM mailbox_pauses WHERE mailbox = $1 AND paused_until > $2")
                .bind(mailbox)
                .bind(now)
                .execute(&self.pool)
                .await?
                .rows_affected();
        // One that ran out goes too: nothing is kept that holds the address for no reason.
        sqlx::query("DELETE FROM mailbox_pauses WHERE mailbox = $1")
            .bind(mailbox)
            .execute(&self.pool)
            .await?;
        Ok(lifted > 0)
    }
}

/// Begins a pause of `mailbox` and queues its owner's email, unless one is running (so at
/// most one email per pause): whether it began one.
async fn begin_pause(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    mailbox: &str,
    now: i64,
    pause: &NewPause<'_>,
) -> sqlx::Result<bool> {
    let running =
        sqlx::query("SELECT 1 FROM mailbox_pauses WHERE mailbox = $1 AND paused_until > $2")
            .bind(mailbox)
            .bind(now)
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
    if running {
        return Ok(false);
    }
    sqlx::query("DELETE FROM mailbox_pauses WHERE mailbox = $1")
        .bind(mailbox)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO mailbox_pauses (mailbox, paused_until, created_at, allow_hash) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(mailbox)
    .bind(pause.until)
    .bind(now)
    .bind(pause.allow_hash)
    .execute(&mut **tx)
    .await?;
    outbox::queue(tx, &pause.message).await?;
    Ok(true)
}
