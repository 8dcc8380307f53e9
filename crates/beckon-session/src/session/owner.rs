//! The task that owns the session's state: it takes commands from the handles, runs the
//! operations, applies what they report, and publishes every state.

use std::future::Future;
use std::pin::Pin;

use beckon::Secret;
use tokio::sync::{mpsc, oneshot, watch};

use super::magic::{link_token, DeepLink};
use super::vault_queue::VaultQueue;
use super::{now_ms, Checkpoint, Command, Done, OnState, SessionBuilder, Timing};
use crate::config::ServerConfig;
use crate::error::Error;
use crate::state::{EmailChange, LinkIgnored, Mode, Notice, SessionState};
use crate::vault::MagicRequest;

/// How many callers of `session_token` may wait on one refresh; more are told to try again.
const TOKEN_WAITERS: usize = 256;

/// The signed-in session, held by the owner only.
pub(super) struct Active {
    pub refresh_jwt: Secret,
    pub session_jwt: Secret,
    /// When the session JWT expires, in Unix seconds.
    pub expires_at: i64,
    /// The login ID to name the user by in updates.
    pub login_id: String,
    pub since_ms: i64,
    pub client: beckon::Client,
}

/// What an operation tells the owner.
pub(super) enum Step {
    /// Show this state.
    Show(SessionState),
    /// The waiting screen's "reconnecting" note.
    Reconnecting(bool),
    /// A client for the configured server, to keep.
    Client(beckon::Client),
    /// The magic link this run sent, with its verifier.
    MagicSent(MagicRequest),
    /// A deep link's token, and the magic-link request it answers (`None`: not waiting).
    LinkFor {
        token: Secret,
        request: Option<MagicRequest>,
    },
    /// Signed in: keep the session and show it.
    SignedIn {
        active: Box<Active>,
        state: SessionState,
    },
    /// The refresh loop is asking the server now.
    Refreshing,
    /// A refresh went through.
    Refreshed {
        session_jwt: Secret,
        refresh_jwt: Secret,
        expires_at: i64,
        remembered: bool,
    },
    /// A refresh failed for now; the loop tries again.
    RefreshFailed(Error),
    /// The server ended the session.
    Ended(Notice),
    /// The email change shown in the signed-in view.
    Change(Option<EmailChange>),
    /// The email change's "reconnecting" note.
    ChangeReconnecting(bool),
    /// The sign-in shown as waiting can take a typed code: its request, on this server.
    CodeTarget {
        client: beckon::Client,
        pending_ref: Secret,
    },
    /// The email change went through: the session is now the updated account's.
    EmailChanged {
        refresh_jwt: Secret,
        session_jwt: Secret,
        expires_at: i64,
        email: String,
        state: SessionState,
    },
}

/// What an operation gets: copies of what it needs, and a way to tell the owner.
pub(super) struct Ctx {
    pub config: ServerConfig,
    client: Option<beckon::Client>,
    pub vault: VaultQueue,
    pub timing: Timing,
    pub mode: Mode,
    pub deep_link: Option<DeepLink>,
    /// The language the server writes this operation's messages in (a BCP 47 tag).
    pub locale: Option<String>,
    checkpoint: Option<Checkpoint>,
    steps: mpsc::UnboundedSender<Step>,
}

impl Ctx {
    /// Tells the owner.
    pub fn tell(&self, step: Step) {
        // The owner reads until it drops the operation, and then nothing needs telling.
        let _ = self.steps.send(step);
    }

    /// Shows `state`.
    pub fn show(&self, state: SessionState) {
        self.tell(Step::Show(state));
    }

    /// A way to tell the owner from a callback.
    pub fn teller(&self) -> impl Fn(Step) + Send + Sync + 'static {
        let steps = self.steps.clone();
        move |step| {
            let _ = steps.send(step);
        }
    }

    /// The email screen, in the mode last asked for.
    pub fn enter_email(&self, email: &str, notice: Option<Notice>) -> SessionState {
        SessionState::enter_email(email, notice, self.mode)
    }

    /// The email screen with an error, in the mode last asked for.
    pub fn failed(&self, email: &str, error: Error) -> SessionState {
        SessionState::Failed {
            email: email.to_owned(),
            error,
            mode: self.mode,
        }
    }

    /// A client for the configured server: the one kept, or a new one (kept from then on).
    pub async fn client(&mut self) -> Result<beckon::Client, Error> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let client = self.config.client().await?;
        self.client = Some(client.clone());
        self.tell(Step::Client(client.clone()));
        Ok(client)
    }

    /// Forgets the sign-in request under way, if any: the enchanted link's pendingRef, or
    /// the magic link sent to open this app.
    pub async fn forget_request(&self) {
        self.vault.forget_request().await;
    }

    pub async fn checkpoint(&self, name: &'static str) {
        if let Some(checkpoint) = &self.checkpoint {
            checkpoint(name).await;
        }
    }
}

