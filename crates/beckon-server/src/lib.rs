//! beckon-server: a self-hosted server that speaks Descope's auth REST API, so the Beckon
//! desktop app and Descope's own SDKs work against it unchanged.
//!
//! [`start`] boots the whole server on a socket; [`app`] builds the router alone.
//!
//! The layers, each depending only on those below it (CONTRIBUTING.md draws them; a test
//! fails on an import that goes up):
//! - `http`: routes, wire bodies (`beckon_proto`), statuses, pages;
//! - `signin` (start, confirm, collect), `sessions`: the flows, in domain terms;
//! - `admin`: what an operator does to users and keys (the management API and the CLI);
//! - `limits`, `redirects`, `keys`, `delivery` (`mail`, `smtp`, `sms`), `audit`, `places`,
//!   `languages`:
//!   what the flows use;
//! - `store`: the database, one file per table;
//! - `domain`: the nouns, the refusals and the address rules;
//! - `support`: what every layer uses (`clock`, `secrets`, `metrics`) and the hooks tests
//!   reach in by (`faults`, `checkpoints`).
//!
//! This file only wires them together, with `config` (the settings) and `serve` (the accept
//! loop).

pub mod admin;
pub mod audit;
pub mod cli;
pub mod config;
pub mod delivery;
pub mod domain;
mod http;
pub mod keys;
pub mod languages;
pub mod limits;
pub mod places;
pub mod redirects;
mod serve;
mod sessions;
mod signin;
mod state;
pub mod store;
pub mod support;
pub mod waits;

pub use state::{AppState, AppStateInner};

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::delivery::Transports;
use crate::keys::KeyRing;
use crate::redirects::ApprovedRedirects;
use crate::store::Store;
use crate::support::clock::Clock;
use crate::support::{metrics, secrets};

const PROJECT_ID_SETTING: &str = "project_id";

/// The router, for tests that call it without a socket.
pub fn app(state: AppState) -> axum::Router {
    http::router(state)
}

/// A server running on a socket.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where `GET /metrics` is served, when `metrics_listen` is set.
    pub metrics_addr: Option<SocketAddr>,
    /// Its state, for tests that look inside.
    pub state: AppState,
    shutdown: CancellationToken,
    task: JoinHandle<std::io::Result<()>>,
    background: Vec<JoinHandle<()>>,
}

impl Running {
    /// The base URL clients use.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, lets in-flight requests finish, and waits.
    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        self.task.await??;
        for task in self.background {
            task.await?;
        }
        Ok(())
    }

    /// Runs until the process is asked to stop (Ctrl-C or SIGTERM).
    pub async fn wait_for_signal(self) -> anyhow::Result<()> {
        shutdown_signal().await;
        tracing::info!("shutting down");
        self.stop().await
    }
}

