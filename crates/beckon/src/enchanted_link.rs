use std::sync::Arc;
use std::time::Duration;

use beckon_proto::{CodeRequest, PendingSessionRequest, Redirect, SignInRequest, TokenRequest};
use tokio::time::Instant;

use crate::options::{check, required};
use crate::{
    AuthResponse, Client, Error, LinkRequest, LoginOptions, Result, Secret, SignUpUser,
    UpdateOptions,
};

/// The shortest polling interval the official SDKs allow (docs/wire.md §4.8).
const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// How long a poll asks to be held, unless told otherwise.
const DEFAULT_HOLD: Duration = Duration::from_secs(25);
/// The longest wait between polls while the server cannot be reached.
const MAX_BACKOFF: Duration = Duration::from_secs(15);

/// Enchanted-link calls; get one from [`Client::enchanted_link`].
#[derive(Debug, Clone, Copy)]
pub struct EnchantedLink<'a> {
    client: &'a Client,
}

/// One poll's answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum SessionPoll {
    /// Not confirmed yet: poll again.
    Pending,
    /// Confirmed: the session, handed out as one (asked again within a minute, the same one).
    Ready(Box<AuthResponse>),
}

/// What [`EnchantedLink::wait_for_session`] is doing, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitEvent {
    /// The server answered: still waiting for the tap.
    Pending,
    /// The server could not be reached (or failed); trying again after `retry_in`.
    Reconnecting {
        /// When the next attempt goes out.
        retry_in: Duration,
    },
    /// The server asked us to slow down; trying again after `retry_in`.
    RateLimited {
        /// When the next attempt goes out.
        retry_in: Duration,
    },
}

/// Stops a [`EnchantedLink::wait_for_session`] at once, from anywhere: give a clone to
/// [`WaitOptions::cancel`] and call [`CancelWait::cancel`].
#[derive(Debug, Clone, Default)]
pub struct CancelWait(tokio_util::sync::CancellationToken);

impl CancelWait {
    /// A wait not cancelled yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Stops the wait (and every other wait given a clone of this).
    pub fn cancel(&self) {
        self.0.cancel();
    }

    /// Whether [`CancelWait::cancel`] was called.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    async fn cancelled(&self) {
        self.0.cancelled().await;
    }
}

/// How [`EnchantedLink::wait_for_session`] polls: `WaitOptions::default()`, changed by its
/// setters (`.hold(None)`, `.timeout(…)`…).
#[derive(Clone)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Time between polls; at least one second. Default: one second. Also the least time
    /// between two requests, however the server answers.
    pub interval: Duration,
    /// Ask the server to hold each poll up to this long for the tap (`Prefer: wait=N`,
    /// docs/wire.md §4.5): a beckon-server answers the moment the link is confirmed. A server
    /// that does not say it held (Descope's cloud) is polled every `interval` instead.
    /// `None`: plain polling. Default: 25 s, the most beckon-server holds by default.
    pub hold: Option<Duration>,
    /// Give up with [`Error::Timeout`] after this long. Default: ten minutes, as the Node SDK.
    pub timeout: Duration,
    /// Stops the wait at once with [`Error::Cancelled`].
    pub cancel: CancelWait,
    /// Called as the wait goes on.
    pub on_event: Option<Arc<dyn Fn(WaitEvent) + Send + Sync>>,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            interval: MIN_INTERVAL,
            hold: Some(DEFAULT_HOLD),
            timeout: Duration::from_secs(600),
            cancel: CancelWait::new(),
            on_event: None,
        }
    }
}

impl WaitOptions {
    /// These options with `interval` changed.
    pub fn interval(mut self, interval: Duration) -> Self {
        self.interval = interval;
        self
    }

    /// These options with `hold` changed (`None`: plain polling).
    pub fn hold(mut self, hold: Option<Duration>) -> Self {
        self.hold = hold;
        self
    }

    /// These options with `timeout` changed.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// These options, stopped by `cancel`.
    pub fn cancel(mut self, cancel: CancelWait) -> Self {
        self.cancel = cancel;
        self
    }

    /// These options, calling `on_event` as the wait goes on.
    pub fn on_event(mut self, on_event: impl Fn(WaitEvent) + Send + Sync + 'static) -> Self {
        self.on_event = Some(Arc::new(on_event));
        self
    }
}

