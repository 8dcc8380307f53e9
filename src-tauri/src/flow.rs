//! The sign-in flow and the session after it: restore at launch, start, wait, cancel, keep
//! the session fresh, sign out. Plain Rust, testable without a window; every change of state
//! goes to a [`StateSink`] (the window, in the app).

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use beckon::{AuthResponse, CancellationToken, LinkRequest, Secret, WaitEvent, WaitOptions};
use serde::{Deserialize, Serialize};

use crate::config::ServerConfig;
use crate::error::{ErrorCode, UiError};
use crate::vault::{MagicRequest, PendingSignIn, Saved, Slot, Vault, VaultError};

/// What the window shows. Serialized with a `screen` tag for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "screen",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum FlowState {
    /// At launch: checking the remembered session with the server.
    Restoring {
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// The email screen, filled in with the last email used (empty at first), with a note on
    /// why it is shown when that is not obvious (the session ended, sign-out was offline…).
    EnterEmail {
        email: String,
        notice: Option<String>,
        mode: Mode,
    },
    /// Asking the server to send the links.
    Sending { email: String, mode: Mode },
    /// The links are out: show the number and wait.
    Waiting {
        email: String,
        link_id: String,
        masked_email: String,
        /// When the links were sent, in Unix milliseconds (for the countdown ring).
        sent_at_ms: i64,
        /// When the wait gives up, in Unix milliseconds.
        expires_at_ms: i64,
        /// The server cannot be reached right now; still trying.
        reconnecting: bool,
    },
    /// A magic link went out for reading mail on this computer: clicking it opens Beckon
    /// through a `beckon://` link, which signs in.
    MagicSent {
        email: String,
        masked_address: String,
        /// When the link expires, in Unix milliseconds.
        expires_at_ms: i64,
    },
    /// Signed in.
    SignedIn {
        email: String,
        name: Option<String>,
        user_id: String,
        /// When this person signed in on this computer, in Unix milliseconds.
        since_ms: i64,
        /// The session is in the keyring and survives a restart.
        remembered: bool,
        /// A change of email under way, if any.
        change: Option<EmailChange>,
        /// A note for the person (their email changed, …).
        notice: Option<String>,
    },
    /// Something went wrong; the email screen with the error, the email and the mode kept.
    Failed {
        email: String,
        error: UiError,
        mode: Mode,
    },
}

/// What the email screen asks the server for. Sign-up-or-in unless the person chooses: then
/// an unknown email (on sign-in) or a known one (on sign-up) is an error offering the other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    #[default]
    SignUpOrIn,
    SignIn,
    SignUp,
}

impl Mode {
    /// Starts an enchanted-link sign-in of this kind.
    async fn enchanted(self, client: &beckon::Client, email: &str) -> beckon::Result<LinkRequest> {
        let links = client.enchanted_link();
        match self {
            Mode::SignUpOrIn => links.sign_up_or_in(email, None).await,
            Mode::SignIn => links.sign_in(email, None).await,
            Mode::SignUp => links.sign_up(email, None, None).await,
        }
    }

    /// Sends a magic link of this kind that opens this app, bound to it by `proof`; returns
    /// the masked address.
    async fn magic(
        self,
        client: &beckon::Client,
        email: &str,
        proof: &beckon::CodeVerifier,
    ) -> beckon::Result<String> {
        let links = client.magic_link().with_proof(proof);
        let email_link = beckon::DeliveryMethod::Email;
        match self {
            Mode::SignUpOrIn => {
                links
                    .sign_up_or_in(email_link, email, Some(DEEP_LINK))
                    .await
            }
            Mode::SignIn => links.sign_in(email_link, email, Some(DEEP_LINK)).await,
            Mode::SignUp => {
                links
                    .sign_up(email_link, email, Some(DEEP_LINK), None)
                    .await
            }
        }
    }
}

/// A change of the signed-in person's email: links go to the new address, and confirming the
/// one with the number shown makes it theirs (the enchanted-link update-email flow).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "step",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum EmailChange {
    Sending {
        new_email: String,
    },
    Waiting {
        new_email: String,
        link_id: String,
        masked_email: String,
        sent_at_ms: i64,
        expires_at_ms: i64,
        reconnecting: bool,
    },
    Failed {
        new_email: String,
        error: UiError,
    },
}

