//! The sign-in flow (no window) against a real beckon-server on a loopback port, one file per
//! feature as in `src/flow/`; this file holds what they share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod change_email;
mod magic;
mod session;
mod sign_in;
#[cfg(windows)]
mod windows;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use beckon_session::config::ServerConfig;
use beckon_session::flow::{Flow, FlowState, FlowTiming, StateSink};
use beckon_session::vault::MemoryVault;
use beckon_server::config::Config;
use beckon_server::support::clock::SystemClock;
use beckon_server::Running;

#[derive(Default)]
pub struct Recorder(Mutex<Vec<FlowState>>);

impl StateSink for Recorder {
    fn publish(&self, state: &FlowState) {
        self.0.lock().unwrap().push(state.clone());
    }
}

impl Recorder {
    pub fn screens(&self) -> Vec<&'static str> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|s| match s {
                FlowState::Restoring { .. } => "restoring",
                FlowState::EnterEmail { .. } => "enterEmail",
                FlowState::Sending { .. } => "sending",
                FlowState::Waiting { .. } => "waiting",
                FlowState::MagicSent { .. } => "magicSent",
                FlowState::SignedIn { .. } => "signedIn",
                FlowState::Failed { .. } => "failed",
            })
            .collect()
    }
}

pub async fn server() -> Running {
    beckon_server::start(&Config::for_tests(), Arc::new(SystemClock))
        .await
        .unwrap()
}

/// Descope's cloud as far as proof keys go: it ignores a `codeVerifier` (docs/wire.md §3.6).
/// A loopback stand-in that passes every request to `server` and drops `codeVerifier` from
/// magic-link verifications; its base URL. It stops with the test's runtime.
pub async fn proof_ignoring(server: &Running) -> String {
    use axum::body::{to_bytes, Body};
    use axum::extract::Request;
    use axum::response::Response;
    let upstream = server.base_url();
    let http = reqwest::Client::new();
    let pass = move |request: Request| {
        let (upstream, http) = (upstream.clone(), http.clone());
        async move {
            let (parts, body) = request.into_parts();
            let mut body = to_bytes(body, 1 << 20).await.unwrap();
            if parts.uri.path() == "/v1/auth/magiclink/verify" {
                let mut json: serde_json::Value = serde_json::from_slice(&body).unwrap();
                json.as_object_mut().unwrap().remove("codeVerifier");
                body = serde_json::to_vec(&json).unwrap().into();
            }
            let mut forwarded = http.request(parts.method, format!("{upstream}{}", parts.uri));
            for (name, value) in &parts.headers {
                if name != "host" && name != "content-length" {
                    forwarded = forwarded.header(name, value);
                }
            }
            let answer = forwarded.body(body).send().await.unwrap();
            let mut response = Response::builder().status(answer.status());
            for (name, value) in answer.headers() {
                response = response.header(name, value);
            }
            response
                .body(Body::from(answer.bytes().await.unwrap()))
                .unwrap()
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, axum::Router::new().fallback(pass)).await;
    });
    base
}

pub fn flow(server: &Running, timing: FlowTiming) -> (Flow, Arc<Recorder>) {
    let (flow, recorder, _) = flow_with_vault(server, timing, MemoryVault::default());
    (flow, recorder)
}

/// A flow with `vault` for its session: the app's keyring is exercised in the end-to-end
/// test; here the flow's use of it is checked.
pub fn flow_with_vault(
    server: &Running,
    timing: FlowTiming,
    vault: MemoryVault,
) -> (Flow, Arc<Recorder>, Arc<MemoryVault>) {
    flow_with_vault_at(&server.base_url(), timing, vault)
}

/// A flow like [`flow_with_vault`]'s, against the server at `base_url`.
pub fn flow_with_vault_at(
    base_url: &str,
    timing: FlowTiming,
    vault: MemoryVault,
) -> (Flow, Arc<Recorder>, Arc<MemoryVault>) {
    let recorder = Arc::new(Recorder::default());
    let vault = Arc::new(vault);
    let config = ServerConfig::from_values(Some(base_url.to_owned()), None);
    let flow = Flow::new(config, timing, recorder.clone(), vault.clone());
    (flow, recorder, vault)
}

pub async fn wait_until(flow: &Flow, what: &str, done: impl Fn(&FlowState) -> bool) -> FlowState {
    let start = Instant::now();
    loop {
        let state = flow.state();
        if done(&state) {
            return state;
        }
        assert!(
            start.elapsed() < Duration::from_secs(15),
            "never reached {what}: {state:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The link in the newest message to `email` (a magic link's one link).
pub async fn magic_url(server: &Running, email: &str) -> String {
    let rows = server.state.store.dev_outbox(10).await.unwrap();
    let row = rows.iter().find(|r| r.recipient == email).unwrap();
    beckon_testkit::links_from_column(&row.links_json)[0]
        .url
        .clone()
}

/// The token of the link numbered `number` in the newest message to `email`.
pub async fn token(server: &Running, email: &str, number: &str) -> String {
    let rows = server.state.store.dev_outbox(10).await.unwrap();
    let row = rows.iter().find(|r| r.recipient == email).unwrap();
    let links = beckon_testkit::links_from_column(&row.links_json);
    beckon_testkit::numbered(&links, number).token()
}

pub fn is_waiting(s: &FlowState) -> bool {
    matches!(s, FlowState::Waiting { .. })
}
