//! Getting queued messages out: the transports (SMTP, an SMS provider) and the worker that
//! drives them.
//!
//! A request queues its message in the outbox table in the same transaction as the sign-in
//! it belongs to (`Store::insert_pending`), then wakes the worker. The worker claims due
//! messages for [`CLAIM_SECONDS`], sends each, and records the outcome:
//! - sent: marked sent, its body erased;
//! - a failure that may pass (connection, timeout, 4xx): tried again after a backoff of 5 s,
//!   15 s, 45 s, … up to 10 minutes, while its links are still valid;
//! - a failure that will not (the recipient refused, 5xx): given up, with the reason kept.
//!
//! A message is never lost: it is in the database before the request answers, and a claim
//! left by a stopped or crashed worker runs out, so another takes it. It is sent once, with
//! one exception no outbox can close: if the process dies after the SMTP server accepted a
//! message and before that was recorded, it is sent again when the claim runs out, with the
//! same `Message-ID`. Workers on other replicas share the table: each message is claimed by
//! one of them.
//!
//! [`mail`] writes the messages; [`smtp`] and [`sms`] are the transports.

pub mod mail;
pub mod sms;
pub mod smtp;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::domain::Channel;
use crate::store::{Queued, Store};
use crate::support::clock::Clock;
use crate::support::metrics::{Delivery, Metrics};

/// Why a send failed, and whether trying again can help.
#[derive(Debug)]
pub enum SendError {
    /// Try again later: the provider was unreachable, slow, or said "not now".
    Retry(String),
    /// Give up: the provider refused this message for good.
    Permanent(String),
}

/// A way out for one channel.
#[async_trait]
pub trait Transport: Send + Sync + 'static {
    async fn send(&self, message: &Queued) -> Result<(), SendError>;
}

/// The transports configured (none in development mode, where messages are kept for
/// `/dev/outbox` and nothing is sent).
#[derive(Clone, Default)]
pub struct Transports {
    pub email: Option<Arc<dyn Transport>>,
    pub sms: Option<Arc<dyn Transport>>,
}

impl Transports {
    pub fn for_channel(&self, channel: Channel) -> Option<&Arc<dyn Transport>> {
        match channel {
            Channel::Email => self.email.as_ref(),
            Channel::Sms => self.sms.as_ref(),
        }
    }
}

/// The longest one send may take, whatever the transport's own timeouts do.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a worker's claim on a message lasts: longer than any one send may take, so no
/// other worker sends it meanwhile.
pub const CLAIM_SECONDS: i64 = 120;
/// How many messages a worker claims at once.
const BATCH: i64 = 8;
/// How often a worker looks for due messages when nothing woke it: retries come due, and
/// other replicas queue messages this one is not told about.
const LOOK_EVERY: Duration = Duration::from_secs(1);

/// Seconds to wait after the `attempts`-th failed attempt: 5, 15, 45, 135, 405, then 600.
pub fn backoff(attempts: i64) -> i64 {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 10)).unwrap_or(10);
    5i64.saturating_mul(3i64.saturating_pow(exponent)).min(600)
}

/// Seconds until the next attempt after the `attempts`-th failed one: [`backoff`] made
/// random, from half of it to one and a half times it (at most 600), so that messages that
/// failed together (the SMTP server was down) are not all tried again in the same second.
pub fn retry_in(attempts: i64, random: &mut impl rand::Rng) -> i64 {
    let centre = backoff(attempts);
    random.gen_range(centre / 2..=centre * 3 / 2).min(600)
}

/// Sends due messages until `shutdown`. A message being sent when shutdown comes is
/// finished; the rest of its batch is handed back for the next start.
pub async fn run(
    store: Store,
    clock: Arc<dyn Clock>,
    transports: Transports,
    wake: Arc<Notify>,
    metrics: Metrics,
    shutdown: CancellationToken,
) {
    loop {
        loop {
            let now = clock.now();
            let batch = match store.claim_due(now, now + CLAIM_SECONDS, BATCH).await {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::warn!(%error, "cannot read the outbox; trying again shortly");
                    break;
                }
            };
            if batch.is_empty() {
                break;
            }
            for message in batch {
                if shutdown.is_cancelled() {
                    if let Err(error) = store.release(message.id).await {
                        tracing::warn!(%error, id = message.id, "cannot hand a message back; it is tried again when its claim runs out");
                    }
                    continue;
                }
                let result = deliver(&store, clock.as_ref(), &transports, &message).await;
                metrics.delivery(message.channel.as_str(), result);
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
    }
}

/// Sends one claimed message and records what happened. Logs name the message by id and
/// channel: never its recipient, body or links.
async fn deliver(
    store: &Store,
    clock: &dyn Clock,
    transports: &Transports,
    message: &Queued,
) -> Delivery {
    let id = message.id;
    let channel = message.channel.as_str();
    let now = clock.now();
    let outcome = if message.expires_at <= now {
        Err(SendError::Permanent(
            "its links expired before it could be sent".into(),
        ))
    } else {
        match transports.for_channel(message.channel) {
            Some(transport) => tokio::time::timeout(SEND_TIMEOUT, transport.send(message))
                .await
                .unwrap_or_else(|_| {
                    Err(SendError::Retry(format!(
                        "no answer within {} s",
                        SEND_TIMEOUT.as_secs()
                    )))
                }),
            None => Err(SendError::Permanent(format!(
                "no {channel} delivery is set up on this server"
            ))),
        }
    };
    let now = clock.now();
    let (result, recorded) = match outcome {
        Ok(()) => {
            tracing::info!(id, channel, attempt = message.attempts, "message sent");
            (Delivery::Sent, store.mark_sent(id, now).await)
        }
        Err(SendError::Retry(error))
            if now + backoff(message.attempts) / 2 < message.expires_at =>
        {
            let wait = retry_in(message.attempts, &mut rand::thread_rng());
            tracing::warn!(id, channel, attempt = message.attempts, retry_in = wait, %error, "message not sent yet");
            (
                Delivery::Retried,
                store.retry_later(id, now + wait, &error).await,
            )
        }
        Err(SendError::Retry(error) | SendError::Permanent(error)) => {
            tracing::error!(id, channel, attempt = message.attempts, %error, "message not sent; giving up");
            (Delivery::GaveUp, store.mark_failed(id, now, &error).await)
        }
    };
    if let Err(error) = recorded {
        tracing::warn!(%error, id, "cannot record a delivery; the message may be tried again when its claim runs out");
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops_at_ten_minutes() {
        let waits: Vec<i64> = (1..=8).map(backoff).collect();
        assert_eq!(waits, [5, 15, 45, 135, 405, 600, 600, 600]);
        assert_eq!(backoff(0), 5);
        assert_eq!(backoff(i64::MAX), 600);
    }

    #[test]
    fn retries_of_messages_that_failed_together_are_spread() {
        use rand::SeedableRng;
        let mut random = rand::rngs::StdRng::seed_from_u64(1);
        let first: Vec<i64> = (0..100).map(|_| retry_in(1, &mut random)).collect();
        assert!(first.iter().all(|w| (2..=7).contains(w)), "{first:?}");
        let distinct: std::collections::BTreeSet<_> = first.iter().collect();
        assert!(distinct.len() >= 5, "{distinct:?}");
        assert!((0..100).all(|_| retry_in(9, &mut random) <= 600));
    }
}