impl std::fmt::Debug for WaitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WaitOptions")
            .field("interval", &self.interval)
            .field("hold", &self.hold)
            .field("timeout", &self.timeout)
            .field("cancelled", &self.cancel.is_cancelled())
            .finish_non_exhaustive()
    }
}

impl<'a> EnchantedLink<'a> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self { client }
    }

    /// Sends the three links to an existing user. Fails with the wire code `E062108` when no
    /// user has this email.
    ///
    /// `uri` is where the links point; `None` lets the server use its own confirm page.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let request = client.enchanted_link().sign_in("ada@example.com", None).await?;
    /// println!("tap {}", request.link_id);
    /// # Ok(()) }
    /// ```
    pub async fn sign_in(&self, email: &str, uri: Option<&str>) -> Result<LinkRequest> {
        self.sign_in_with_options(email, uri, &LoginOptions::default(), None)
            .await
    }

    /// [`EnchantedLink::sign_in`] with [`LoginOptions`]: custom claims for the session, or a
    /// step-up or MFA sign-in of the user whose `refresh_jwt` this is.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let options = beckon::LoginOptions { stepup: true, ..Default::default() };
    /// let request = client
    ///     .enchanted_link()
    ///     .sign_in_with_options("ada@example.com", None, &options, Some(&refresh))
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_in_with_options(
        &self,
        email: &str,
        uri: Option<&str>,
        options: &LoginOptions,
        refresh_jwt: Option<&Secret>,
    ) -> Result<LinkRequest> {
        check(options, refresh_jwt)?;
        self.start("signin", email, uri, None, options, refresh_jwt)
            .await
    }

    /// Sends the three links to a new user, created when the link is confirmed. Fails with
    /// `E062107` when the user already exists.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let user = beckon::SignUpUser { name: Some("Ada Lovelace".into()), ..Default::default() };
    /// let request = client.enchanted_link().sign_up("ada@example.com", None, Some(user)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_up(
        &self,
        email: &str,
        uri: Option<&str>,
        user: Option<SignUpUser>,
    ) -> Result<LinkRequest> {
        self.sign_up_with_options(email, uri, user, &LoginOptions::default())
            .await
    }

    /// [`EnchantedLink::sign_up`] with [`LoginOptions`] (custom claims, the messages'
    /// `locale`).
    pub async fn sign_up_with_options(
        &self,
        email: &str,
        uri: Option<&str>,
        user: Option<SignUpUser>,
        options: &LoginOptions,
    ) -> Result<LinkRequest> {
        check(options, None)?;
        let user = SignUpUser {
            email: Some(email.to_owned()),
            ..user.unwrap_or_default()
        };
        self.start("signup", email, uri, Some(user), options, None)
            .await
    }

    /// Signs the user in, or up when the email is new.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let request = client.enchanted_link().sign_up_or_in("ada@example.com", None).await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_up_or_in(&self, email: &str, uri: Option<&str>) -> Result<LinkRequest> {
        self.sign_up_or_in_with_options(email, uri, &LoginOptions::default())
            .await
    }

    /// [`EnchantedLink::sign_up_or_in`] with [`LoginOptions`] (custom claims, revoking the
    /// user's other sessions).
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client) -> beckon::Result<()> {
    /// let options = beckon::LoginOptions { revoke_other_sessions: true, ..Default::default() };
    /// client
    ///     .enchanted_link()
    ///     .sign_up_or_in_with_options("ada@example.com", None, &options)
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn sign_up_or_in_with_options(
        &self,
        email: &str,
        uri: Option<&str>,
        options: &LoginOptions,
    ) -> Result<LinkRequest> {
        check(options, None)?;
        self.start("signup-in", email, uri, None, options, None)
            .await
    }

    async fn start(
        &self,
        action: &str,
        email: &str,
        uri: Option<&str>,
        user: Option<SignUpUser>,
        login_options: &LoginOptions,
        refresh_jwt: Option<&Secret>,
    ) -> Result<LinkRequest> {
        let body = SignInRequest {
            login_id: Some(required(email, "an email address")?.to_owned()),
            redirect: Redirect::to(uri),
            user,
            login_options: Some(login_options.clone()),
            ..SignInRequest::default()
        };
        self.client
            .post(
                &format!("/v1/auth/enchantedlink/{action}/email"),
                &body,
                refresh_jwt,
            )
            .await
    }

    /// Starts a change of the signed-in user's email address: three numbered links go to
    /// `new_email`; once the right one is confirmed, [`EnchantedLink::wait_for_session`] on
    /// the answer's `pending_ref` returns a session whose user has the new address.
    /// `login_id` is one of the user's login IDs; `refresh_jwt` is their session's.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, refresh: beckon::Secret) -> beckon::Result<()> {
    /// let options = beckon::UpdateOptions::default().add_to_login_ids(true);
    /// let request = client
    ///     .enchanted_link()
    ///     .update_email("ada@example.com", "ada@work.example", None, &refresh, &options)
    ///     .await?;
    /// println!("tap {} in the email to {}", request.link_id, request.masked.masked_email);
    /// # Ok(()) }
    /// ```
    pub async fn update_email(
        &self,
        login_id: &str,
        new_email: &str,
        uri: Option<&str>,
        refresh_jwt: &Secret,
        options: &UpdateOptions,
    ) -> Result<LinkRequest> {
        let body = beckon_proto::UpdateRequest {
            email: Some(required(new_email, "the new email address")?.to_owned()),
            ..options.request(login_id, uri)?
        };
        self.client
            .post(
                "/v1/auth/enchantedlink/update/email",
                &body,
                Some(refresh_jwt),
            )
            .await
    }

    /// Confirms a link: what the page behind the link calls with the `t` query parameter.
    /// Use it when the links point at your own page (`uri`); the default links point at the
    /// server's confirm page, which does this itself.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, token_from_query: &str) -> beckon::Result<()> {
    /// client.enchanted_link().verify(token_from_query).await?;
    /// # Ok(()) }
    /// ```
    pub async fn verify(&self, token: &str) -> Result<()> {
        let _: serde_json::Value = self
            .client
            .post(
                "/v1/auth/enchantedlink/verify",
                &TokenRequest {
                    token: Some(Secret::new(token)),
                    code_verifier: None,
                },
                None,
            )
            .await?;
        Ok(())
    }

    /// Confirms a sign-in request by the code its email carries, typed on this device when no
    /// link works (beckon-server only, `docs/wire.md` §4.9): then [`get_session`] and
    /// [`wait_for_session`] get the session as after a tap. Case, spaces and dashes do not
    /// matter. A wrong code is [`Error::WrongCode`] with the tries left; the fifth ends the
    /// request ([`Error::Expired`]).
    ///
    /// [`get_session`]: Self::get_session
    /// [`wait_for_session`]: Self::wait_for_session
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, request: beckon::LinkRequest) -> beckon::Result<()> {
    /// client.enchanted_link().confirm_with_code(&request.pending_ref, "7K2M-9QXZ").await?;
    /// # Ok(()) }
    /// ```
    pub async fn confirm_with_code(&self, pending_ref: &Secret, code: &str) -> Result<()> {
        let _: serde_json::Value = self
            .client
            .post(
                "/v1/auth/enchantedlink/code",
                &CodeRequest {
                    pending_ref: Some(pending_ref.clone()),
                    code: Some(Secret::new(code)),
                },
                None,
            )
            .await?;
        Ok(())
    }

    /// Polls once: [`SessionPoll::Pending`] until the right link is confirmed, then the session,
    /// which the server hands out only once.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, request: beckon::LinkRequest) -> beckon::Result<()> {
    /// match client.enchanted_link().get_session(&request.pending_ref).await? {
    ///     beckon::SessionPoll::Pending => println!("not yet"),
    ///     beckon::SessionPoll::Ready(session) => println!("{:?}", session.user),
    ///     _ => {}
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get_session(&self, pending_ref: &Secret) -> Result<SessionPoll> {
        let body = PendingSessionRequest {
            pending_ref: Some(pending_ref.clone()),
        };
        match self
            .client
            .post::<AuthResponse>("/v1/auth/enchantedlink/pending-session", &body, None)
            .await
        {
            Ok(session) => Ok(SessionPoll::Ready(Box::new(session))),
            Err(Error::Pending) => Ok(SessionPoll::Pending),
            Err(e) => Err(e),
        }
    }

    /// One poll asking to be held up to `wait`: the answer, and whether the server held it
    /// (it said `Preference-Applied`).
    async fn get_session_held(
        &self,
        pending_ref: &Secret,
        wait: Duration,
    ) -> (Result<SessionPoll>, bool) {
        let body = PendingSessionRequest {
            pending_ref: Some(pending_ref.clone()),
        };
        let (answer, applied) = self
            .client
            .post_held::<AuthResponse>("/v1/auth/enchantedlink/pending-session", &body, wait)
            .await;
        let poll = match answer {
            Ok(session) => Ok(SessionPoll::Ready(Box::new(session))),
            Err(Error::Pending) => Ok(SessionPoll::Pending),
            Err(e) => Err(e),
        };
        (poll, applied.is_some())
    }

    /// Waits until the link is confirmed, the deadline passes, or `options.cancel` fires.
    ///
    /// Each poll asks the server to hold it (`options.hold`); a beckon-server answers the
    /// moment the link is confirmed or declined, and the next poll goes out at once. A server
    /// that does not say it held is polled every `options.interval`. Never more than one
    /// request per `interval` (at least a second), one at a time; network and server errors
    /// back off up to 15 s between attempts (a random [`crate::Backoff`], so that clients cut
    /// off together come back apart), and the first request after one is a plain poll,
    /// so a server that is back answers at once; a `429` waits for its `Retry-After`.
    /// Cancelling drops the request under way.
    ///
    /// ```no_run
    /// # async fn demo(client: beckon::Client, request: beckon::LinkRequest) -> beckon::Result<()> {
    /// let options = beckon::WaitOptions::default();
    /// let cancel = options.cancel.clone(); // call cancel.cancel() to stop waiting
    /// let session = client.enchanted_link().wait_for_session(&request.pending_ref, &options).await?;
    /// # Ok(()) }
    /// ```
    pub async fn wait_for_session(
        &self,
        pending_ref: &Secret,
        options: &WaitOptions,
    ) -> Result<AuthResponse> {
        let interval = options.interval.max(MIN_INTERVAL);
        let deadline = Instant::now() + options.timeout;
        let emit = |event| {
            if let Some(on_event) = &options.on_event {
                on_event(event);
            }
        };
        let mut backoff = crate::Backoff::new(interval * 2, MAX_BACKOFF);
        let mut after_error = false;
        loop {
            let sent = Instant::now();
            // Held no longer than the deadline allows, and whole seconds only.
            let hold = options
                .hold
                .filter(|_| !after_error)
                .map(|hold| hold.min(deadline.saturating_duration_since(sent)))
                .filter(|hold| hold.as_secs() >= 1);
            let asked = async {
                match hold {
                    Some(hold) => self.get_session_held(pending_ref, hold).await,
                    None => (self.get_session(pending_ref).await, false),
                }
            };
            let (poll, held) = tokio::select! {
                _ = options.cancel.cancelled() => return Err(Error::Cancelled),
                answered = asked => answered,
            };
            let wait = match poll {
                Ok(SessionPoll::Ready(session)) => return Ok(*session),
                Ok(SessionPoll::Pending) => {
                    backoff.reset();
                    after_error = false;
                    emit(WaitEvent::Pending);
                    // A held answer: ask again at once (but not sooner than `interval` after
                    // the last request, should the server have answered early).
                    if held {
                        Duration::ZERO
                    } else {
                        interval
                    }
                }
                Err(Error::RateLimited { retry_after }) => {
                    let retry_in = retry_after
                        .unwrap_or_else(|| backoff.next_delay())
                        .max(interval);
                    emit(WaitEvent::RateLimited { retry_in });
                    retry_in
                }
                Err(e) if e.is_transient() => {
                    let retry_in = backoff.next_delay();
                    after_error = true;
                    emit(WaitEvent::Reconnecting { retry_in });
                    retry_in
                }
                Err(e) => return Err(e),
            };
            let wake = (Instant::now() + wait).max(sent + interval);
            // No request after the deadline, and none sooner than `interval` after the last.
            let timed_out = wake >= deadline;
            tokio::select! {
                _ = options.cancel.cancelled() => return Err(Error::Cancelled),
                _ = tokio::time::sleep_until(wake.min(deadline)) => {}
            }
            if timed_out {
                return Err(Error::Timeout);
            }
        }
    }
}
