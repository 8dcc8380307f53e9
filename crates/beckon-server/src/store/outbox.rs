//! The outbox table: messages queued with the request that sends them, claimed and sent by
//! the delivery worker (`crate::delivery`), or kept for `/dev/outbox` in development.

use sqlx::Row;

use super::Store;
use crate::domain::{Channel, Message};

/// A message to queue, in the transaction of the request that sends it.
pub struct Outgoing<'a> {
    pub channel: Channel,
    pub message: &'a Message,
    /// `<random@host>`: the same on every attempt, so a mailbox can tell a resend.
    pub message_id: &'a str,
    /// Development: the row is the delivery (shown at `/dev/outbox`), nothing is sent.
    pub dev: bool,
    pub created_at: i64,
    /// When its links expire; not sent after that.
    pub expires_at: i64,
}

/// A message a worker has claimed and now sends. It holds working links: never log it.
pub struct Queued {
    pub id: i64,
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub message_id: String,
    /// Attempts so far, this one included.
    pub attempts: i64,
    pub expires_at: i64,
}

/// A message in the development outbox.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub links_json: String,
    pub created_at: i64,
    /// `sign_in`, `paused` or `notice` ([`crate::domain::MessageKind`]).
    pub kind: String,
}

/// How many messages are waiting, sent, and given up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeliveryCounts {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

impl Store {
    /// Claims up to `limit` messages that are due at `now`, until `claimed_until`: no other
    /// worker takes them meanwhile. Counts the attempt.
    pub async fn claim_due(
        &self,
        now: i64,
        claimed_until: i64,
        limit: i64,
    ) -> sqlx::Result<Vec<Queued>> {
        let rows = sqlx::query(
            "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox \
                          WHERE dev = 0 AND sent_at IS NULL AND failed_at IS NULL \
                            AND next_attempt_at <= $2 \
                            AND (claimed_until IS NULL OR claimed_until <= $3) \
                          ORDER BY id LIMIT $4) \
               AND sent_at IS NULL AND failed_at IS NULL \
               AND (claimed_until IS NULL OR claimed_until <= $5) \
             RETURNING id, channel, recipient, subject, text_body, html_body, message_id, \
                       attempts, expires_at",
        )
        .bind(claimed_until)
        .bind(now)
        .bind(now)
        .bind(limit)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed: Vec<Queued> = rows
            .iter()
            .map(|r| -> sqlx::Result<Queued> {
                Ok(Queued {
                    id: r.try_get("id")?,
                    channel: super::enum_column(r, "channel", Channel::parse)?,
                    recipient: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    text_body: r.try_get("text_body")?,
                    html_body: r.try_get("html_body")?,
                    message_id: r.try_get("message_id")?,
                    attempts: r.try_get("attempts")?,
                    expires_at: r.try_get("expires_at")?,
                })
            })
            .collect::<sqlx::Result<_>>()?;
        claimed.sort_by_key(|q| q.id);
        Ok(claimed)
    }

    /// Records a delivery and forgets the body, which holds working links.
    pub async fn mark_sent(&self, id: i64, now: i64) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE outbox SET sent_at = $1, claimed_until = NULL, last_error = NULL, \
             text_body = '', html_body = '', links = '[]' WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Schedules another attempt at `at`.
    pub async fn retry_later(&self, id: i64, at: i64, error: &str) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1, claimed_until = NULL, last_error = $2 \
             WHERE id = $3",
        )
        .bind(at)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Gives up on a message, keeping why.
    pub async fn mark_failed(&self, id: i64, now: i64, error: &str) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE outbox SET failed_at = $1, claimed_until = NULL, last_error = $2, \
             text_body = '', html_body = '', links = '[]' WHERE id = $3",
        )
        .bind(now)
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Hands a claimed message back unsent (at shutdown), for the next worker at once.
    pub async fn release(&self, id: i64) -> sqlx::Result<()> {
        sqlx::query(
            "UPDATE outbox SET claimed_until = NULL, attempts = attempts - 1 \
             WHERE id = $1 AND sent_at IS NULL",
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn delivery_counts(&self) -> sqlx::Result<DeliveryCounts> {
        let row = sqlx::query(
            "SELECT \
               COALESCE(SUM(CASE WHEN sent_at IS NULL AND failed_at IS NULL THEN 1 ELSE 0 END), 0) AS queued, \
               COALESCE(SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS sent, \
               COALESCE(SUM(CASE WHEN failed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS failed \
             FROM outbox WHERE dev = 0",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(DeliveryCounts {
            queued: row.try_get("queued")?,
            sent: row.try_get("sent")?,
            failed: row.try_get("failed")?,
        })
    }

    /// The last error of message `id`, if any, for tests and operators.
    pub async fn delivery_error(&self, id: i64) -> sqlx::Result<Option<String>> {
        sqlx::query_scalar("SELECT last_error FROM outbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map(Option::flatten)
    }

    /// The newest `limit` development outbox messages, newest first.
    pub async fn dev_outbox(&self, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
        self.dev_messages(None, limit).await
    }

    /// Development messages, newest first: all of them, or those to `to`.
    pub async fn dev_messages(&self, to: Option<&str>, limit: i64) -> sqlx::Result<Vec<OutboxRow>> {
        let columns = "SELECT id, recipient, subject, text_body, html_body, links, created_at, \
                       kind FROM outbox WHERE dev = 1";
        let rows = match to {
            Some(to) => {
                sqlx::query(&format!(
                    "{columns} AND recipient = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(to)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{columns} ORDER BY id DESC LIMIT $1"))
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(OutboxRow {
                    id: r.try_get("id")?,
                    recipient: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    text_body: r.try_get("text_body")?,
                    html_body: r.try_get("html_body")?,
                    links_json: r.try_get("links")?,
                    created_at: r.try_get("created_at")?,
                    kind: r.try_get("kind")?,
                })
            })
            .collect()
    }
}

/// Queues `out` inside `tx`.
pub(super) async fn queue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    out: &Outgoing<'_>,
) -> sqlx::Result<()> {
    let links = serde_json::to_string(&out.message.links).unwrap_or_else(|_| "[]".into());
    sqlx::query(
        "INSERT INTO outbox (channel, recipient, subject, text_body, html_body, links, \
         message_id, dev, created_at, expires_at, next_attempt_at, sent_at, kind) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(out.channel.as_str())
    .bind(&out.message.to)
    .bind(&out.message.subject)
    .bind(&out.message.text)
    .bind(&out.message.html)
    .bind(links)
    .bind(out.message_id)
    .bind(i64::from(out.dev))
    .bind(out.created_at)
    .bind(out.expires_at)
    .bind(out.created_at)
    .bind(out.dev.then_some(out.created_at))
    .bind(out.message.kind.as_str())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
