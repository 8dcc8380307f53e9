//! "Change email" from the signed-in view: three links to the new address, the number in
//! the same window, and the session replaced by one for the updated user.

use std::sync::Arc;

use beckon::{CancellationToken, WaitEvent, WaitOptions};

use super::{in_vault, millis, now_ms, EmailChange, Flow, FlowState};
use crate::error::UiError;
use crate::vault::Saved;

impl Flow {
    /// Changes the signed-in person's email to `new_email`: three numbered links go there,
    /// the number shows in the signed-in view, and once the right one is confirmed the
    /// session is replaced by one for the updated user. The new address also becomes a login
    /// ID, so it signs in next time.
    pub async fn change_email(&self, new_email: String) {
        let new_email = new_email.trim().to_owned();
        let cancel = CancellationToken::new();
        let (generation, change, refresh_jwt, login_id, client) = {
            let mut inner = self.lock();
            let (Some(active), Some(client)) = (inner.session.as_ref(), inner.client.clone())
            else {
                return;
            };
            let refresh_jwt = active.refresh_jwt.clone();
            let login_id = active.login_id.clone();
            if let Some(old) = inner.change_cancel.replace(cancel.clone()) {
                old.cancel();
            }
            inner.change_generation += 1;
            (
                inner.generation,
                inner.change_generation,
                refresh_jwt,
                login_id,
                client,
            )
        };
        let step = |next: Option<EmailChange>| self.set_change(generation, change, |c| *c = next);
        let fail = |error: UiError| {
            step(Some(EmailChange::Failed {
                new_email: new_email.clone(),
                error,
            }));
        };
        step(Some(EmailChange::Sending {
            new_email: new_email.clone(),
        }));

        let links = client.enchanted_link();
        let options = beckon::UpdateOptions {
            add_to_login_ids: true,
            ..Default::default()
        };
        let started = tokio::select! {
            _ = cancel.cancelled() => return,
            started = links.update_email(&login_id, &new_email, None, &refresh_jwt, &options) => started,
        };
        let request = match started {
            Ok(request) => request,
            Err(error) => return fail(error.into()),
        };
        let sent_at_ms = now_ms();
        step(Some(EmailChange::Waiting {
            new_email: new_email.clone(),
            link_id: request.link_id.clone(),
            masked_email: request.masked.masked_email.clone(),
            sent_at_ms,
            expires_at_ms: sent_at_ms + millis(self.timing.link_lifetime),
            reconnecting: false,
        }));
        let this = self.clone();
        let options = WaitOptions {
            interval: self.timing.poll_interval,
            hold: self.timing.hold,
            timeout: self.timing.link_lifetime,
            cancel: cancel.clone(),
            on_event: Some(Arc::new(move |event| {
                let now = matches!(event, WaitEvent::Reconnecting { .. });
                this.set_change(generation, change, |c| {
                    if let Some(EmailChange::Waiting { reconnecting, .. }) = c {
                        *reconnecting = now;
                    }
                });
            })),
        };
        let session = match links.wait_for_session(&request.pending_ref, &options).await {
            Ok(session) => session,
            Err(beckon::Error::Cancelled) => return,
            Err(error) => return fail(error.into()),
        };
        let token = match client.validate_session(session.session_jwt.expose()).await {
            Ok(token) => token,
            Err(error) => return fail(error.into()),
        };
        let Some(new_refresh) = session.refresh_jwt else {
            return fail(
                beckon::Error::InvalidResponse("the server sent no refresh token".into()).into(),
            );
        };
        let user = session.user.unwrap_or_default();
        let email = Some(user.email.clone())
            .filter(|e| !e.is_empty())
            .unwrap_or_else(|| new_email.clone());
        // Swap the session in the same step that checks nothing replaced this change.
        let (old_refresh, since_ms) = {
            let mut inner = self.lock();
            if inner.generation != generation || inner.change_generation != change {
                return;
            }
            let Some(active) = inner.session.as_mut() else {
                return;
            };
            let old = std::mem::replace(&mut active.refresh_jwt, new_refresh.clone());
            active.expires_at = token.expires_at;
            active.login_id = email.clone();
            let since_ms = active.since_ms;
            inner.change_cancel = None;
            (old, since_ms)
        };
        let saved = Saved {
            refresh_jwt: new_refresh,
            since_ms,
        };
        let remembered = in_vault(&self.vault(), move |v| saved.save(v))
            .await
            .is_ok();
        self.set(
            generation,
            FlowState::SignedIn {
                email: email.clone(),
                name: Some(user.name).filter(|n| !n.is_empty()),
                user_id: token.subject,
                since_ms,
                remembered,
                change: None,
                notice: Some(format!("Your email is now {email}.")),
            },
        );
        // The session that asked is replaced; end it on the server rather than leave it be.
        let _ = client.logout(&old_refresh).await;
    }

    /// Stops an email change under way; the signed-in view stays as it was.
    pub fn cancel_email_change(&self) {
        let (generation, change) = {
            let mut inner = self.lock();
            if let Some(old) = inner.change_cancel.take() {
                old.cancel();
            }
            inner.change_generation += 1;
            (inner.generation, inner.change_generation)
        };
        self.set_change(generation, change, |c| *c = None);
    }

    /// Updates the email change shown in the signed-in view, if the session and the change
    /// are still the current ones.
    pub(super) fn set_change(
        &self,
        generation: u64,
        change: u64,
        update: impl FnOnce(&mut Option<EmailChange>),
    ) -> bool {
        let mut inner = self.lock();
        if inner.generation != generation || inner.change_generation != change {
            return false;
        }
        let FlowState::SignedIn {
            change: shown,
            notice,
            ..
        } = &mut inner.state
        else {
            return false;
        };
        let before = shown.clone();
        update(shown);
        if *shown == before {
            return true;
        }
        *notice = None;
        self.sink.publish(&inner.state);
        true
    }
}
