//! The sign-in flow: start, wait, cancel, result. Plain Rust, testable without a window;
//! every change of state goes to a [`StateSink`] (the window, in the app).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use beckon::{AuthResponse, CancellationToken, WaitEvent, WaitOptions};
use serde::Serialize;

use crate::config::ServerConfig;
use crate::error::UiError;

/// What the window shows. Serialized with a `screen` tag for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "screen",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum FlowState {
    /// The email screen, filled in with the last email used (empty at first).
    EnterEmail { email: String },
    /// Asking the server to send the links.
    Sending { email: String },
    /// The links are out: show the number and wait.
    Waiting {
        email: String,
        link_id: String,
        masked_email: String,
        /// When the wait gives up, in Unix milliseconds.
        expires_at_ms: i64,
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// Signed in.
    SignedIn {
        email: String,
        name: Option<String>,
        user_id: String,
    },
    /// Something went wrong; the email screen with the error and the email kept.
    Failed { email: String, error: UiError },
}

impl FlowState {
    /// The email this state is about.
    pub fn email(&self) -> &str {
        match self {
            FlowState::EnterEmail { email }
            | FlowState::Sending { email }
            | FlowState::Waiting { email, .. }
            | FlowState::SignedIn { email, .. }
            | FlowState::Failed { email, .. } => email,
        }
    }
}

/// Receives every new state.
pub trait StateSink: Send + Sync + 'static {
    fn publish(&self, state: &FlowState);
}

/// Timing of the flow.
#[derive(Debug, Clone)]
pub struct FlowTiming {
    /// How long to wait for the tap; the server's link lifetime.
    pub link_lifetime: Duration,
    /// Time between polls.
    pub poll_interval: Duration,
}

impl Default for FlowTiming {
    fn default() -> Self {
        Self {
            link_lifetime: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
        }
    }
}

struct Inner {
    state: FlowState,
    /// Bumped by every start, cancel and sign-out; a task whose generation is stale stays quiet.
    generation: u64,
    cancel: Option<CancellationToken>,
    /// The signed-in session's tokens, in memory only.
    session: Option<AuthResponse>,
    client: Option<beckon::Client>,
}

/// The sign-in flow. Cheap to clone.
#[derive(Clone)]
pub struct Flow {
    inner: Arc<Mutex<Inner>>,
    sink: Arc<dyn StateSink>,
    config: ServerConfig,
    timing: FlowTiming,
}