/// Opens the database, loads or creates the project ID and signing key, binds the socket and
/// serves.
pub async fn start(config: &Config, clock: Arc<dyn Clock>) -> anyhow::Result<Running> {
    config.check_serving()?;
    let store = Store::connect(&config.database_url()?).await?;
    let project_id = project_id(&store, config.project_id.as_deref()).await?;
    let keys = Arc::new(KeyRing::load_or_create(&store, clock.now(), config.refresh_ttl).await?);
    let listener = TcpListener::bind(config.listen).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {}: {e}; is another beckon-server running? Pass --listen with another port",
            config.listen
        )
    })?;
    let addr = listener.local_addr()?;
    let public_url = match &config.public_url {
        Some(url) => url.clone(),
        None => url::Url::parse(&format!("http://{addr}"))?,
    };
    let redirects = ApprovedRedirects::new(
        config.approved_domains.clone(),
        config.approved_schemes.clone(),
        &public_url,
    );
    let transports = transports(config).await?;
    let places = match &config.geoip_database {
        Some(path) => places::Places::open(path)?,
        None => places::Places::none(),
    };
    let languages =
        languages::Languages::load(&config.default_locale, config.messages_dir.as_deref())?;
    if let Some(addr) = config.metrics_listen.filter(|a| !a.ip().is_loopback()) {
        tracing::warn!(
            %addr,
            "metrics_listen (--metrics-listen, BECKON_METRICS_LISTEN) is not a loopback \
             address: whoever reaches it sees when people sign in and how the server is \
             doing. Keep it on 127.0.0.1, or behind a firewall that only lets your scraper in"
        );
    }
    let metrics_listener = match config.metrics_listen {
        Some(addr) => Some(TcpListener::bind(addr).await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {addr} for metrics_listen: {e}; choose another port")
        })?),
        None => None,
    };
    let shutdown = CancellationToken::new();
    // Held waits are connections kept busy: some connections are always left for everything
    // else, so that a flood of held polls from many addresses never leaves no room.
    let max_connections = serve::connection_cap(config.serving.max_connections);
    let serving = config::Serving {
        max_connections: Some(max_connections),
        ..config.serving.clone()
    };
    let state = AppState::new(state::AppStateInner {
        metrics: metrics::Metrics::new()?,
        audit_retention_days: config.audit_retention_days,
        management_refusals: Arc::new(limits::Strikes::new(
            config.limits.management_refusals_per_ip,
        )),
        waits: waits::Waits::new(
            shutdown.clone(),
            waits::Caps {
                total: config
                    .max_held_waits
                    .min(waits::most_held_on(max_connections)),
                per_address: config.max_held_waits_per_ip,
            },
        ),
        max_wait: std::time::Duration::from_secs(config.max_wait.into()),
        checkpoints: Default::default(),
        transports,
        dev: config.dev,
        merge_users: config.merge_users_on_update,
        end_on_wrong_pick: config.end_on_wrong_pick,
        sign_in_notices: config.sign_in_notices,
        wake: Arc::new(tokio::sync::Notify::new()),
        app_name: config.app_name.as_str().into(),
        store,
        limits: config.limits.clone(),
        redirects,
        client_ip_header: config.client_ip_header.clone(),
        places,
        languages: Arc::new(languages),
        pause_after_decline: config.pause_after_decline,
        keys,
        project_id: project_id.into(),
        public_url,
        link_ttl: config.link_ttl,
        session_ttl: config.session_ttl,
        refresh_ttl: config.refresh_ttl,
        session_lifetime: config.session_lifetime,
        clock,
    });
    let router = app(state.clone());
    let task = {
        let (metrics, shutdown) = (state.metrics.clone(), shutdown.clone());
        tokio::spawn(async move {
            serve::serve(listener, router, shutdown, &serving, Some(metrics)).await
        })
    };
    let mut metrics_addr = None;
    let mut background = Vec::new();
    if let Some(listener) = metrics_listener {
        metrics_addr = Some(listener.local_addr()?);
        let router = http::metrics_router(state.clone());
        let stop = shutdown.clone();
        background.push(tokio::spawn(async move {
            let serving = serve::metrics_serving();
            if let Err(error) = serve::serve(listener, router, stop, &serving, None).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        }));
    }
    background.extend([
        tokio::spawn(clean_up(state.clone(), shutdown.clone())),
        tokio::spawn(keep_keys(
            state.clone(),
            config.key_rotation_days,
            shutdown.clone(),
        )),
    ]);
    if state.store.backend() == store::Backend::Postgres {
        background.push(tokio::spawn(waits::listen(
            waits_url(&config.database_url()?),
            state.waits.clone(),
            shutdown.clone(),
        )));
    }
    if !state.dev {
        background.push(tokio::spawn(delivery::run(
            state.store.clone(),
            state.clock.clone(),
            state.transports.clone(),
            state.wake.clone(),
            state.metrics.clone(),
            shutdown.clone(),
        )));
    }
    Ok(Running {
        addr,
        metrics_addr,
        state,
        shutdown,
        task,
        background,
    })
}

/// The database URL the waits' listener connects with: named, so an operator (or a test)
/// can find its connection among the server's.
fn waits_url(url: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}application_name={WAITS_APPLICATION_NAME}")
}

/// The `application_name` of the connection that listens for other servers' confirmations.
pub const WAITS_APPLICATION_NAME: &str = "beckon-server-waits";

