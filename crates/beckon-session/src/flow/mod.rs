//! The sign-in flow and the session after it: restore at launch, start, wait, cancel, keep
//! the session fresh, sign out. Plain Rust, testable without a window; every change of state
//! goes to a [`StateSink`] (the window, in the app).
//!
//! One file per feature, each an `impl Flow` block: `sign_in` (enchanted link), `session`
//! (restore, refresh, sign-out), `change_email`, `magic` (magic links and `beckon://` links);
//! `state` holds what the window is shown. This file holds what they share: the state behind
//! one lock, changed only through [`Flow::update`] (read, changed and published under that
//! lock), and generations that tell a task it was replaced.

mod change_email;
mod magic;
mod session;
mod sign_in;
mod state;
#[cfg(test)]
mod tests;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use beckon::{CancellationToken, Secret};

use crate::config::ServerConfig;
use crate::error::UiError;
use crate::vault::{MagicRequest, Vault, VaultError};

pub use magic::{link_token, DEEP_LINK};
pub use state::{EmailChange, FlowState, Mode};

/// Receives every new state.
pub trait StateSink: Send + Sync + 'static {
    fn publish(&self, state: &FlowState);
}

/// Timing of the flow.
#[derive(Debug, Clone)]
pub struct FlowTiming {
    /// How long to wait for the tap; the server's link lifetime.
    pub link_lifetime: Duration,
    /// Time between polls (when the server does not hold them), and the least time between
    /// two.
    pub poll_interval: Duration,
    /// How long each poll asks the server to hold it for the tap (`Prefer: wait`); `None`:
    /// plain polling.
    pub hold: Option<Duration>,
    /// Refresh the session JWT this long before it expires.
    pub refresh_lead: Duration,
    /// The shortest wait between two refreshes, whatever the token's lifetime.
    pub refresh_floor: Duration,
    /// About how long the first wait after a failed refresh (or restore, or a server that
    /// cannot be reached) is; each next one about doubles, up to `retry_max`
    /// ([`beckon::Backoff`]: made random, so that apps a server's restart cut off together
    /// come back apart).
    pub retry_min: Duration,
    pub retry_max: Duration,
}

impl FlowTiming {
    /// The waits between attempts, from `retry_min` to `retry_max`.
    pub(crate) fn backoff(&self) -> beckon::Backoff {
        beckon::Backoff::new(self.retry_min, self.retry_max)
    }
}

impl Default for FlowTiming {
    fn default() -> Self {
        Self {
            link_lifetime: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
            hold: Some(Duration::from_secs(25)),
            refresh_lead: Duration::from_secs(60),
            refresh_floor: Duration::from_secs(5),
            retry_min: Duration::from_secs(2),
            retry_max: Duration::from_secs(60),
        }
    }
}

/// The signed-in session. The session JWT itself is not needed after validation: the app
/// calls no API with it, and a fresh one comes with every refresh.
struct Active {
    refresh_jwt: Secret,
    /// The login ID to name the user by in updates.
    login_id: String,
    /// When the session JWT expires, in Unix seconds.
    expires_at: i64,
    since_ms: i64,
}

struct Inner {
    state: FlowState,
    /// Bumped by every start, cancel and sign-out; a task whose generation is stale stays quiet.
    generation: u64,
    cancel: Option<CancellationToken>,
    /// The signed-in session, in memory (and its refresh JWT in the vault).
    session: Option<Active>,
    client: Option<beckon::Client>,
    /// Stops an email change under way; its own generation, bumped by each start and cancel.
    change_cancel: Option<CancellationToken>,
    change_generation: u64,
    /// The sign-in kind last asked for, shown again on the email screen.
    mode: Mode,
    /// Which server, and where its sessions are remembered; replaced by [`Flow::reconfigure`].
    config: ServerConfig,
    vault: Arc<dyn Vault>,
    /// The magic link this run sent, with its proof key's verifier (never in the UI's state).
    magic: Option<MagicRequest>,
}

/// Runs at named points of the flow, so a test can do something there: force an interleaving
/// that the scheduler would produce only now and then. The app sets none.
/// What it returns is awaited before the flow goes on: the test holds the flow there without
/// blocking a thread of the runtime.
pub type Checkpoint = Arc<
    dyn Fn(&'static str) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>
        + Send
        + Sync,
>;

/// The sign-in flow. Cheap to clone.
#[derive(Clone)]
pub struct Flow {
    inner: Arc<Mutex<Inner>>,
    sink: Arc<dyn StateSink>,
    timing: FlowTiming,
    checkpoint: Option<Checkpoint>,
}

/// Runs a vault call off the async threads: the platform keyrings block.
async fn in_vault<T: Send + 'static>(
    vault: &Arc<dyn Vault>,
    call: impl FnOnce(&dyn Vault) -> Result<T, VaultError> + Send + 'static,
) -> Result<T, VaultError> {
    let vault = vault.clone();
    tokio::task::spawn_blocking(move || call(vault.as_ref()))
        .await
        .unwrap_or_else(|e| Err(VaultError::Unavailable(e.to_string())))
}