type Operation = Pin<Box<dyn Future<Output = ()> + Send>>;

/// A running operation: its future, the messages it sent, and who waits for it to end.
struct Op {
    future: Option<Operation>,
    steps: mpsc::UnboundedReceiver<Step>,
    done: Option<Done>,
}

impl Op {
    /// The next message; `None` once the operation has ended and everything it said is read.
    async fn next(&mut self) -> Option<Step> {
        loop {
            let Some(future) = self.future.as_mut() else {
                return self.steps.recv().await;
            };
            tokio::select! {
                biased;
                Some(step) = self.steps.recv() => return Some(step),
                () = future => self.future = None,
            }
        }
    }
}

/// The next message of the operation in `slot`; pending forever when there is none.
async fn next_in(slot: &mut Option<Op>) -> Option<Step> {
    match slot {
        Some(op) => op.next().await,
        None => std::future::pending().await,
    }
}

/// Which operation a message came from.
#[derive(Clone, Copy)]
enum Lane {
    /// Sign-in, restore, sign-out, magic link: what the screen is about.
    Main,
    /// Keeping the signed-in session fresh.
    Refresh,
    /// An email change in the signed-in view.
    Change,
    /// Looking up what a deep link answers.
    Link,
}

enum Event {
    Command(Command),
    Step(Lane, Option<Box<Step>>),
    Closed,
}

pub(super) struct Owner {
    commands: mpsc::Receiver<Command>,
    state: watch::Sender<SessionState>,
    on_state: Option<OnState>,
    config: ServerConfig,
    client: Option<beckon::Client>,
    vault: VaultQueue,
    timing: Timing,
    deep_link: Option<DeepLink>,
    locale: super::Locale,
    checkpoint: Option<Checkpoint>,
    mode: Mode,
    active: Option<Active>,
    /// The magic link this run sent, with its proof key's verifier (never in the state).
    magic: Option<MagicRequest>,
    main: Option<Op>,
    refresh: Option<Op>,
    change: Option<Op>,
    link: Option<Op>,
    /// A refresh is on its way to the server: `session_token` callers wait for it.
    refreshing: bool,
    token_waiters: Vec<oneshot::Sender<Result<Secret, Error>>>,
    /// The request a code typed now is for: the one the waiting screen shows.
    code_target: Option<(beckon::Client, Secret)>,
}

impl Owner {
    pub fn new(
        builder: SessionBuilder,
        commands: mpsc::Receiver<Command>,
        state: watch::Sender<SessionState>,
    ) -> Self {
        let restore = builder.restore;
        let mut owner = Self {
            commands,
            state,
            on_state: builder.on_state,
            config: builder.config,
            client: None,
            vault: VaultQueue::new(builder.vault),
            timing: builder.timing,
            deep_link: builder.deep_link,
            locale: builder.locale,
            checkpoint: builder.checkpoint,
            mode: Mode::default(),
            active: None,
            magic: None,
            main: None,
            refresh: None,
            change: None,
            link: None,
            refreshing: false,
            token_waiters: Vec::new(),
            code_target: None,
        };
        if restore {
            owner.main = owner.op(None, super::restore::restore);
        }
        owner
    }

    /// Runs until every handle is gone.
    pub async fn run(mut self) {
        loop {
            let event = tokio::select! {
                command = self.commands.recv() => match command {
                    Some(command) => Event::Command(command),
                    None => Event::Closed,
                },
                step = next_in(&mut self.main) => Event::Step(Lane::Main, step.map(Box::new)),
                step = next_in(&mut self.refresh) => Event::Step(Lane::Refresh, step.map(Box::new)),
                step = next_in(&mut self.change) => Event::Step(Lane::Change, step.map(Box::new)),
                step = next_in(&mut self.link) => Event::Step(Lane::Link, step.map(Box::new)),
            };
            match event {
                Event::Command(command) => self.command(command),
                Event::Step(lane, Some(step)) => self.apply(lane, *step),
                Event::Step(lane, None) => {
                    *self.lane(lane) = None;
                }
                Event::Closed => return,
            }
        }
    }

