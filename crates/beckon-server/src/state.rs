//! [`AppState`]: what every request and background task works with.

use std::sync::Arc;

use crate::delivery::Transports;
use crate::domain::{Refusal, Result};
use crate::keys::KeyRing;
use crate::limits::{self, Action, Key, RuleSet};
use crate::redirects::ApprovedRedirects;
use crate::store::Store;
use crate::support::checkpoints::Checkpoints;
use crate::support::clock::Clock;
use crate::waits::Waits;

/// Everything a request handler needs, behind one `Arc`: axum clones the state for every
/// extractor and middleware that takes it, and a clone of the settings themselves (URLs, the
/// redirect list, the limits) would allocate on every request and stay in every future that
/// holds one, a held wait's among them, for as long as it waits.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl AppState {
    /// The state shared by every request from now on.
    pub fn new(inner: AppStateInner) -> Self {
        Self(Arc::new(inner))
    }
}

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

/// What an [`AppState`] holds.
pub struct AppStateInner {
    pub store: Store,
    pub keys: Arc<KeyRing>,
    pub project_id: Arc<str>,
    pub public_url: url::Url,
    pub link_ttl: u32,
    pub session_ttl: u32,
    pub refresh_ttl: u32,
    /// A session's absolute lifetime, which refreshes cannot extend.
    pub session_lifetime: u32,
    pub clock: Arc<dyn Clock>,
    /// How messages leave.
    pub transports: Transports,
    /// Development mode: messages are kept for `/dev/outbox`, nothing is sent.
    pub dev: bool,
    /// An update may merge another user into the one updating (`merge_users_on_update`).
    pub merge_users: bool,
    /// A wrong pick ends its request (`end_on_wrong_pick`); off, its links stay valid.
    pub end_on_wrong_pick: bool,
    /// Returning users are told of each new sign-in (`sign_in_notices`).
    pub sign_in_notices: bool,
    /// Tells the delivery worker a message was queued.
    pub wake: Arc<tokio::sync::Notify>,
    /// The app's name in messages and on the confirm page.
    pub app_name: Arc<str>,
    pub limits: RuleSet,
    pub redirects: ApprovedRedirects,
    /// Seconds new sign-in messages to an address pause after a "No" (0: never).
    pub pause_after_decline: u32,
    /// Where a request's address is (`geoip_database`).
    pub places: crate::places::Places,
    /// The words of every language messages and pages are written in.
    pub languages: Arc<crate::languages::Languages>,
    /// The header a trusted proxy puts the client's address in, if any.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// The pending-session polls held for a change (`Prefer: wait`).
    pub waits: Waits,
    /// The longest a poll is held (`max_wait`); zero: never.
    pub max_wait: std::time::Duration,
    /// Points where an in-process test can step in.
    pub checkpoints: Checkpoints,
    /// What `GET /metrics` reports.
    pub metrics: crate::support::metrics::Metrics,
    /// Days an audit event is kept.
    pub audit_retention_days: u32,
    /// Management calls refused for their key, per client network (in memory).
    pub management_refusals: Arc<limits::Strikes>,
}

impl AppState {
    /// Counts one hit against the server's rate limits (and a refusal in the metrics).
    pub async fn hit(&self, action: Action, key: Key<'_>) -> Result<()> {
        let counted = limits::hit(&self.store, &self.limits, self.clock.now(), action, key).await;
        if matches!(&counted, Err(e) if matches!(e.refusal(), Some(Refusal::RateLimited(_)))) {
            self.metrics.rate_limited(limits::rule_name(action, key));
        }
        counted
    }

    /// The server's own confirm page, where links point when the request names no `URI`.
    pub fn confirm_url(&self) -> url::Url {
        let mut url = self.public_url.clone();
        let path = format!("{}/confirm", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url
    }
}
