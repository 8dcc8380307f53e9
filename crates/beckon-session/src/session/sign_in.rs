//! Signing in by enchanted link: send the three links, show the number, wait for the tap,
//! take the session.

use std::time::Duration;

use beckon::{AuthResponse, LinkRequest, WaitEvent, WaitOptions};

use super::owner::{Active, Ctx, Step};
use super::{millis, now_ms};
use crate::error::Error;
use crate::state::{Mode, SessionState};
use crate::vault::{PendingSignIn, Saved};

impl Mode {
    /// Starts an enchanted-link sign-in of this kind, its messages in `locale`.
    async fn enchanted(
        self,
        client: &beckon::Client,
        email: &str,
        locale: Option<String>,
    ) -> beckon::Result<LinkRequest> {
        let links = client.enchanted_link();
        let options = beckon::LoginOptions {
            locale,
            ..Default::default()
        };
        match self {
            Mode::SignUpOrIn => {
                links
                    .sign_up_or_in_with_options(email, None, &options)
                    .await
            }
            Mode::SignIn => {
                links
                    .sign_in_with_options(email, None, &options, None)
                    .await
            }
            Mode::SignUp => {
                links
                    .sign_up_with_options(email, None, None, &options)
                    .await
            }
        }
    }
}

/// A whole sign-in for `email`, of the kind last asked for ("Sending…" is showing).
pub(super) async fn sign_in(mut ctx: Ctx, email: String) {
    let client = match ctx.client().await {
        Ok(client) => client,
        Err(error) => return ctx.show(ctx.failed(&email, error)),
    };
    let request = match ctx
        .mode
        .enchanted(&client, &email, ctx.locale.clone())
        .await
    {
        Ok(request) => request,
        Err(error) => return ctx.show(ctx.failed(&email, error.into())),
    };
    let pending = PendingSignIn {
        email: email.clone(),
        link_id: request.link_id,
        masked_email: request.masked.masked_email,
        pending_ref: request.pending_ref,
        expires_at_ms: now_ms() + millis(ctx.timing.link_lifetime),
    };
    // Kept so a restarted app comes back to this number; without a keyring it is not.
    let kept = pending.clone();
    let _ = ctx.vault.call(move |v| kept.save(v)).await;
    wait(ctx, Some(client), pending).await;
}

/// Shows the number and waits for the tap, expiry or cancel. Without a client yet (a
/// restarted app, offline), it shows the number as reconnecting and keeps trying.
pub(super) async fn wait(mut ctx: Ctx, client: Option<beckon::Client>, pending: PendingSignIn) {
    let email = pending.email.clone();
    ctx.show(SessionState::Waiting {
        email: pending.email.clone(),
        link_id: pending.link_id.clone(),
        masked_email: pending.masked_email.clone(),
        sent_at_ms: pending.expires_at_ms - millis(ctx.timing.link_lifetime),
        expires_at_ms: pending.expires_at_ms,
        reconnecting: client.is_none(),
    });
    let left =
        || Duration::from_millis(u64::try_from(pending.expires_at_ms - now_ms()).unwrap_or(0));
    let client = match client {
        Some(client) => client,
        None => {
            let mut backoff = ctx.timing.backoff();
            loop {
                match ctx.client().await {
                    Ok(client) => break client,
                    Err(error) if !error.is_offline() => return fail(&ctx, &email, error).await,
                    Err(_) if left().is_zero() => return fail(&ctx, &email, Error::Expired).await,
                    Err(_) => {}
                }
                tokio::time::sleep(backoff.next_delay().min(left())).await;
            }
        }
    };
    ctx.tell(Step::Reconnecting(false));
    ctx.tell(Step::CodeTarget {
        client: client.clone(),
        pending_ref: pending.pending_ref.clone(),
    });

    let tell = ctx.teller();
    let options = WaitOptions::default()
        .interval(ctx.timing.poll_interval)
        .hold(ctx.timing.hold)
        .timeout(left())
        .on_event(move |event| {
            tell(Step::Reconnecting(matches!(
                event,
                WaitEvent::Reconnecting { .. }
            )));
        });
    let links = client.enchanted_link();
    let session = match links.wait_for_session(&pending.pending_ref, &options).await {
        Ok(session) => session,
        Err(error) => return fail(&ctx, &email, error.into()).await,
    };
    ctx.forget_request().await;
    if let Err(error) = begin(&ctx, &client, session, now_ms(), &pending.email).await {
        fail(&ctx, &email, error).await;
    }
}

/// The request is over without a session: forget it, and show why.
async fn fail(ctx: &Ctx, email: &str, error: Error) {
    ctx.forget_request().await;
    ctx.show(ctx.failed(email, error));
}

/// Takes a session the server handed out: validates it, remembers it in the vault, and
/// tells the owner, which shows the signed-in state and keeps the session fresh.
pub(super) async fn begin(
    ctx: &Ctx,
    client: &beckon::Client,
    session: AuthResponse,
    since_ms: i64,
    email_hint: &str,
) -> Result<(), Error> {
    let token = client
        .validate_session(session.session_jwt.expose())
        .await?;
    let refresh_jwt = session.refresh_jwt.clone().ok_or(Error::InvalidSession)?;
    let saved = Saved {
        refresh_jwt: refresh_jwt.clone(),
        since_ms,
    };
    let remembered = ctx.vault.call(move |v| saved.save(v)).await.is_ok();
    let user = session.user.unwrap_or_default();
    let login_id = user
        .login_ids
        .first()
        .cloned()
        .or_else(|| Some(user.email.clone()).filter(|e| !e.is_empty()))
        .unwrap_or_else(|| email_hint.to_owned());
    let state = SessionState::SignedIn {
        email: Some(user.email)
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| email_hint.to_owned()),
        name: Some(user.name).filter(|n| !n.is_empty()),
        user_id: token.subject,
        since_ms,
        remembered,
        change: None,
        notice: None,
    };
    let active = Active {
        refresh_jwt,
        session_jwt: session.session_jwt,
        expires_at: token.expires_at,
        login_id,
        since_ms,
        client: client.clone(),
    };
    ctx.tell(Step::SignedIn {
        active: Box::new(active),
        state,
    });
    Ok(())
}
