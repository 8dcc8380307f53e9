//! "Change email" from the signed-in view: three links to the new address, the number in the
//! same view, and the session replaced by one for the updated account.

use beckon::{Secret, WaitEvent, WaitOptions};

use super::owner::{Ctx, Step};
use super::{millis, now_ms};
use crate::error::Error;
use crate::state::{EmailChange, Notice, SessionState};
use crate::vault::Saved;

/// What the owner hands the change: the session it changes.
pub(super) struct Change {
    pub new_email: String,
    pub login_id: String,
    pub refresh_jwt: Secret,
    pub since_ms: i64,
    pub client: beckon::Client,
}

/// Sends the links to the new address, waits for the tap, and hands the owner the session
/// of the updated account ("Sending…" is showing). The new address also becomes a login ID,
/// so it signs in next time.
pub(super) async fn change_email(ctx: Ctx, change: Change) {
    let new_email = change.new_email.clone();
    let fail = |error: Error| {
        ctx.tell(Step::Change(Some(EmailChange::Failed {
            new_email: new_email.clone(),
            error,
        })));
    };
    let links = change.client.enchanted_link();
    let mut options = beckon::UpdateOptions::default().add_to_login_ids(true);
    if let Some(locale) = &ctx.locale {
        options = options.locale(locale.as_str());
    }
    let started = links
        .update_email(
            &change.login_id,
            &new_email,
            None,
            &change.refresh_jwt,
            &options,
        )
        .await;
    let request = match started {
        Ok(request) => request,
        Err(error) => return fail(error.into()),
    };
    let sent_at_ms = now_ms();
    ctx.tell(Step::Change(Some(EmailChange::Waiting {
        new_email: new_email.clone(),
        link_id: request.link_id.clone(),
        masked_email: request.masked.masked_email.clone(),
        sent_at_ms,
        expires_at_ms: sent_at_ms + millis(ctx.timing.link_lifetime),
        reconnecting: false,
    })));
    let tell = ctx.teller();
    let options = WaitOptions::default()
        .interval(ctx.timing.poll_interval)
        .hold(ctx.timing.hold)
        .timeout(ctx.timing.link_lifetime)
        .on_event(move |event| {
            tell(Step::ChangeReconnecting(matches!(
                event,
                WaitEvent::Reconnecting { .. }
            )));
        });
    let session = match links.wait_for_session(&request.pending_ref, &options).await {
        Ok(session) => session,
        Err(error) => return fail(error.into()),
    };
    let token = match change
        .client
        .validate_session(session.session_jwt.expose())
        .await
    {
        Ok(token) => token,
        Err(error) => return fail(error.into()),
    };
    let Some(new_refresh) = session.refresh_jwt else {
        return fail(Error::InvalidSession);
    };
    let user = session.user.unwrap_or_default();
    let email = Some(user.email.clone())
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| new_email.clone());
    let saved = Saved {
        refresh_jwt: new_refresh.clone(),
        since_ms: change.since_ms,
    };
    let remembered = ctx.vault.call(move |v| saved.save(v)).await.is_ok();
    ctx.tell(Step::EmailChanged {
        refresh_jwt: new_refresh,
        session_jwt: session.session_jwt,
        expires_at: token.expires_at,
        email: email.clone(),
        state: SessionState::SignedIn {
            email: email.clone(),
            name: Some(user.name).filter(|n| !n.is_empty()),
            user_id: token.subject,
            since_ms: change.since_ms,
            remembered,
            change: None,
            notice: Some(Notice::EmailChanged { email }),
        },
    });
    // The session that asked is replaced; end it on the server rather than leave it be.
    let _ = change.client.logout(&change.refresh_jwt).await;
}
