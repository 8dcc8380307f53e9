//! The session: a handle ([`Session`]) on one task that owns the state.
//!
//! The handle sends commands over a channel; the owner (`owner.rs`) changes the state and
//! publishes every change (to a [`watch`](tokio::sync::watch) that [`Session::state`] and
//! [`States`] read, and to the builder's `on_state`, in order). Work that waits (a sign-in,
//! the refresh loop, an email change) runs as an operation: a future the owner polls along
//! with its commands, which tells the owner what changed by messages on its own channel
//! (`Step`s). Replacing an operation drops it: nothing it would have done happens, and its
//! unread messages go with its channel, so no operation ever has to ask whether it is still
//! the current one.
//!
//! One file per feature holds its operations: `sign_in` (enchanted link and the wait),
//! `restore` (at launch), `refresh` (keeping the session fresh), `sign_out`, `change_email`,
//! `magic` (magic links and deep links).

mod change_email;
mod magic;
mod owner;
mod refresh;
mod restore;
mod sign_in;
mod sign_out;
#[cfg(test)]
mod tests;
mod vault_queue;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use beckon::Secret;
use tokio::sync::{mpsc, oneshot, watch};

use crate::config::ServerConfig;
use crate::error::Error;
use crate::state::{Mode, SessionState};
use crate::vault::Vault;

pub use magic::{DeepLink, InvalidDeepLink};

/// Timing of the session's waits. The defaults suit an app; tests shorten them.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Timing {
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
    /// ([`beckon::Backoff`]: random, so that apps a server's restart cut off together come
    /// back apart).
    pub retry_min: Duration,
    /// The longest wait between two attempts.
    pub retry_max: Duration,
    /// [`Session::session_token`] refreshes first when the session JWT has less than this
    /// left.
    pub token_margin: Duration,
}

impl Default for Timing {
    fn default() -> Self {
        Self {
            link_lifetime: Duration::from_secs(300),
            poll_interval: Duration::from_secs(1),
            hold: Some(Duration::from_secs(25)),
            refresh_lead: Duration::from_secs(60),
            refresh_floor: Duration::from_secs(5),
            retry_min: Duration::from_secs(2),
            retry_max: Duration::from_secs(60),
            token_margin: Duration::from_secs(30),
        }
    }
}

impl Timing {
    /// These timings with `link_lifetime` changed.
    pub fn link_lifetime(self, link_lifetime: Duration) -> Self {
        Self {
            link_lifetime,
            ..self
        }
    }

    /// These timings with `poll_interval` changed.
    pub fn poll_interval(self, poll_interval: Duration) -> Self {
        Self {
            poll_interval,
            ..self
        }
    }

    /// These timings with `hold` changed.
    pub fn hold(self, hold: Option<Duration>) -> Self {
        Self { hold, ..self }
    }

    /// These timings with `refresh_lead` changed.
    pub fn refresh_lead(self, refresh_lead: Duration) -> Self {
        Self {
            refresh_lead,
            ..self
        }
    }

    /// These timings with `refresh_floor` changed.
    pub fn refresh_floor(self, refresh_floor: Duration) -> Self {
        Self {
            refresh_floor,
            ..self
        }
    }

    /// These timings with `retry_min` and `retry_max` changed.
    pub fn retry(self, retry_min: Duration, retry_max: Duration) -> Self {
        Self {
            retry_min,
            retry_max,
            ..self
        }
    }

    /// These timings with `token_margin` changed.
    pub fn token_margin(self, token_margin: Duration) -> Self {
        Self {
            token_margin,
            ..self
        }
    }

    /// The waits between attempts, from `retry_min` to `retry_max`.
    pub(crate) fn backoff(&self) -> beckon::Backoff {
        beckon::Backoff::new(self.retry_min, self.retry_max)
    }
}