impl Flow {
    pub fn new(config: ServerConfig, timing: FlowTiming, sink: Arc<dyn StateSink>) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                state: FlowState::EnterEmail {
                    email: String::new(),
                },
                generation: 0,
                cancel: None,
                session: None,
                client: None,
            })),
            sink,
            config,
            timing,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep going with it.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current state.
    pub fn state(&self) -> FlowState {
        self.lock().state.clone()
    }

    /// Sets the state if `generation` is still current, and tells the sink.
    fn set(&self, generation: u64, state: FlowState) -> bool {
        let mut inner = self.lock();
        if inner.generation != generation {
            return false;
        }
        inner.state = state.clone();
        drop(inner);
        self.sink.publish(&state);
        true
    }

    /// Starts a new generation: cancels whatever was running.
    fn next_generation(&self, cancel: Option<CancellationToken>) -> u64 {
        let mut inner = self.lock();
        if let Some(old) = inner.cancel.take() {
            old.cancel();
        }
        inner.generation += 1;
        inner.cancel = cancel;
        inner.generation
    }

    async fn client(&self) -> Result<beckon::Client, UiError> {
        if let Some(client) = self.lock().client.clone() {
            return Ok(client);
        }
        let client = self.config.client().await?;
        self.lock().client = Some(client.clone());
        Ok(client)
    }

    /// Runs a whole sign-in for `email`, replacing any sign-in under way. Returns when it is
    /// signed in, failed, or was cancelled or replaced.
    pub async fn sign_in(&self, email: String) {
        let email = email.trim().to_owned();
        let cancel = CancellationToken::new();
        let generation = self.next_generation(Some(cancel.clone()));
        self.set(
            generation,
            FlowState::Sending {
                email: email.clone(),
            },
        );
        let fail = |error: UiError| {
            self.set(
                generation,
                FlowState::Failed {
                    email: email.clone(),
                    error,
                },
            );
        };

        let client = match self.client().await {
            Ok(client) => client,
            Err(error) => return fail(error),
        };
        let links = client.enchanted_link();
        let started = tokio::select! {
            _ = cancel.cancelled() => return,
            started = links.sign_up_or_in(&email, None) => started,
        };
        let request = match started {
            Ok(request) => request,
            Err(error) => return fail(error.into()),
        };
        let waiting = |reconnecting| FlowState::Waiting {
            email: email.clone(),
            link_id: request.link_id.clone(),
            masked_email: request.masked_email.clone(),
            expires_at_ms: expires_at_ms(self.timing.link_lifetime),
            reconnecting,
        };
        if !self.set(generation, waiting(false)) {
            return;
        }

        let this = self.clone();
        let options = WaitOptions {
            interval: self.timing.poll_interval,
            timeout: self.timing.link_lifetime,
            cancel: cancel.clone(),
            on_event: Some(Arc::new(move |event| {
                this.set_reconnecting(generation, matches!(event, WaitEvent::Reconnecting { .. }));
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
        let user = session.user.clone().unwrap_or_default();
        {
            let mut inner = self.lock();
            if inner.generation != generation {
                return;
            }
            inner.cancel = None;
            inner.session = Some(session);
        }
        self.set(
            generation,
            FlowState::SignedIn {
                email: user.email.unwrap_or(email.clone()),
                name: user.name.filter(|n| !n.is_empty()),
                user_id: token.subject,
            },
        );
    }

    /// Flips the waiting screen's "reconnecting…" note when it changes.
    fn set_reconnecting(&self, generation: u64, reconnecting: bool) {
        let mut next = self.lock().state.clone();
        if let FlowState::Waiting {
            reconnecting: shown,
            ..
        } = &mut next
        {
            if *shown != reconnecting {
                *shown = reconnecting;
                self.set(generation, next);
            }
        }
    }

    /// Stops waiting at once and forgets the pending sign-in; back to the email screen, with
    /// the email kept.
    pub fn cancel(&self) {
        let generation = self.next_generation(None);
        let email = self.state().email().to_owned();
        self.set(generation, FlowState::EnterEmail { email });
    }

    /// Forgets the session; back to the email screen.
    pub fn sign_out(&self) {
        let generation = self.next_generation(None);
        let email = {
            let mut inner = self.lock();
            inner.session = None;
            inner.state.email().to_owned()
        };
        self.set(generation, FlowState::EnterEmail { email });
    }

    /// True while a session is held.
    pub fn is_signed_in(&self) -> bool {
        self.lock().session.is_some()
    }
}

fn expires_at_ms(lifetime: Duration) -> i64 {
    let now = time::OffsetDateTime::now_utc();
    let lifetime = time::Duration::try_from(lifetime).unwrap_or(time::Duration::ZERO);
    ((now + lifetime).unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_serialize_with_a_screen_tag() {
        let state = FlowState::Waiting {
            email: "ada@example.com".into(),
            link_id: "42".into(),
            masked_email: "a***@example.com".into(),
            expires_at_ms: 1,
            reconnecting: false,
        };
        assert_eq!(
            serde_json::to_value(&state).unwrap(),
            serde_json::json!({
                "screen": "waiting",
                "email": "ada@example.com",
                "linkId": "42",
                "maskedEmail": "a***@example.com",
                "expiresAtMs": 1,
                "reconnecting": false
            })
        );
        assert_eq!(
            serde_json::to_value(FlowState::EnterEmail {
                email: String::new()
            })
            .unwrap(),
            serde_json::json!({"screen": "enterEmail", "email": ""})
        );
    }
}
