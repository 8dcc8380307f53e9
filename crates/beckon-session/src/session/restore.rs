//! At launch: the remembered session, or the sign-in that was waiting, comes back.

use super::now_ms;
use super::owner::Ctx;
use super::sign_in::{begin, wait};
use crate::error::Error;
use crate::state::{Notice, SessionState};
use crate::vault::{MagicRequest, PendingSignIn, Saved, Slot};

/// A remembered session is refreshed and shown signed in; a dead one is forgotten, with a
/// note; none means what [`resume_waiting`] finds.
pub(super) async fn restore(mut ctx: Ctx) {
    let saved = match ctx.vault.call(Saved::load).await {
        Ok(Some(saved)) => saved,
        Ok(None) => return resume_waiting(ctx).await,
        Err(error) => {
            let notice = Notice::NoKeyring {
                detail: error.to_string(),
            };
            return ctx.show(ctx.enter_email("", Some(notice)));
        }
    };
    ctx.show(SessionState::Restoring {
        reconnecting: false,
    });
    let mut backoff = ctx.timing.backoff();
    loop {
        let attempt = match ctx.client().await {
            Ok(client) => client
                .refresh_session(&saved.refresh_jwt)
                .await
                .map(|session| (client, session))
                .map_err(Some),
            Err(_) => Err(None),
        };
        match attempt {
            Ok((client, session)) => {
                // Signed in: a sign-in left waiting is moot.
                ctx.forget_request().await;
                if let Err(error) = begin(&ctx, &client, session, saved.since_ms, "").await {
                    ctx.show(ctx.enter_email("", Some(Notice::RestoreFailed { error })));
                }
                return;
            }
            Err(Some(error)) if error.is_unauthorized() => {
                let _ = ctx.vault.call(|v| v.delete(Slot::Session)).await;
                let notice = ended(&error, Notice::SessionEnded);
                return ctx.show(ctx.enter_email("", Some(notice)));
            }
            Err(Some(error)) if !error.is_transient() => {
                let notice = Notice::RestoreFailed {
                    error: error.into(),
                };
                return ctx.show(ctx.enter_email("", Some(notice)));
            }
            // Offline or the server is down: keep trying, and say so.
            Err(_) => {
                ctx.show(SessionState::Restoring { reconnecting: true });
                tokio::time::sleep(backoff.next_delay()).await;
            }
        }
    }
}

/// Without a session: back to the waiting screen when a sign-in was waiting for its tap, or
/// to the magic-link screen when a link was sent to open this app, and it has not expired;
/// the email screen otherwise.
async fn resume_waiting(ctx: Ctx) {
    let pending = ctx.vault.call(PendingSignIn::load).await.ok().flatten();
    let magic = ctx.vault.call(MagicRequest::load).await.ok().flatten();
    let (email, expires_at_ms) = match (&pending, &magic) {
        (Some(p), _) => (p.email.clone(), p.expires_at_ms),
        (None, Some(m)) => (m.email.clone(), m.expires_at_ms),
        (None, None) => return ctx.show(ctx.enter_email("", None)),
    };
    if expires_at_ms <= now_ms() {
        ctx.forget_request().await;
        return ctx.show(ctx.failed(&email, Error::Expired));
    }
    match (pending, magic) {
        (Some(pending), _) => wait(ctx, None, pending).await,
        (None, Some(magic)) => ctx.show(super::magic::magic_sent(magic)),
        (None, None) => {}
    }
}

/// Why a session the server refused is over: an account disabled by an administrator says
/// so (the person can do nothing but ask); any other refusal is `otherwise`.
pub(super) fn ended(error: &beckon::Error, otherwise: Notice) -> Notice {
    if error.error_code() == Some(beckon::ErrorCode::UserDisabled) {
        Notice::Disabled
    } else {
        otherwise
    }
}