/// Runs at named points of an operation, so a test can hold it there: an interleaving the
/// scheduler would produce only now and then. An app sets none. What it returns is awaited
/// before the operation goes on.
#[doc(hidden)]
pub type Checkpoint =
    Arc<dyn Fn(&'static str) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

type OnState = Arc<dyn Fn(&SessionState) + Send + Sync>;

/// Told when a command is done: its sender is dropped.
type Done = oneshot::Sender<()>;

/// What the handle asks of the owner.
enum Command {
    Restore(Done),
    SignIn {
        email: String,
        mode: Option<Mode>,
        done: Done,
    },
    SendMagicLink {
        email: String,
        done: Done,
    },
    OpenLink {
        url: String,
        done: Done,
    },
    Cancel(Done),
    SignOut {
        everywhere: bool,
        done: Done,
    },
    ChangeEmail {
        email: String,
        done: Done,
    },
    CancelEmailChange(Done),
    Reconfigure {
        config: ServerConfig,
        vault: Arc<dyn Vault>,
        done: Done,
    },
    Config(oneshot::Sender<ServerConfig>),
    Token(oneshot::Sender<Result<Secret, Error>>),
    EnterCode {
        code: String,
        reply: oneshot::Sender<Result<(), Error>>,
    },
}

/// How many commands may wait for the owner before a caller waits to send.
const COMMANDS: usize = 64;

/// Sets up a [`Session`]: `Session::builder(config, vault)…start()`.
#[must_use = "a builder does nothing until `start`"]
pub struct SessionBuilder {
    config: ServerConfig,
    vault: Arc<dyn Vault>,
    timing: Timing,
    on_state: Option<OnState>,
    deep_link: Option<DeepLink>,
    locale: Locale,
    checkpoint: Option<Checkpoint>,
    restore: bool,
}

/// The language the server writes messages in, shared by a session's handles and its owner:
/// read as each request starts, so a change applies to the next one.
#[derive(Clone, Default)]
pub(crate) struct Locale(Arc<std::sync::RwLock<Option<String>>>);

impl Locale {
    pub(crate) fn get(&self) -> Option<String> {
        self.0.read().map(|l| l.clone()).unwrap_or_default()
    }

    fn set(&self, locale: Option<String>) {
        if let Ok(mut held) = self.0.write() {
            *held = locale;
        }
    }
}

impl SessionBuilder {
    /// Waits timed by `timing` instead of the defaults.
    pub fn timing(mut self, timing: Timing) -> Self {
        self.timing = timing;
        self
    }

    /// Calls `observer` with every new state, in order, from the task that owns the state:
    /// it must be quick and must not wait on the session. ([`Session::states`] is the
    /// asynchronous way, and may skip a state that was replaced before it looked.)
    pub fn on_state(mut self, observer: impl Fn(&SessionState) + Send + Sync + 'static) -> Self {
        self.on_state = Some(Arc::new(observer));
        self
    }

    /// Magic links read on this computer open the app through `link` (see [`DeepLink`]).
    /// Without one, [`Session::send_magic_link`] fails with [`Error::NoDeepLink`].
    pub fn deep_link(mut self, link: DeepLink) -> Self {
        self.deep_link = Some(link);
        self
    }

    /// Starts restoring at once, as [`Session::restore`] does, before any command: a deep link
    /// the app was launched with and hands over next is then looked at after the restore
    /// began (and takes over from it if it answers this app's magic link).
    pub fn restore_on_start(mut self) -> Self {
        self.restore = true;
        self
    }

    /// Asks the server to write the emails and texts of this session's requests in `locale`
    /// (a BCP 47 tag such as `es` or `es-MX`: the person's language), sent as
    /// `loginOptions.locale`. Without one, the server uses the language of the user's last
    /// sign-in, or its own default. [`Session::set_locale`] changes it later.
    pub fn locale(self, locale: impl Into<String>) -> Self {
        self.locale.set(Some(locale.into()));
        self
    }

    #[doc(hidden)]
    pub fn checkpoint(mut self, checkpoint: Checkpoint) -> Self {
        self.checkpoint = Some(checkpoint);
        self
    }

    /// Starts the task that owns the session's state, on the current Tokio runtime (it panics
    /// outside one, as `tokio::spawn` does), and returns a handle on it. The state is
    /// [`SessionState::Restoring`] until [`Session::restore`] runs.
    pub fn start(self) -> Session {
        let initial = SessionState::Restoring {
            reconnecting: false,
        };
        let (commands, receiver) = mpsc::channel(COMMANDS);
        let (state, watched) = watch::channel(initial);
        let locale = self.locale.clone();
        let owner = owner::Owner::new(self, receiver, state);
        tokio::spawn(owner.run());
        Session {
            commands,
            state: watched,
            locale,
        }
    }
}

/// The session after phone sign-in, for a desktop app: restore it at launch, sign in by
/// enchanted link (the number on screen, the tap on the phone) or magic link, keep it fresh,
/// change the email, sign out. Cheap to clone; every clone is a handle on the same session,
/// which lives until the last handle is dropped.
///
/// Each action returns when it is done (signed in, failed, cancelled, or replaced by a later
/// action); its progress shows in the [state](Session::state) meanwhile.
#[derive(Clone)]
pub struct Session {
    commands: mpsc::Sender<Command>,
    state: watch::Receiver<SessionState>,
    locale: Locale,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("state", &*self.state.borrow())
            .finish_non_exhaustive()
    }
}

