//! What the server counts, for Prometheus: every series is declared here, once, with its help
//! text; `GET /metrics` on `metrics_listen` serves them (docs/operations.md: Operations).
//!
//! Counters and the held-waits gauge are this replica's own (`scope="replica"` where it could
//! be read otherwise): sum them across replicas. The outbox figures are read from the shared
//! database at scrape time and carry `scope="database"`: every replica reports the same
//! number, so take one (`max`), never the sum.
//!
//! Each server has its own registry (no global recorder), so servers in one test process
//! count apart.

use prometheus::{
    Encoder, Gauge, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
    Registry, TextEncoder,
};

/// The latency buckets of answered requests, in seconds.
const REQUEST_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The buckets of held pending-session waits, in seconds: up to the 25 s cap.
const HELD_BUCKETS: &[f64] = &[0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 15.0, 20.0, 25.0, 30.0];

/// Where a sign-in request got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Started,
    /// Its confirm page was opened (the first GET of any of its links; mail scanners that
    /// open links count too).
    Viewed,
    Confirmed,
    Declined,
    Expired,
    Collected,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Started => "started",
            Stage::Viewed => "viewed",
            Stage::Confirmed => "confirmed",
            Stage::Declined => "declined",
            Stage::Expired => "expired",
            Stage::Collected => "collected",
        }
    }
}

/// What happened to a mailbox's pause after a "No".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// A "No" paused sign-in messages to a mailbox.
    Started,
    /// A start was refused while its mailbox was paused.
    StartRefused,
    /// The owner lifted it from the pause email ("It was me"). (An operator's
    /// `beckon-server users unpause` runs in its own process: the audit trail has it.)
    LiftedByOwner,
}

impl Pause {
    pub fn as_str(self) -> &'static str {
        match self {
            Pause::Started => "started",
            Pause::StartRefused => "start_refused",
            Pause::LiftedByOwner => "lifted_by_owner",
        }
    }
}

/// What became of one delivery attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Sent,
    Retried,
    GaveUp,
}

/// What happened to a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEvent {
    Refreshed,
    Logout,
    LogoutAll,
    ReuseDetected,
    /// Signed out by its owner from the "New sign-in" notice ("This wasn't me").
    EndedFromNotice,
}

/// The server's series.
#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    held_seconds: HistogramVec,
    held_now: IntGauge,
    polls: IntCounterVec,
    sign_ins: IntCounterVec,
    deliveries: IntCounterVec,
    rate_limited: IntCounterVec,
    pauses: IntCounterVec,
    wrong_picks: IntCounterVec,
    sessions: IntCounterVec,
    key_rotations: IntCounter,
    outbox_unsent: IntGauge,
    outbox_oldest: Gauge,
    connections_open: IntGauge,
    connections_shed: IntCounterVec,
    requests_shed: IntCounter,
    management_key_refusals: IntCounter,
}

/// What the server did with a connection past `max_connections`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shed {
    /// Closed the oldest connection with no request under way, for the new one.
    ClosedIdle,
    /// Closed the new one: every open connection had a request under way.
    Refused,
}

