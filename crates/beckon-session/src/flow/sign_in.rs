//! Signing in by enchanted link: send the three links, show the number, wait for the tap,
//! take the session; cancel.

use std::sync::Arc;
use std::time::Duration;

use beckon::{AuthResponse, CancellationToken, LinkRequest, WaitEvent, WaitOptions};

use super::{expires_at_ms, in_vault, millis, now_ms, Active, Flow, FlowState, Mode};
use crate::error::{ErrorCode, UiError};
use crate::vault::{PendingSignIn, Saved, Slot};

impl Mode {
    /// Starts an enchanted-link sign-in of this kind.
    pub(super) async fn enchanted(
        self,
        client: &beckon::Client,
        email: &str,
    ) -> beckon::Result<LinkRequest> {
        let links = client.enchanted_link();
        match self {
            Mode::SignUpOrIn => links.sign_up_or_in(email, None).await,
            Mode::SignIn => links.sign_in(email, None).await,
            Mode::SignUp => links.sign_up(email, None, None).await,
        }
    }
}

impl Flow {
    /// Runs a whole sign-in of the `mode` kind for `email`, replacing any sign-in under way.
    /// Returns when it is signed in, failed, or was cancelled or replaced.
    pub async fn sign_in(&self, email: String, mode: Mode) {
        let email = email.trim().to_owned();
        let Some((generation, cancel, client)) = self.start_request(&email, mode).await else {
            return;
        };
        let started = tokio::select! {
            _ = cancel.cancelled() => return,
            started = mode.enchanted(&client, &email) => started,
        };
        let request = match started {
            Ok(request) => request,
            Err(error) => return self.fail(generation, &email, error.into()),
        };
        let pending = PendingSignIn {
            email: email.clone(),
            link_id: request.link_id,
            masked_email: request.masked.masked_email,
            pending_ref: request.pending_ref,
            expires_at_ms: expires_at_ms(self.timing.link_lifetime),
        };
        // Kept so a restarted app comes back to this number; without a keyring it is not.
        let kept = pending.clone();
        let _ = in_vault(&self.vault(), move |v| kept.save(v)).await;
        self.wait(generation, cancel, Some(client), pending).await;
    }

    /// The first steps of every sign-in request: it replaces whatever is under way and its
    /// kept request, shows "Sending…" and gets a client. `None` when that failed (the screen
    /// then says why).
    pub(super) async fn start_request(
        &self,
        email: &str,
        mode: Mode,
    ) -> Option<(u64, CancellationToken, beckon::Client)> {
        let cancel = CancellationToken::new();
        let generation = self.next_generation(Some(cancel.clone()));
        self.lock().mode = mode;
        self.forget_request().await;
        let sending = FlowState::Sending {
            email: email.to_owned(),
            mode,
        };
        self.set(generation, sending);
        match self.client().await {
            Ok(client) => Some((generation, cancel, client)),
            Err(error) => {
                self.fail(generation, email, error);
                None
            }
        }
    }

    /// Shows the number and polls until the tap, expiry, or cancel. Without a client yet (a
    /// restarted app, offline), it shows the number as reconnecting and keeps trying.
    pub(super) async fn wait(
        &self,
        generation: u64,
        cancel: CancellationToken,
        client: Option<beckon::Client>,
        pending: PendingSignIn,
    ) {
        let email = pending.email.clone();
        let waiting = |reconnecting| FlowState::Waiting {
            email: pending.email.clone(),
            link_id: pending.link_id.clone(),
            masked_email: pending.masked_email.clone(),
            sent_at_ms: pending.expires_at_ms - millis(self.timing.link_lifetime),
            expires_at_ms: pending.expires_at_ms,
            reconnecting,
        };
        let fail = |error: UiError| async move {
            if self.lock().generation == generation {
                self.forget_request().await;
            }
            self.set(generation, self.failed(&email, error));
        };
        if !self.set(generation, waiting(client.is_none())) {
            return;
        }
        let left =
            |now| Duration::from_millis(u64::try_from(pending.expires_at_ms - now).unwrap_or(0));
        let client = match client {
            Some(client) => client,
            None => {
                let mut backoff = self.timing.backoff();
                loop {
                    match self.client().await {
                        Ok(client) => break client,
                        Err(error) if error.code != ErrorCode::Offline => return fail(error).await,
                        Err(_) if left(now_ms()).is_zero() => {
                            return fail(beckon::Error::Expired.into()).await
                        }
                        Err(_) => {}
                    }
                    tokio::select! {
                        _ = cancel.cancelled() => return,
                        _ = tokio::time::sleep(backoff.next_delay().min(left(now_ms()))) => {}
                    }
                }
            }
        };
        self.set_reconnecting(generation, false);

        let this = self.clone();
        let options = WaitOptions {
            interval: self.timing.poll_interval,
            hold: self.timing.hold,
            timeout: left(now_ms()),
            cancel: cancel.clone(),
            on_event: Some(Arc::new(move |event| {
                this.set_reconnecting(generation, matches!(event, WaitEvent::Reconnecting { .. }));
            })),
        };
        let links = client.enchanted_link();
        let session = match links.wait_for_session(&pending.pending_ref, &options).await {
            Ok(session) => session,
            Err(beckon::Error::Cancelled) => return,
            Err(error) => return fail(error.into()).await,
        };
        if self.lock().generation == generation {
            self.forget_request().await;
        }
        if let Err(error) = self
            .begin(generation, &client, session, now_ms(), &pending.email)
            .await
        {
            fail(error).await;
        }
    }

