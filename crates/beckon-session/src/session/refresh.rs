//! While signed in: the session JWT refreshed before it expires, or at once for a caller of
//! `session_token`. A failed refresh is retried with backoff; only the server saying the
//! refresh JWT is dead ends the session.

use std::time::Duration;

use beckon::Secret;

use super::now_ms;
use super::owner::{Ctx, Step};
use super::restore::ended;
use crate::state::Notice;
use crate::vault::{Saved, Slot};

/// The session the loop keeps fresh.
pub(super) struct Fresh {
    pub client: beckon::Client,
    pub refresh_jwt: Secret,
    /// When the session JWT expires, in Unix seconds.
    pub expires_at: i64,
    pub since_ms: i64,
    /// Refresh at once rather than shortly before expiry.
    pub now: bool,
}

pub(super) async fn keep_fresh(ctx: Ctx, mut fresh: Fresh) {
    let mut backoff = ctx.timing.backoff();
    let mut wait = if fresh.now {
        Duration::ZERO
    } else {
        until_refresh(&ctx, fresh.expires_at)
    };
    loop {
        tokio::time::sleep(wait).await;
        ctx.tell(Step::Refreshing);
        let refreshed = async {
            let session = fresh.client.refresh_session(&fresh.refresh_jwt).await?;
            let token = fresh
                .client
                .validate_session(session.session_jwt.expose())
                .await?;
            Ok::<_, beckon::Error>((session, token))
        };
        match refreshed.await {
            Ok((session, token)) => {
                backoff.reset();
                let rotated = session
                    .refresh_jwt
                    .unwrap_or_else(|| fresh.refresh_jwt.clone());
                let saved = Saved {
                    refresh_jwt: rotated.clone(),
                    since_ms: fresh.since_ms,
                };
                let remembered = ctx.vault.call(move |v| saved.save(v)).await.is_ok();
                ctx.checkpoint("refreshed").await;
                fresh.refresh_jwt = rotated.clone();
                fresh.expires_at = token.expires_at;
                ctx.tell(Step::Refreshed {
                    session_jwt: session.session_jwt,
                    refresh_jwt: rotated,
                    expires_at: token.expires_at,
                    remembered,
                });
                wait = until_refresh(&ctx, fresh.expires_at);
            }
            Err(error) if error.is_unauthorized() => {
                // Forgotten before the owner hears of it, so a sign-in started afterwards
                // keeps what it saves.
                let _ = ctx.vault.call(|v| v.delete(Slot::Session)).await;
                ctx.tell(Step::Ended(ended(&error, Notice::SignedOutElsewhere)));
                return;
            }
            Err(error) => {
                ctx.tell(Step::RefreshFailed(error.into()));
                wait = backoff.next_delay();
            }
        }
    }
}

/// How long until a session JWT expiring at `expires_at` (Unix seconds) should be refreshed.
fn until_refresh(ctx: &Ctx, expires_at: i64) -> Duration {
    let left = Duration::from_secs(u64::try_from(expires_at - now_ms() / 1000).unwrap_or(0));
    left.saturating_sub(ctx.timing.refresh_lead)
        .max(ctx.timing.refresh_floor)
}