impl Metrics {
    /// Every series, registered once; an error only if a declaration here is malformed.
    pub fn new() -> prometheus::Result<Self> {
        let registry = Registry::new();
        fn register<T: prometheus::core::Collector + Clone + 'static>(
            r: &Registry,
            c: prometheus::Result<T>,
        ) -> prometheus::Result<T> {
            let c = c?;
            r.register(Box::new(c.clone()))?;
            Ok(c)
        }
        let counter = |name: &str, help: &str, labels: &[&str]| {
            register(&registry, IntCounterVec::new(Opts::new(name, help), labels))
        };
        let histogram = |name: &str, help: &str, labels: &[&str], buckets: &[f64]| {
            register(
                &registry,
                HistogramVec::new(
                    HistogramOpts::new(name, help).buckets(buckets.to_vec()),
                    labels,
                ),
            )
        };
        Ok(Self {
            requests: counter(
                "beckon_http_requests_total",
                "HTTP requests answered, by route (its pattern) and status.",
                &["route", "method", "status"],
            )?,
            request_seconds: histogram(
                "beckon_http_request_duration_seconds",
                "Time to answer a request, by route; held pending-session waits are not in it.",
                &["route"],
                REQUEST_BUCKETS,
            )?,
            held_seconds: histogram(
                "beckon_held_wait_duration_seconds",
                "How long a pending-session request asking Prefer: wait was held, by how it ended.",
                &["status"],
                HELD_BUCKETS,
            )?,
            held_now: register(
                &registry,
                IntGauge::with_opts(
                    Opts::new(
                        "beckon_held_waits",
                        "Pending-session requests held on this replica now.",
                    )
                    .const_label("scope", "replica"),
                ),
            )?,
            polls: counter(
                "beckon_pending_session_polls_total",
                "Pending-session requests, by whether they asked to be held.",
                &["held"],
            )?,
            sign_ins: counter(
                "beckon_sign_ins_total",
                "Sign-in and update requests reaching each stage, by link kind.",
                &["stage", "kind"],
            )?,
            deliveries: counter(
                "beckon_deliveries_total",
                "Delivery attempts of queued messages, by transport and result.",
                &["transport", "result"],
            )?,
            rate_limited: counter(
                "beckon_rate_limit_refusals_total",
                "Requests refused with 429, by the rule (its setting name without limit_).",
                &["rule"],
            )?,
            sessions: counter(
                "beckon_session_events_total",
                "Refreshes, sign-outs and detected refresh-token reuse.",
                &["event"],
            )?,
            key_rotations: register(
                &registry,
                IntCounter::new(
                    "beckon_key_rotations_total",
                    "Signing keys this replica rotated in (by key_rotation_days).",
                ),
            )?,
            outbox_unsent: register(
                &registry,
                IntGauge::with_opts(
                    Opts::new(
                        "beckon_outbox_unsent_messages",
                        "Messages queued and not yet sent or given up, in the shared database.",
                    )
                    .const_label("scope", "database"),
                ),
            )?,
            outbox_oldest: register(
                &registry,
                Gauge::with_opts(
                    Opts::new(
                        "beckon_outbox_oldest_unsent_age_seconds",
                        "Age of the oldest unsent message in the shared database (0: none).",
                    )
                    .const_label("scope", "database"),
                ),
            )?,
            connections_open: register(
                &registry,
                IntGauge::new(
                    "beckon_connections_open",
                    "Client connections open on this replica now (max_connections caps them).",
                ),
            )?,
            connections_shed: counter(
                "beckon_connections_shed_total",
                "Connections closed at max_connections: the oldest idle one (closed_idle), or \
                 the new one when every connection was busy (refused).",
                &["action"],
            )?,
            requests_shed: register(
                &registry,
                IntCounter::new(
                    "beckon_requests_shed_total",
                    "Requests answered at once at max_requests_in_flight, unserved.",
                ),
            )?,
            pauses: counter(
                "beckon_mailbox_pauses_total",
                "Pauses of sign-in messages to a mailbox after a \"No, this wasn't me\": started, \
                 starts refused during one, lifted by the owner.",
                &["event"],
            )?,
            wrong_picks: counter(
                "beckon_wrong_picks_total",
                "Links tapped whose number was not the one the device showed: the request kept \
                 (its links still valid) or ended (end_on_wrong_pick).",
                &["outcome"],
            )?,
            management_key_refusals: register(
                &registry,
                IntCounter::new(
                    "beckon_management_key_refusals_total",
                    "Management calls refused for their key (missing, wrong, revoked, a user's).",
                ),
            )?,
            registry,
        })
    }

    /// Something happened to a mailbox's pause.
    pub fn pause(&self, event: Pause) {
        self.pauses.with_label_values(&[event.as_str()]).inc();
    }

    /// A link whose number was not the device's was tapped; `ended`: that ended its request.
    pub fn wrong_pick(&self, ended: bool) {
        let outcome = if ended { "ended" } else { "kept" };
        self.wrong_picks.with_label_values(&[outcome]).inc();
    }

    /// A management call refused for its key.
    pub fn management_key_refused(&self) {
        self.management_key_refusals.inc();
    }

    /// A connection opened (`+1`) or closed (`-1`).
    pub fn connections_open(&self, change: i64) {
        self.connections_open.add(change);
    }

    /// A connection closed at `max_connections`.
    pub fn connection_shed(&self, shed: Shed) {
        let action = match shed {
            Shed::ClosedIdle => "closed_idle",
            Shed::Refused => "refused",
        };
        self.connections_shed.with_label_values(&[action]).inc();
    }

    /// A request answered at once at `max_requests_in_flight`.
    pub fn request_shed(&self) {
        self.requests_shed.inc();
    }

    /// One answered request, outside a held wait.
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.request_seconds
            .with_label_values(&[route])
            .observe(seconds);
    }

    /// One answered request that asked to be held (it counts as a request too).
    pub fn held(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[route, method, &status.to_string()])
            .inc();
        self.held_seconds
            .with_label_values(&[&status.to_string()])
            .observe(seconds);
    }

    pub fn poll(&self, held: bool) {
        self.polls
            .with_label_values(&[if held { "yes" } else { "no" }])
            .inc();
    }

    /// A sign-in request of `kind` (`enchanted`, `magic`) reached `stage`.
    pub fn sign_in(&self, stage: Stage, kind: &str) {
        self.sign_ins
            .with_label_values(&[stage.as_str(), kind])
            .inc();
    }

    pub fn delivery(&self, transport: &str, result: Delivery) {
        let result = match result {
            Delivery::Sent => "sent",
            Delivery::Retried => "retried",
            Delivery::GaveUp => "given_up",
        };
        self.deliveries
            .with_label_values(&[transport, result])
            .inc();
    }

    pub fn rate_limited(&self, rule: &str) {
        self.rate_limited.with_label_values(&[rule]).inc();
    }

    pub fn session(&self, event: SessionEvent) {
        let event = match event {
            SessionEvent::Refreshed => "refreshed",
            SessionEvent::Logout => "logout",
            SessionEvent::LogoutAll => "logout_all",
            SessionEvent::ReuseDetected => "reuse_detected",
            SessionEvent::EndedFromNotice => "ended_from_notice",
        };
        self.sessions.with_label_values(&[event]).inc();
    }

    pub fn key_rotated(&self) {
        self.key_rotations.inc();
    }

    /// The text exposition, with the figures read at scrape time set first.
    pub fn render(
        &self,
        held_now: usize,
        unsent: i64,
        oldest_age_seconds: i64,
    ) -> prometheus::Result<String> {
        self.held_now
            .set(i64::try_from(held_now).unwrap_or(i64::MAX));
        self.outbox_unsent.set(unsent);
        // Whole seconds: the age is computed from the server's clock, in seconds.
        #[allow(clippy::cast_precision_loss)]
        self.outbox_oldest.set(oldest_age_seconds.max(0) as f64);
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out)?;
        Ok(String::from_utf8_lossy(&out).into_owned())
    }
}

/// The content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn every_series_is_in_the_output_with_its_help() {
        let m = Metrics::new().unwrap();
        m.request("/healthz", "GET", 200, 0.001);
        m.sign_in(Stage::Started, "enchanted");
        let text = m.render(2, 3, 40).unwrap();
        for name in [
            "beckon_http_requests_total",
            "beckon_sign_ins_total",
            "beckon_held_waits",
            "beckon_outbox_unsent_messages",
            "beckon_outbox_oldest_unsent_age_seconds",
            "beckon_key_rotations_total",
        ] {
            assert!(text.contains(&format!("# HELP {name} ")), "{name}: {text}");
        }
        assert!(text.contains("beckon_held_waits{scope=\"replica\"} 2"));
        assert!(text.contains("beckon_outbox_unsent_messages{scope=\"database\"} 3"));
        assert!(text.contains("beckon_sign_ins_total{kind=\"enchanted\",stage=\"started\"} 1"));
    }
}