/// The configured transports. An SMTP server that cannot be reached now is only a warning:
/// messages wait in the outbox until it can.
async fn transports(config: &Config) -> anyhow::Result<Transports> {
    let email = match &config.smtp {
        Some(settings) => {
            let transport = delivery::smtp::SmtpTransport::new(settings.clone())?;
            match tokio::time::timeout(std::time::Duration::from_secs(10), transport.check()).await
            {
                Ok(Ok(())) => tracing::info!(server = %settings.describe(), "SMTP server answers"),
                Ok(Err(hint)) => {
                    tracing::warn!(%hint, "email waits in the outbox until the SMTP server can be reached")
                }
                Err(_) => {
                    tracing::warn!(server = %settings.describe(), "the SMTP server did not answer within 10 s; email waits in the outbox until it does")
                }
            }
            Some(Arc::new(transport) as Arc<dyn delivery::Transport>)
        }
        None => None,
    };
    let sms = match &config.sms {
        Some(settings) => Some(
            Arc::new(delivery::sms::SmsTransport::new(settings.clone())?)
                as Arc<dyn delivery::Transport>,
        ),
        None => None,
    };
    Ok(Transports { email, sms })
}

/// How often the signing keys are read again (another process may have rotated them).
const KEYS_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Keeps the signing keys current: reads them again every few seconds, and rotates when the
/// signing key is `rotation_days` old (0: never). Of replicas that find it due at once, one
/// rotates: a key made after the threshold, by any of them, stops the others.
async fn keep_keys(state: AppState, rotation_days: u32, shutdown: CancellationToken) {
    // The keys were just read at start: the first look is one interval on.
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + KEYS_EVERY, KEYS_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = every.tick() => {}
        }
        let now = state.clock.now();
        let due =
            rotation_days > 0 && state.keys.signer_age(now) >= i64::from(rotation_days) * 86_400;
        if due {
            let threshold = now - i64::from(rotation_days) * 86_400;
            match KeyRing::rotate_unless_newer_than(&state.store, now, threshold).await {
                Ok(Some(kid)) => {
                    tracing::info!(%kid, "rotated the signing key");
                    state.metrics.key_rotated();
                    let event = audit::Event::new(audit::Action::KeyRotated, audit::Via::Server)
                        .detail("kid", kid.as_str());
                    audit::record(&state.store, now, event).await;
                }
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "could not rotate the signing key"),
            }
        }
        if let Err(error) = state.keys.reload(&state.store).await {
            tracing::warn!(%error, "could not read the signing keys");
        }
    }
}

/// How often expired rows are deleted.
const CLEAN_UP_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Deletes expired rows every minute until shutdown. A failure is logged and tried again
/// next time: nothing depends on the rows being gone.
async fn clean_up(state: AppState, shutdown: CancellationToken) {
    let mut every = tokio::time::interval(CLEAN_UP_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = every.tick() => {}
        }
        let now = state.clock.now();
        note_expired(&state, now).await;
        let audit_before = now - i64::from(state.audit_retention_days) * 86_400;
        match state
            .store
            .delete_expired(now, state.keys.retired_before(now), audit_before)
            .await
        {
            Ok(0) => {}
            Ok(rows) => tracing::debug!(rows, "deleted expired rows"),
            Err(error) => tracing::warn!(%error, "could not delete expired rows"),
        }
    }
}

/// Counts and records each request that expired unconfirmed (once, whichever replica sees
/// it first).
async fn note_expired(state: &AppState, now: i64) {
    match state.store.note_expired(now).await {
        Ok(expired) => {
            for (login_id, kind, user_id) in expired {
                state.metrics.sign_in(metrics::Stage::Expired, &kind);
                let via = if kind == "magic" {
                    audit::Via::MagicLink
                } else {
                    audit::Via::EnchantedLink
                };
                let event = audit::Event::new(audit::Action::SignInExpired, via)
                    .user(user_id.as_deref())
                    .login_id(&login_id);
                audit::record(&state.store, now, event).await;
            }
        }
        Err(error) => tracing::warn!(%error, "could not look for expired sign-ins"),
    }
}

async fn project_id(store: &Store, configured: Option<&str>) -> anyhow::Result<String> {
    if let Some(id) = configured {
        config::check_project_id(id)?;
        return Ok(id.to_owned());
    }
    if let Some(id) = store.setting(PROJECT_ID_SETTING).await? {
        return Ok(id);
    }
    let generated = format!("P{}", secrets::random_alphanumeric(27));
    store
        .insert_setting_if_absent(PROJECT_ID_SETTING, &generated)
        .await?;
    Ok(store
        .setting(PROJECT_ID_SETTING)
        .await?
        .unwrap_or(generated))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