impl FlowState {
    /// The email this state is about.
    pub fn email(&self) -> &str {
        match self {
            FlowState::Restoring { .. } => "",
            FlowState::EnterEmail { email, .. }
            | FlowState::Sending { email, .. }
            | FlowState::Waiting { email, .. }
            | FlowState::MagicSent { email, .. }
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
    /// Refresh the session JWT this long before it expires.
    pub refresh_lead: Duration,
    /// The shortest wait between two refreshes, whatever the token's lifetime.
    pub refresh_floor: Duration,
    /// First wait after a failed refresh (or restore); it doubles up to `retry_max`.
    pub retry_min: Duration,
    pub retry_max: Duration,
}

impl Default for FlowTiming {
    fn default() -> Self {
        Self {
            link_lifetime: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
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

/// The sign-in flow. Cheap to clone.
#[derive(Clone)]
pub struct Flow {
    inner: Arc<Mutex<Inner>>,
    sink: Arc<dyn StateSink>,
    timing: FlowTiming,
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
            masked_email: request.masked_email,
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
    async fn start_request(
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
    async fn wait(
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
                let mut backoff = self.timing.retry_min;
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
                        _ = tokio::time::sleep(backoff.min(left(now_ms()))) => {}
                    }
                    backoff = (backoff * 2).min(self.timing.retry_max);
                }
            }
        };
        self.set_reconnecting(generation, false);

        let this = self.clone();
        let options = WaitOptions {
            interval: self.timing.poll_interval,
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
    async fn begin(
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
                    .or_else(|| user.email.clone())
                    .unwrap_or_else(|| email_hint.to_owned()),
                expires_at: token.expires_at,
                since_ms,
            });
        }
        self.set(
            generation,
            FlowState::SignedIn {
                email: user
                    .email
                    .filter(|e| !e.is_empty())
                    .unwrap_or_else(|| email_hint.to_owned()),
                name: user.name.filter(|n| !n.is_empty()),
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
        let mut backoff = self.timing.retry_min;
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
                    let note =
                        "Your session has ended (it expired or was signed out). Sign in again.";
                    self.set(generation, self.enter_email("", Some(note.into())));
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
                        _ = tokio::time::sleep(backoff) => {}
                    }
                    backoff = (backoff * 2).min(self.timing.retry_max);
                }
            }
        }
    }

    /// At launch without a session: back to the waiting screen when a sign-in was waiting
    /// for its tap, or to the magic-link screen when a link was sent to open this app, and
    /// it has not expired; the email screen otherwise.
    async fn resume_waiting(&self, generation: u64, cancel: CancellationToken) {
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
    async fn keep_fresh(&self, generation: u64, client: beckon::Client, cancel: CancellationToken) {
        let mut backoff = self.timing.retry_min;
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
                    backoff = self.timing.retry_min;
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
                    let mut state = self.state();
                    if let FlowState::SignedIn {
                        remembered: shown, ..
                    } = &mut state
                    {
                        if *shown != remembered {
                            *shown = remembered;
                            self.set(generation, state);
                        }
                    }
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
                    let note = "You were signed out: the session ended on the server (signed out \
                                elsewhere, or expired). Sign in again.";
                    self.set(signed_out, self.enter_email(&email, Some(note.into())));
                    return;
                }
                Err(_) => {
                    wait = backoff;
                    backoff = (backoff * 2).min(self.timing.retry_max);
                }
            }
        }
    }

    /// How long until the session JWT should be refreshed.
    fn until_refresh(&self) -> Duration {
        let expires_at = self.lock().session.as_ref().map_or(0, |s| s.expires_at);
        let left = Duration::from_secs(u64::try_from(expires_at - now_ms() / 1000).unwrap_or(0));
        left.saturating_sub(self.timing.refresh_lead)
            .max(self.timing.refresh_floor)
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
    pub async fn cancel(&self) {
        let generation = self.next_generation(None);
        let email = self.state().email().to_owned();
        self.set(generation, self.enter_email(&email, None));
        self.forget_request().await;
    }

    /// Forgets the sign-in request under way, if any: the enchanted link's pendingRef, or the
    /// magic link sent to open this app. Each new request, cancel, expiry and success does.
    async fn forget_request(&self) {
        let _ = in_vault(&self.vault(), |v| {
            v.delete(Slot::Pending)?;
            v.delete(Slot::Magic)
        })
        .await;
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
            masked_email: request.masked_email.clone(),
            sent_at_ms,
            expires_at_ms: sent_at_ms + millis(self.timing.link_lifetime),
            reconnecting: false,
        }));
        let this = self.clone();
        let options = WaitOptions {
            interval: self.timing.poll_interval,
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
        let email = user
            .email
            .clone()
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
                name: user.name.filter(|n| !n.is_empty()),
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
    fn set_change(
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
        let state = inner.state.clone();
        drop(inner);
        self.sink.publish(&state);
        true
    }

    /// Sends a magic link instead, for reading the email on this computer: the link opens
    /// Beckon (`beckon://auth?t=…`), which signs in. Replaces any sign-in under way; the
    /// request is kept in the vault so a click that launches the app anew still counts.
    pub async fn send_magic_link(&self, email: String) {
        let email = email.trim().to_owned();
        let mode = self.mode();
        let Some((generation, cancel, client)) = self.start_request(&email, mode).await else {
            return;
        };
        // Binds the link to this app (RFC 7636): another program that registered beckon://
        // and catches the link cannot redeem it without this verifier.
        let proof = beckon::CodeVerifier::generate();
        let sent = tokio::select! {
            _ = cancel.cancelled() => return,
            sent = mode.magic(&client, &email, &proof) => sent,
        };
        let request = match sent {
            Ok(masked_address) => MagicRequest {
                email: email.clone(),
                masked_address,
                expires_at_ms: expires_at_ms(self.timing.link_lifetime),
                code_verifier: Some(proof.secret().clone()),
            },
            Err(error) => return self.fail(generation, &email, error.into()),
        };
        if self.lock().generation != generation {
            return;
        }
        let kept = request.clone();
        let _ = in_vault(&self.vault(), move |v| kept.save(v)).await;
        self.lock().magic = Some(request.clone());
        self.set(generation, magic_sent(request));
    }

    /// A `beckon://` link the system handed to the app, while it runs or as it starts. It is
    /// untrusted input: only a well-formed sign-in link is used, only while this app is
    /// waiting for a magic link it asked for, and only if it signs in the account asked for
    /// (so a link from someone else's email cannot sign this computer into their account).
    /// Anything else is ignored, with a note when a person would wonder.
    pub async fn open_link(&self, url: &str) {
        let token = match link_token(url) {
            Ok(token) => token,
            Err(why) => return self.note_ignored_link(&why),
        };
        let Some(asked) = self.magic_request().await else {
            return self.note_ignored_link(
                "Beckon was not waiting for a sign-in link from this computer's email",
            );
        };
        let email = asked.email.clone();
        let generation = self.next_generation(None);
        let mode = self.lock().mode;
        self.set(
            generation,
            FlowState::Sending {
                email: email.clone(),
                mode,
            },
        );
        let result = async {
            let client = self.client().await?;
            let proof = asked
                .code_verifier
                .map(beckon::CodeVerifier::from_secret)
                .transpose()?;
            let links = client.magic_link();
            let session = match &proof {
                Some(proof) => links.with_proof(proof).verify(token.expose()).await?,
                None => links.verify(token.expose()).await?,
            };
            let user = session.user.as_ref();
            let is_asked = |id: &String| id.eq_ignore_ascii_case(&email);
            let matches = user.is_some_and(|u| {
                u.login_ids.iter().any(is_asked) || u.email.as_ref().is_some_and(is_asked)
            });
            if !matches {
                // Someone else's link: end the session it made rather than leave it about.
                if let Some(refresh_jwt) = &session.refresh_jwt {
                    let _ = client.logout(refresh_jwt).await;
                }
                return Err(UiError::new(
                    ErrorCode::Server,
                    format!(
                        "That link signs in to another account, not {email}, so it was not \
                         used. Open the link from the email sent to {email}."
                    ),
                ));
            }
            Ok((client, session))
        };
        match result.await {
            Ok((client, session)) => {
                self.forget_request().await;
                if let Err(error) = self
                    .begin(generation, &client, session, now_ms(), &email)
                    .await
                {
                    self.fail(generation, &email, error);
                }
            }
            // The request stays: the right link, opened next, still signs in.
            Err(error) => {
                self.fail(generation, &email, error);
            }
        }
    }

    /// The magic link this app asked for and still waits on: on screen, or (launched by the
    /// click) in the vault.
    async fn magic_request(&self) -> Option<MagicRequest> {
        if let FlowState::MagicSent {
            email,
            masked_address,
            expires_at_ms,
        } = self.state()
        {
            // The one this run sent (with its verifier), else the one the vault kept.
            let sent = self.lock().magic.clone().filter(|m| m.email == email);
            if let Some(sent) = sent {
                return Some(sent);
            }
            let kept = in_vault(&self.vault(), MagicRequest::load)
                .await
                .ok()
                .flatten();
            return Some(kept.filter(|m| m.email == email).unwrap_or(MagicRequest {
                email,
                masked_address,
                expires_at_ms,
                code_verifier: None,
            }));
        }
        in_vault(&self.vault(), MagicRequest::load)
            .await
            .ok()
            .flatten()
            .filter(|request| request.expires_at_ms > now_ms())
    }

    /// Says a link was ignored, on the email screen; elsewhere (signed in, waiting) the screen
    /// is left alone.
    fn note_ignored_link(&self, why: &str) {
        let (generation, email) = {
            let inner = self.lock();
            match &inner.state {
                FlowState::EnterEmail { email, .. } | FlowState::Failed { email, .. } => {
                    (inner.generation, email.clone())
                }
                _ => return,
            }
        };
        let note = format!("A sign-in link was opened, but it was ignored: {why}.");
        self.set(generation, self.enter_email(&email, Some(note)));
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

/// Where magic links send the browser: the app itself.
pub const DEEP_LINK: &str = "beckon://auth";

/// The token of a `beckon://auth?t=…` link, checked strictly: that scheme and host, no path,
/// one `t` of URL-safe characters of a sane length, nothing else.
pub fn link_token(url: &str) -> Result<Secret, String> {
    let bad = |why: &str| Err(why.to_owned());
    if url.len() > 2048 {
        return bad("the link is too long");
    }
    let Ok(parsed) = url::Url::parse(url) else {
        return bad("it is not a link");
    };
    if parsed.scheme() != "beckon" || parsed.host_str() != Some("auth") {
        return bad("it is not a Beckon sign-in link");
    }
    if !matches!(parsed.path(), "" | "/") || parsed.fragment().is_some() {
        return bad("it is not a Beckon sign-in link");
    }
    let pairs: Vec<_> = parsed.query_pairs().collect();
    let [(key, token)] = pairs.as_slice() else {
        return bad("it does not carry exactly one sign-in token");
    };
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '~');
    if key != "t" || !(16..=512).contains(&token.len()) || !token.chars().all(safe) {
        return bad("its sign-in token is malformed");
    }
    Ok(Secret::new(token.to_string()))
}

fn magic_sent(request: MagicRequest) -> FlowState {
    FlowState::MagicSent {
        email: request.email,
        masked_address: request.masked_address,
        expires_at_ms: request.expires_at_ms,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_well_formed_sign_in_links_give_a_token() {
        let token = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_";
        assert_eq!(
            link_token(&format!("beckon://auth?t={token}"))
                .unwrap()
                .expose(),
            token
        );
        assert!(link_token(&format!("beckon://auth/?t={token}")).is_ok());
        for bad in [
            "not a url".to_owned(),
            format!("https://auth?t={token}"),
            format!("beckon://evil?t={token}"),
            format!("beckon://auth/other?t={token}"),
            format!("beckon://auth?t={token}&t={token}"),
            format!("beckon://auth?t={token}&next=https://evil"),
            format!("beckon://auth?x={token}"),
            format!("beckon://auth?t={token}#f"),
            "beckon://auth?t=short".to_owned(),
            "beckon://auth?t=%3Cscript%3Ealert(1)%3C/script%3E".to_owned(),
            format!("beckon://auth?t={}", "a".repeat(600)),
            "beckon://auth".to_owned(),
        ] {
            assert!(link_token(&bad).is_err(), "{bad}");
        }
        assert!(!format!("{:?}", link_token(&format!("beckon://auth?t={token}"))).contains(token));
    }

    #[test]
    fn states_serialize_with_a_screen_tag() {
        let state = FlowState::Waiting {
            email: "ada@example.com".into(),
            link_id: "42".into(),
            masked_email: "a***@example.com".into(),
            sent_at_ms: 0,
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
                "sentAtMs": 0,
                "expiresAtMs": 1,
                "reconnecting": false
            })
        );
        let email = FlowState::EnterEmail {
            email: String::new(),
            notice: None,
            mode: Mode::SignIn,
        };
        assert_eq!(
            serde_json::to_value(email).unwrap(),
            serde_json::json!({"screen": "enterEmail", "email": "", "notice": null, "mode": "signIn"})
        );
    }
}
