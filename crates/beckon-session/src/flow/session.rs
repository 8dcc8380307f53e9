//! The session after sign-in: restored at launch, refreshed before it expires, ended by
//! sign-out (online or not) or by the server.

use std::time::Duration;

use beckon::CancellationToken;

use super::magic::magic_sent;
use super::{in_vault, now_ms, Flow, FlowState};
use crate::error::UiError;
use crate::vault::{MagicRequest, PendingSignIn, Saved, Slot};

impl Flow {
    /// At launch: a remembered session is refreshed and shown signed in; a dead one is
    /// forgotten, with a note; none means the email screen.
    pub async fn restore(&self) {
        let cancel = CancellationToken::new();
        let generation = self.next_generation(Some(cancel.clone()));
        let saved = match in_vault(&self.vault(), Saved::load).await {
            Ok(Some(saved)) => saved,
            Ok(None) => return self.resume_waiting(generation, cancel).await,
            Err(error) => {
                let note = format!(
                    "This computer can't keep you signed in ({error}); you'll sign in each time \
                     you open Beckon."
                );
                self.set(generation, self.enter_email("", Some(note)));
                return;
            }
        };
        self.set(
            generation,
            FlowState::Restoring {
                reconnecting: false,
            },
        );
        let mut backoff = self.timing.backoff();
        loop {
            let attempt = match self.client().await {
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
                    self.forget_request().await;
                    if let Err(error) = self
                        .begin(generation, &client, session, saved.since_ms, "")
                        .await
                    {
                        self.set(generation, self.enter_email("", Some(error.message)));
                    }
                    return;
                }
                Err(Some(error)) if error.is_unauthorized() => {
                    let _ = in_vault(&self.vault(), |v| v.delete(Slot::Session)).await;
                    let note = ended_note(
                        &error,
                        "Your session has ended (it expired or was signed out). Sign in again.",
                    );
                    self.set(generation, self.enter_email("", Some(note)));
                    return;
                }
                Err(Some(error)) if !error.is_transient() => {
                    self.set(
                        generation,
                        self.enter_email("", Some(UiError::from(error).message)),
                    );
                    return;
                }
                // Offline or the server is down: keep trying, and say so.
                Err(_) => {
                    self.set(generation, FlowState::Restoring { reconnecting: true });
                    tokio::select! {
                        _ = cancel.cancelled() => return,
                        _ = tokio::time::sleep(backoff.next_delay()) => {}
                    }
                }
            }
        }
    }

    /// At launch without a session: back to the waiting screen when a sign-in was waiting
    /// for its tap, or to the magic-link screen when a link was sent to open this app, and
    /// it has not expired; the email screen otherwise.
    pub(super) async fn resume_waiting(&self, generation: u64, cancel: CancellationToken) {
        let vault = self.vault();
        let pending = in_vault(&vault, PendingSignIn::load).await.ok().flatten();
        let magic = in_vault(&vault, MagicRequest::load).await.ok().flatten();
        let (email, expires_at_ms) = match (&pending, &magic) {
            (Some(p), _) => (p.email.clone(), p.expires_at_ms),
            (None, Some(m)) => (m.email.clone(), m.expires_at_ms),
            (None, None) => {
                self.set(generation, self.enter_email("", None));
                return;
            }
        };
        if expires_at_ms <= now_ms() {
            self.forget_request().await;
            self.set(
                generation,
                self.failed(&email, beckon::Error::Expired.into()),
            );
            return;
        }
        match (pending, magic) {
            (Some(pending), _) => self.wait(generation, cancel, None, pending).await,
            (None, Some(magic)) => {
                self.set(generation, magic_sent(magic));
            }
            (None, None) => {}
        }
    }

    /// While signed in: refreshes the session JWT before it expires. A failed refresh is
    /// retried with backoff; only the server saying the refresh JWT is dead signs out.
    pub(super) async fn keep_fresh(
        &self,
        generation: u64,
        client: beckon::Client,
        cancel: CancellationToken,
    ) {
        let mut backoff = self.timing.backoff();
        let mut wait = self.until_refresh();
        loop {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(wait) => {}
            }
            let Some(refresh_jwt) = self.lock().session.as_ref().map(|s| s.refresh_jwt.clone())
            else {
                return;
            };
            let refreshed = async {
                let session = client.refresh_session(&refresh_jwt).await?;
                let token = client
                    .validate_session(session.session_jwt.expose())
                    .await?;
                Ok::<_, beckon::Error>((session, token))
            };
            let result = tokio::select! {
                _ = cancel.cancelled() => return,
                result = refreshed => result,
            };
            match result {
                Ok((session, token)) => {
                    backoff.reset();
                    let rotated = session.refresh_jwt.unwrap_or_else(|| refresh_jwt.clone());
                    let since_ms = {
                        let mut inner = self.lock();
                        if inner.generation != generation {
                            return;
                        }
                        let Some(active) = inner.session.as_mut() else {
                            return;
                        };
                        if active.refresh_jwt != refresh_jwt {
                            // An email change swapped the session meanwhile; keep that one.
                            drop(inner);
                            wait = self.until_refresh();
                            continue;
                        }
                        active.refresh_jwt = rotated.clone();
                        active.expires_at = token.expires_at;
                        active.since_ms
                    };
                    let saved = Saved {
                        refresh_jwt: rotated,
                        since_ms,
                    };
                    let remembered = in_vault(&self.vault(), move |v| saved.save(v))
                        .await
                        .is_ok();
                    self.checkpoint("refreshed").await;
                    self.update(generation, |state| {
                        if let FlowState::SignedIn {
                            remembered: shown, ..
                        } = state
                        {
                            *shown = remembered;
                        }
                    });
                    wait = self.until_refresh();
                }
                Err(error) if error.is_unauthorized() => {
                    // Forget the session in the same step that checks this loop is still the
                    // current one, so a sign-in started meanwhile is never overwritten.
                    let (email, signed_out) = {
                        let mut inner = self.lock();
                        if inner.generation != generation {
                            return;
                        }
                        inner.generation += 1;
                        inner.session = None;
                        inner.cancel = None;
                        (inner.state.email().to_owned(), inner.generation)
                    };
                    let _ = in_vault(&self.vault(), |v| v.delete(Slot::Session)).await;
                    let note = ended_note(
                        &error,
                        "You were signed out: the session ended on the server (signed out \
                         elsewhere, or expired). Sign in again.",
                    );
                    self.set(signed_out, self.enter_email(&email, Some(note)));
                    return;
                }
                Err(_) => {
                    wait = backoff.next_delay();
                }
            }
        }
    }

    /// How long until the session JWT should be refreshed.
    pub(super) fn until_refresh(&self) -> Duration {
        let expires_at = self.lock().session.as_ref().map_or(0, |s| s.expires_at);
        let left = Duration::from_secs(u64::try_from(expires_at - now_ms() / 1000).unwrap_or(0));
        left.saturating_sub(self.timing.refresh_lead)
            .max(self.timing.refresh_floor)
    }

    /// Signs out: back to the email screen at once, the vault entry deleted, and the server
    /// told to end the session. Offline, the sign-out is local and the screen says so.
    pub async fn sign_out(&self) {
        let generation = self.next_generation(None);
        let (email, session, client) = {
            let mut inner = self.lock();
            (
                inner.state.email().to_owned(),
                inner.session.take(),
                inner.client.clone(),
            )
        };
        self.set(generation, self.enter_email(&email, None));
        // From the restoring screen there is no session in memory yet: the keyring's is ended.
        let refresh_jwt = match session {
            Some(session) => Some(session.refresh_jwt),
            None => in_vault(&self.vault(), Saved::load)
                .await
                .ok()
                .flatten()
                .map(|saved| saved.refresh_jwt),
        };
        let forgotten = in_vault(&self.vault(), |v| v.delete(Slot::Session)).await;
        let told = match (refresh_jwt, client) {
            (Some(refresh_jwt), Some(client)) => match client.logout(&refresh_jwt).await {
                // A session the server had already ended is just as signed out.
                Err(error) if !error.is_unauthorized() => Err(error),
                _ => Ok(()),
            },
            _ => Ok(()),
        };
        let note = match (forgotten, told) {
            (Err(error), _) => Some(format!(
                "Signed out, but the keyring entry could not be removed ({error})."
            )),
            (Ok(()), Err(error)) => Some(format!(
                "Signed out on this computer. The server could not be told ({}); the session \
                 ends there when it expires.",
                UiError::from(error).message.trim_end_matches('.')
            )),
            (Ok(()), Ok(())) => None,
        };
        if note.is_some() {
            self.set(generation, self.enter_email(&email, note));
        }
    }
}

/// Why a session the server refused is over: an account disabled by an administrator says
/// so (the person can do nothing but ask); any other refusal is `otherwise`.
fn ended_note(error: &beckon::Error, otherwise: &str) -> String {
    if error.error_code() == Some(beckon::ErrorCode::UserDisabled) {
        crate::error::DISABLED.to_owned()
    } else {
        otherwise.to_owned()
    }
}