    fn lane(&mut self, lane: Lane) -> &mut Option<Op> {
        match lane {
            Lane::Main => &mut self.main,
            Lane::Refresh => &mut self.refresh,
            Lane::Change => &mut self.change,
            Lane::Link => &mut self.link,
        }
    }

    /// An operation made by `run` from a context of the current settings.
    fn op<F: Future<Output = ()> + Send + 'static>(
        &self,
        done: Option<Done>,
        run: impl FnOnce(Ctx) -> F,
    ) -> Option<Op> {
        let (steps, receiver) = mpsc::unbounded_channel();
        let ctx = Ctx {
            config: self.config.clone(),
            client: self.client.clone(),
            vault: self.vault.clone(),
            timing: self.timing.clone(),
            mode: self.mode,
            deep_link: self.deep_link.clone(),
            locale: self.locale.get(),
            checkpoint: self.checkpoint.clone(),
            steps,
        };
        Some(Op {
            future: Some(Box::pin(run(ctx))),
            steps: receiver,
            done,
        })
    }

    /// Publishes `state`, even when it equals the last one (a screen shown again is news).
    fn publish(&mut self, state: SessionState) {
        if let Some(observer) = &self.on_state {
            observer(&state);
        }
        self.state.send_replace(state);
    }

    /// Changes the state in place, and publishes it when it changed.
    fn update(&mut self, change: impl FnOnce(&mut SessionState)) {
        let mut state = self.state.borrow().clone();
        let before = state.clone();
        change(&mut state);
        if state != before {
            self.publish(state);
        }
    }

    fn current(&self) -> SessionState {
        self.state.borrow().clone()
    }

    /// Stops every operation and forgets the session in memory (its vault entry stays).
    fn stop_all(&mut self) {
        self.main = None;
        self.change = None;
        self.link = None;
        self.end_session(Error::SignedOut);
    }

    /// Forgets the session in memory: its refresh loop stops, and `session_token` callers
    /// waiting on it get `error`.
    fn end_session(&mut self, error: Error) -> Option<Active> {
        self.refresh = None;
        self.refreshing = false;
        for waiter in self.token_waiters.drain(..) {
            let _ = waiter.send(Err(error.clone()));
        }
        self.active.take()
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::Restore(done) => {
                self.stop_all();
                self.main = self.op(Some(done), super::restore::restore);
            }
            Command::Reconfigure {
                config,
                vault,
                done,
            } => {
                self.stop_all();
                self.config = config;
                self.vault = VaultQueue::new(vault);
                self.client = None;
                self.magic = None;
                self.main = self.op(Some(done), super::restore::restore);
            }
            Command::SignIn { email, mode, done } => {
                let email = email.trim().to_owned();
                self.start_request(&email, mode);
                self.main = self.op(Some(done), |ctx| super::sign_in::sign_in(ctx, email));
            }
            Command::SendMagicLink { email, done } => {
                let email = email.trim().to_owned();
                self.start_request(&email, None);
                self.main = self.op(Some(done), |ctx| super::magic::send(ctx, email));
            }
            Command::OpenLink { url, done } => self.open_link(&url, done),
            Command::Cancel(done) => {
                self.stop_all();
                let state = SessionState::enter_email(self.current().email(), None, self.mode);
                self.publish(state);
                self.main = self.op(Some(done), |ctx| async move { ctx.forget_request().await });
            }
            Command::SignOut { everywhere, done } => {
                self.main = None;
                self.change = None;
                self.link = None;
                let active = self.end_session(Error::SignedOut);
                let email = self.current().email().to_owned();
                let state = SessionState::enter_email(&email, None, self.mode);
                self.publish(state);
                let (refresh_jwt, client) = match active {
                    Some(active) => (Some(active.refresh_jwt), Some(active.client)),
                    None => (None, self.client.clone()),
                };
                let how = super::sign_out::SignOut {
                    email,
                    refresh_jwt,
                    client,
                    everywhere,
                };
                self.main = self.op(Some(done), |ctx| super::sign_out::sign_out(ctx, how));
            }
            Command::ChangeEmail { email, done } => {
                let Some(active) = &self.active else {
                    return;
                };
                let change = super::change_email::Change {
                    new_email: email.trim().to_owned(),
                    login_id: active.login_id.clone(),
                    refresh_jwt: active.refresh_jwt.clone(),
                    since_ms: active.since_ms,
                    client: active.client.clone(),
                };
                self.change = None;
                self.set_change(Some(EmailChange::Sending {
                    new_email: change.new_email.clone(),
                }));
                self.change = self.op(Some(done), |ctx| {
                    super::change_email::change_email(ctx, change)
                });
            }
            Command::CancelEmailChange(_done) => {
                self.change = None;
                self.set_change(None);
            }
            Command::Config(reply) => {
                let _ = reply.send(self.config.clone());
            }
            Command::Token(reply) => self.token(reply),
            Command::EnterCode { code, reply } => self.enter_code(code, reply),
        }
    }

    /// The first steps of every sign-in request: it replaces whatever is under way and its
    /// kept request, and shows "Sending…".
    fn start_request(&mut self, email: &str, mode: Option<Mode>) {
        self.stop_all();
        if let Some(mode) = mode {
            self.mode = mode;
        }
        // Queued before anything the new request keeps: the vault runs them in order.
        drop(self.vault.forget_request());
        self.publish(SessionState::Sending {
            email: email.to_owned(),
            mode: self.mode,
        });
    }

    /// A deep link: ignored unless it is a well-formed sign-in link and this app waits for
    /// the magic link it answers (looked up without stopping what is under way).
    fn open_link(&mut self, url: &str, done: Done) {
        let token = match link_token(url, self.deep_link.as_ref()) {
            Ok(token) => token,
            Err(reason) => return self.note_ignored(reason),
        };
        let on_screen = match self.current() {
            SessionState::MagicSent {
                email,
                masked_address,
                expires_at_ms,
            } => Some(MagicRequest {
                email,
                masked_address,
                expires_at_ms,
                code_verifier: None,
            }),
            _ => None,
        };
        let sent = self.magic.clone();
        self.link = self.op(Some(done), |ctx| {
            super::magic::look_up(ctx, token, on_screen, sent)
        });
    }

    /// Says a link was ignored, on the email screen; elsewhere (signed in, waiting) the
    /// screen is left alone.
    fn note_ignored(&mut self, reason: LinkIgnored) {
        if let SessionState::EnterEmail { email, .. } | SessionState::Failed { email, .. } =
            self.current()
        {
            let notice = Some(Notice::LinkIgnored { reason });
            self.publish(SessionState::enter_email(&email, notice, self.mode));
        }
    }

    fn set_change(&mut self, next: Option<EmailChange>) {
        self.update(|state| {
            if let SessionState::SignedIn { change, notice, .. } = state {
                if *change != next {
                    *change = next;
                    *notice = None;
                }
            }
        });
    }

    /// Sends a typed code for the request the waiting screen shows; its answer goes to
    /// `reply` (the sign-in itself follows through the wait, as after a tap).
    fn enter_code(&mut self, code: String, reply: oneshot::Sender<Result<(), Error>>) {
        let waiting = matches!(self.current(), SessionState::Waiting { .. });
        let Some((client, pending_ref)) = self.code_target.clone().filter(|_| waiting) else {
            let _ = reply.send(Err(Error::NotWaiting));
            return;
        };
        tokio::spawn(async move {
            let answer = client
                .enchanted_link()
                .confirm_with_code(&pending_ref, &code)
                .await
                .map_err(Error::from);
            let _ = reply.send(answer);
        });
    }

    fn token(&mut self, reply: oneshot::Sender<Result<Secret, Error>>) {
        let Some(active) = &self.active else {
            let _ = reply.send(Err(Error::SignedOut));
            return;
        };
        let margin = super::millis(self.timing.token_margin);
        if active.expires_at.saturating_mul(1000) - now_ms() > margin {
            let _ = reply.send(Ok(active.session_jwt.clone()));
            return;
        }
        if self.token_waiters.len() >= TOKEN_WAITERS {
            let _ = reply.send(Err(Error::RateLimited {
                retry_after_secs: Some(1),
            }));
            return;
        }
        self.token_waiters.push(reply);
        if !self.refreshing {
            self.refreshing = true;
            self.start_refresh(true);
        }
    }

    /// Starts the refresh loop for the session held; `now`: its first refresh at once.
    fn start_refresh(&mut self, now: bool) {
        let Some(active) = &self.active else {
            return;
        };
        let fresh = super::refresh::Fresh {
            client: active.client.clone(),
            refresh_jwt: active.refresh_jwt.clone(),
            expires_at: active.expires_at,
            since_ms: active.since_ms,
            now,
        };
        self.refresh = self.op(None, |ctx| super::refresh::keep_fresh(ctx, fresh));
    }

    /// Answers the `session_token` callers waiting on a refresh that failed: the JWT held,
    /// if it has not expired; else `error`.
    fn answer_waiters_after_failure(&mut self, error: Error) {
        let valid = self
            .active
            .as_ref()
            .filter(|a| a.expires_at.saturating_mul(1000) > now_ms())
            .map(|a| a.session_jwt.clone());
        for waiter in self.token_waiters.drain(..) {
            let _ = waiter.send(valid.clone().ok_or_else(|| error.clone()));
        }
    }

    fn apply(&mut self, lane: Lane, step: Step) {
        match step {
            Step::Show(state) => {
                // A new screen: a code typed from now on is for whatever tells its target next.
                if matches!(lane, Lane::Main) {
                    self.code_target = None;
                }
                self.publish(state);
            }
            Step::CodeTarget {
                client,
                pending_ref,
            } => self.code_target = Some((client, pending_ref)),
            Step::Reconnecting(now) => self.update(|state| {
                if let SessionState::Waiting { reconnecting, .. } = state {
                    *reconnecting = now;
                }
            }),
            Step::Client(client) => {
                self.client = Some(client);
            }
            Step::MagicSent(request) => {
                self.magic = Some(request);
            }
            Step::LinkFor { token, request } => {
                let done = self.lane(lane).as_mut().and_then(|op| op.done.take());
                let Some(request) = request else {
                    return self.note_ignored(LinkIgnored::NotWaiting);
                };
                self.stop_all();
                self.publish(SessionState::Sending {
                    email: request.email.clone(),
                    mode: self.mode,
                });
                self.main = self.op(done, |ctx| super::magic::redeem(ctx, token, request));
            }
            Step::SignedIn { active, state } => {
                self.active = Some(*active);
                self.magic = None;
                self.publish(state);
                self.start_refresh(false);
            }
            Step::Refreshing => self.refreshing = true,
            Step::Refreshed {
                session_jwt,
                refresh_jwt,
                expires_at,
                remembered,
            } => {
                self.refreshing = false;
                if let Some(active) = &mut self.active {
                    active.session_jwt = session_jwt.clone();
                    active.refresh_jwt = refresh_jwt;
                    active.expires_at = expires_at;
                }
                for waiter in self.token_waiters.drain(..) {
                    let _ = waiter.send(Ok(session_jwt.clone()));
                }
                self.update(|state| {
                    if let SessionState::SignedIn {
                        remembered: shown, ..
                    } = state
                    {
                        *shown = remembered;
                    }
                });
            }
            Step::RefreshFailed(error) => {
                self.refreshing = false;
                self.answer_waiters_after_failure(error);
            }
            Step::Ended(notice) => {
                self.change = None;
                self.end_session(Error::SignedOut);
                let state =
                    SessionState::enter_email(self.current().email(), Some(notice), self.mode);
                self.publish(state);
            }
            Step::Change(next) => self.set_change(next),
            Step::ChangeReconnecting(now) => self.update(|state| {
                if let SessionState::SignedIn {
                    change: Some(EmailChange::Waiting { reconnecting, .. }),
                    ..
                } = state
                {
                    *reconnecting = now;
                }
            }),
            Step::EmailChanged {
                refresh_jwt,
                session_jwt,
                expires_at,
                email,
                state,
            } => {
                let Some(active) = &mut self.active else {
                    return;
                };
                active.refresh_jwt = refresh_jwt;
                active.session_jwt = session_jwt;
                active.expires_at = expires_at;
                active.login_id = email;
                for waiter in self.token_waiters.drain(..) {
                    let _ = waiter.send(Ok(active.session_jwt.clone()));
                }
                // The old session's refresh loop would refresh a session about to end.
                self.refreshing = false;
                self.publish(state);
                self.start_refresh(false);
            }
        }
    }
}