impl Session {
    /// A session with the server `config` names, remembered in `vault` (a
    /// [`KeyringVault`](crate::KeyringVault) in an app).
    pub fn builder(config: ServerConfig, vault: Arc<dyn Vault>) -> SessionBuilder {
        SessionBuilder {
            config,
            vault,
            timing: Timing::default(),
            on_state: None,
            deep_link: None,
            locale: Locale::default(),
            checkpoint: None,
            restore: false,
        }
    }

    /// Asks the server to write the messages of requests started from now on in `locale`
    /// (see [`SessionBuilder::locale`]); `None`: the server chooses.
    pub fn set_locale(&self, locale: Option<String>) {
        self.locale.set(locale);
    }

    /// The language asked for, if any.
    pub fn locale(&self) -> Option<String> {
        self.locale.get()
    }

    /// The current state.
    pub fn state(&self) -> SessionState {
        self.state.borrow().clone()
    }

    /// The states from now on.
    pub fn states(&self) -> States {
        States(self.state.clone())
    }

    /// Whether someone is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.state.borrow().is_signed_in()
    }

    async fn send(&self, command: impl FnOnce(Done) -> Command) {
        let (done, finished) = oneshot::channel();
        if self.commands.send(command(done)).await.is_ok() {
            let _ = finished.await;
        }
    }

    /// At launch: a remembered session is refreshed and shown signed in; a dead one is
    /// forgotten, with a note; a sign-in left waiting for its tap (or a magic link asked
    /// for) comes back; nothing means the email screen. Offline, it keeps trying.
    pub async fn restore(&self) {
        self.send(Command::Restore).await;
    }

    /// Signs in by enchanted link: three numbered links go to `email`, the number to tap
    /// shows in the state, and the session follows the tap. `mode` says what to ask for
    /// (`None`: the kind last asked for). Replaces whatever was under way.
    pub async fn sign_in(&self, email: impl Into<String>, mode: impl Into<Option<Mode>>) {
        let (email, mode) = (email.into(), mode.into());
        self.send(|done| Command::SignIn { email, mode, done })
            .await;
    }

    /// Sends a magic link to `email` for reading mail on this computer: the link opens the
    /// app through its [deep link](SessionBuilder::deep_link), which hands it to
    /// [`Session::open_link`]. Bound to this app by a proof key.
    pub async fn send_magic_link(&self, email: impl Into<String>) {
        let email = email.into();
        self.send(|done| Command::SendMagicLink { email, done })
            .await;
    }

    /// A deep link the system handed to the app, while it runs or as it starts. Untrusted
    /// input: only a well-formed sign-in link is used, only while this app waits for a magic
    /// link it asked for, and only if it signs in the account asked for. Anything else is
    /// ignored, with a note when a person would wonder.
    pub async fn open_link(&self, url: &str) {
        let url = url.to_owned();
        self.send(|done| Command::OpenLink { url, done }).await;
    }

    /// While waiting for the tap: the code from the email, typed here when no link works
    /// (beckon-server only). Right, the sign-in goes on as after the tap; wrong, it is
    /// [`Error::WrongCode`] with the tries left and the wait goes on, until the request ends at
    /// its fifth. [`Error::NotWaiting`] when no sign-in is waiting for its tap.
    pub async fn enter_code(&self, code: impl Into<String>) -> Result<(), Error> {
        let (reply, answer) = oneshot::channel();
        let code = code.into();
        if self
            .commands
            .send(Command::EnterCode { code, reply })
            .await
            .is_err()
        {
            return Err(Error::NotWaiting);
        }
        answer.await.unwrap_or(Err(Error::NotWaiting))
    }

    /// Stops waiting and forgets the pending sign-in; back to the email screen, the email
    /// kept.
    pub async fn cancel(&self) {
        self.send(Command::Cancel).await;
    }

    /// Signs out: at once on this computer, then on the server (offline, the state says the
    /// server could not be told).
    pub async fn sign_out(&self) {
        self.send(|done| Command::SignOut {
            everywhere: false,
            done,
        })
        .await;
    }

    /// Signs out here and ends every session of this account, on every device.
    pub async fn sign_out_everywhere(&self) {
        self.send(|done| Command::SignOut {
            everywhere: true,
            done,
        })
        .await;
    }

    /// Changes the signed-in person's email to `new_email`: three numbered links go there,
    /// the number shows in the signed-in state, and once the right one is confirmed the
    /// session follows the updated account. Nothing happens when nobody is signed in.
    pub async fn change_email(&self, new_email: impl Into<String>) {
        let email = new_email.into();
        self.send(|done| Command::ChangeEmail { email, done }).await;
    }

    /// Stops an email change under way; the signed-in session stays as it was.
    pub async fn cancel_email_change(&self) {
        self.send(Command::CancelEmailChange).await;
    }

    /// Switches to another server and its vault: whatever was under way stops, and the
    /// session starts over as at launch with that server's remembered session.
    pub async fn reconfigure(&self, config: ServerConfig, vault: Arc<dyn Vault>) {
        self.send(|done| Command::Reconfigure {
            config,
            vault,
            done,
        })
        .await;
    }

    /// The server in use.
    pub async fn config(&self) -> Option<ServerConfig> {
        let (reply, answer) = oneshot::channel();
        self.commands.send(Command::Config(reply)).await.ok()?;
        answer.await.ok()
    }

    /// A session JWT that is valid now, to call the app's own backend with: refreshed first
    /// when it has less than [`Timing::token_margin`] left (callers at the same moment share
    /// one refresh). Never an expired one: offline with an expired JWT it is
    /// [`Error::Offline`]; nobody signed in, [`Error::SignedOut`].
    pub async fn session_token(&self) -> Result<Secret, Error> {
        let (reply, answer) = oneshot::channel();
        if self.commands.send(Command::Token(reply)).await.is_err() {
            return Err(Error::SignedOut);
        }
        answer.await.unwrap_or(Err(Error::SignedOut))
    }
}

/// The session's states as they change; from [`Session::states`].
#[derive(Debug, Clone)]
pub struct States(watch::Receiver<SessionState>);

impl States {
    /// The state now.
    pub fn current(&self) -> SessionState {
        self.0.borrow().clone()
    }

    /// Waits for the state to change and returns the new one; `None` once the session is
    /// gone. A state replaced before this looked is skipped.
    pub async fn changed(&mut self) -> Option<SessionState> {
        self.0.changed().await.ok()?;
        Some(self.0.borrow_and_update().clone())
    }
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}