impl Flow {
    pub fn new(
        config: ServerConfig,
        timing: FlowTiming,
        sink: Arc<dyn StateSink>,
        vault: Arc<dyn Vault>,
    ) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                state: FlowState::Restoring {
                    reconnecting: false,
                },
                generation: 0,
                cancel: None,
                session: None,
                client: None,
                change_cancel: None,
                change_generation: 0,
                mode: Mode::default(),
                config,
                vault,
                magic: None,
            })),
            sink,
            timing,
            checkpoint: None,
        }
    }

    /// This flow, calling `checkpoint` at its named points (for tests).
    pub fn with_checkpoint(mut self, checkpoint: Checkpoint) -> Self {
        self.checkpoint = Some(checkpoint);
        self
    }

    async fn checkpoint(&self, name: &'static str) {
        if let Some(checkpoint) = &self.checkpoint {
            checkpoint(name).await;
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
        inner.state = state;
        self.sink.publish(&inner.state);
        true
    }

    /// Changes the state in place if `generation` is still current, and tells the sink when
    /// it changed. With [`Flow::set`], the only ways the state changes: read, changed and
    /// published under one lock, so no task shows a copy that another has changed meanwhile,
    /// and the sink sees states in the order they were made. (A sink must not call back into
    /// the flow.)
    fn update(&self, generation: u64, change: impl FnOnce(&mut FlowState)) -> bool {
        let mut inner = self.lock();
        if inner.generation != generation {
            return false;
        }
        let before = inner.state.clone();
        change(&mut inner.state);
        if inner.state != before {
            self.sink.publish(&inner.state);
        }
        true
    }

    /// Starts a new generation: cancels whatever was running.
    fn next_generation(&self, cancel: Option<CancellationToken>) -> u64 {
        let mut inner = self.lock();
        if let Some(old) = inner.cancel.take() {
            old.cancel();
        }
        if let Some(old) = inner.change_cancel.take() {
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
        let config = self.lock().config.clone();
        let client = config.client().await?;
        let mut inner = self.lock();
        // A client for the server asked of; the settings may have changed meanwhile.
        if inner.config == config {
            inner.client = Some(client.clone());
        }
        Ok(client)
    }

    fn vault(&self) -> Arc<dyn Vault> {
        self.lock().vault.clone()
    }

    /// The server the flow signs in with.
    pub fn config(&self) -> ServerConfig {
        self.lock().config.clone()
    }

    /// Switches to another server (and its keyring entries): whatever was under way stops,
    /// and the flow starts over as at launch, restoring that server's remembered session.
    pub async fn reconfigure(&self, config: ServerConfig, vault: Arc<dyn Vault>) {
        {
            let mut inner = self.lock();
            inner.config = config;
            inner.vault = vault;
            inner.client = None;
            inner.session = None;
        }
        self.restore().await;
    }

    /// The email screen, in the mode last asked for.
    fn enter_email(&self, email: &str, notice: Option<String>) -> FlowState {
        FlowState::EnterEmail {
            email: email.to_owned(),
            notice,
            mode: self.lock().mode,
        }
    }

    /// Shows the email screen with `error`, if `generation` is still current.
    fn fail(&self, generation: u64, email: &str, error: UiError) {
        self.set(generation, self.failed(email, error));
    }

    /// The email screen with an error, in the mode last asked for.
    fn failed(&self, email: &str, error: UiError) -> FlowState {
        FlowState::Failed {
            email: email.to_owned(),
            error,
            mode: self.lock().mode,
        }
    }

    /// The sign-in kind last asked for.
    pub fn mode(&self) -> Mode {
        self.lock().mode
    }

    /// True while a session is held.
    pub fn is_signed_in(&self) -> bool {
        self.lock().session.is_some()
    }
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

fn expires_at_ms(lifetime: Duration) -> i64 {
    let now = time::OffsetDateTime::now_utc();
    let lifetime = time::Duration::try_from(lifetime).unwrap_or(time::Duration::ZERO);
    ((now + lifetime).unix_timestamp_nanos() / 1_000_000) as i64
}