    /// Takes a session the server handed out: validates it, remembers it in the vault, shows
    /// the signed-in view, and keeps it fresh until sign-out.
    pub(super) async fn begin(
        &self,
        generation: u64,
        client: &beckon::Client,
        session: AuthResponse,
        since_ms: i64,
        email_hint: &str,
    ) -> Result<(), UiError> {
        let token = client
            .validate_session(session.session_jwt.expose())
            .await?;
        let refresh_jwt = session.refresh_jwt.clone().ok_or_else(|| {
            UiError::from(beckon::Error::InvalidResponse(
                "the server sent no refresh token".into(),
            ))
        })?;
        let saved = Saved {
            refresh_jwt: refresh_jwt.clone(),
            since_ms,
        };
        let remembered = in_vault(&self.vault(), move |v| saved.save(v))
            .await
            .is_ok();
        let user = session.user.unwrap_or_default();
        let cancel = CancellationToken::new();
        {
            let mut inner = self.lock();
            if inner.generation != generation {
                return Ok(());
            }
            inner.cancel = Some(cancel.clone());
            inner.session = Some(Active {
                refresh_jwt,
                login_id: user
                    .login_ids
                    .first()
                    .cloned()
                    .or_else(|| Some(user.email.clone()).filter(|e| !e.is_empty()))
                    .unwrap_or_else(|| email_hint.to_owned()),
                expires_at: token.expires_at,
                since_ms,
            });
        }
        self.set(
            generation,
            FlowState::SignedIn {
                email: Some(user.email)
                    .filter(|e| !e.is_empty())
                    .unwrap_or_else(|| email_hint.to_owned()),
                name: Some(user.name).filter(|n| !n.is_empty()),
                user_id: token.subject,
                since_ms,
                remembered,
                change: None,
                notice: None,
            },
        );
        let this = self.clone();
        let client = client.clone();
        tokio::spawn(async move { this.keep_fresh(generation, client, cancel).await });
        Ok(())
    }

    /// Flips the waiting screen's "reconnecting…" note when it changes.
    pub(super) fn set_reconnecting(&self, generation: u64, reconnecting: bool) {
        self.update(generation, |state| {
            if let FlowState::Waiting {
                reconnecting: shown,
                ..
            } = state
            {
                *shown = reconnecting;
            }
        });
    }

    /// Stops waiting at once and forgets the pending sign-in; back to the email screen, with
    /// the email kept.
    pub async fn cancel(&self) {
        let generation = self.next_generation(None);
        let email = self.state().email().to_owned();
        self.set(generation, self.enter_email(&email, None));
        self.forget_request().await;
    }

    /// Forgets the sign-in request under way, if any: the enchanted link's pendingRef, or the
    /// magic link sent to open this app. Each new request, cancel, expiry and success does.
    pub(super) async fn forget_request(&self) {
        let _ = in_vault(&self.vault(), |v| {
            v.delete(Slot::Pending)?;
            v.delete(Slot::Magic)
        })
        .await;
    }
}
