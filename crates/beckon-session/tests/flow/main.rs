//! The sign-in flow (no window) against a real beckon-server on a loopback port, one file per
//! feature as in `src/flow/`; this file holds what they share.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod change_email;
mod language;
mod magic;
mod session;
mod sign_in;
#[cfg(windows)]
mod windows;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use beckon_server::config::Config;
use beckon_server::support::clock::SystemClock;
use beckon_server::Running;
use beckon_session::config::ServerConfig;
use beckon_session::vault::MemoryVault;
use beckon_session::{Session, SessionState, Timing, Vault};

/// Every state a session published, in order.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<SessionState>>);

impl Recorder {
    pub fn record(&self, state: &SessionState) {
        self.0.lock().unwrap().push(state.clone());
    }

    pub fn screens(&self) -> Vec<&'static str> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|s| match s {
                SessionState::Restoring { .. } => "restoring",
                SessionState::EnterEmail { .. } => "enterEmail",
                SessionState::Sending { .. } => "sending",
                SessionState::Waiting { .. } => "waiting",
                SessionState::MagicSent { .. } => "magicSent",
                SessionState::SignedIn { .. } => "signedIn",
                SessionState::Failed { .. } => "failed",
                _ => "other",
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
    proxy(server, |path, body| {
        if path == "/v1/auth/magiclink/verify" {
            let mut json: serde_json::Value = serde_json::from_slice(body).unwrap();
            json.as_object_mut().unwrap().remove("codeVerifier");
            *body = serde_json::to_vec(&json).unwrap();
        }
    })
    .await
}

/// A loopback proxy in front of `server` that counts the requests to `path`; its base URL
/// and the count.
pub async fn counting(server: &Running, path: &'static str) -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    let base = proxy(server, move |asked, _| {
        if asked == path {
            counted.fetch_add(1, Ordering::SeqCst);
        }
    })
    .await;
    (base, count)
}

/// A loopback proxy that passes every request to `server`, after `look` has seen (and may
/// have changed) its path and body; its base URL. It stops with the test's runtime.
async fn proxy(
    server: &Running,
    look: impl Fn(&str, &mut Vec<u8>) + Clone + Send + Sync + 'static,
) -> String {
    use axum::body::{to_bytes, Body};
    use axum::extract::Request;
    use axum::response::Response;
    let upstream = server.base_url();
    let http = reqwest::Client::new();
    let pass = move |request: Request| {
        let (upstream, http, look) = (upstream.clone(), http.clone(), look.clone());
        async move {
            let (parts, body) = request.into_parts();
            let mut body = to_bytes(body, 1 << 20).await.unwrap().to_vec();
            look(parts.uri.path(), &mut body);
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

pub fn flow(server: &Running, timing: Timing) -> (Session, Arc<Recorder>) {
    let (flow, recorder, _) = flow_with_vault(server, timing, MemoryVault::default());
    (flow, recorder)
}

/// A flow with `vault` for its session: the app's keyring is exercised in the end-to-end
/// test; here the flow's use of it is checked.
pub fn flow_with_vault(
    server: &Running,
    timing: Timing,
    vault: MemoryVault,
) -> (Session, Arc<Recorder>, Arc<MemoryVault>) {
    flow_with_vault_at(&server.base_url(), timing, vault)
}

/// A flow like [`flow_with_vault`]'s, against the server at `base_url`.
pub fn flow_with_vault_at(
    base_url: &str,
    timing: Timing,
    vault: MemoryVault,
) -> (Session, Arc<Recorder>, Arc<MemoryVault>) {
    let recorder = Arc::new(Recorder::default());
    let vault = Arc::new(vault);
    let config = ServerConfig::from_values(Some(base_url.to_owned()), None);
    let flow = start(config, timing, &recorder, vault.clone());
    (flow, recorder, vault)
}

/// A session over `vault` with `timing`, its states recorded by `recorder`, and the Beckon
/// app's deep link for magic links.
pub fn start(
    config: ServerConfig,
    timing: Timing,
    recorder: &Arc<Recorder>,
    vault: Arc<dyn Vault>,
) -> Session {
    builder(config, timing, recorder, vault).start()
}

/// The builder [`start`] starts.
pub fn builder(
    config: ServerConfig,
    timing: Timing,
    recorder: &Arc<Recorder>,
    vault: Arc<dyn Vault>,
) -> beckon_session::SessionBuilder {
    let recorder = recorder.clone();
    Session::builder(config, vault)
        .timing(timing)
        .deep_link(beckon_session::DeepLink::new("beckon://auth").unwrap())
        .on_state(move |state| recorder.record(state))
}

pub async fn wait_until(
    flow: &Session,
    what: &str,
    done: impl Fn(&SessionState) -> bool,
) -> SessionState {
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

/// The newest sign-in message to `email`, as the outbox table keeps it.
async fn sign_in_message(server: &Running, email: &str) -> beckon_server::store::OutboxRow {
    let rows = server.state.store.dev_outbox(10).await.unwrap();
    rows.into_iter()
        .find(|r| r.recipient == email && r.kind == "sign_in")
        .expect("a sign-in message")
}

/// The link in the newest sign-in message to `email` (a magic link's one link).
pub async fn magic_url(server: &Running, email: &str) -> String {
    let row = sign_in_message(server, email).await;
    beckon_testkit::links_from_column(&row.links_json)[0]
        .url
        .clone()
}

/// The code in the newest sign-in message to `email` (`ABCD-EFGH`).
pub async fn code(server: &Running, email: &str) -> String {
    let row = sign_in_message(server, email).await;
    beckon_testkit::links::code_in(&row.text_body)
}

/// The token of the link numbered `number` in the newest sign-in message to `email`.
pub async fn token(server: &Running, email: &str, number: &str) -> String {
    let row = sign_in_message(server, email).await;
    let links = beckon_testkit::links_from_column(&row.links_json);
    beckon_testkit::numbered(&links, number).token()
}

pub fn is_waiting(s: &SessionState) -> bool {
    matches!(s, SessionState::Waiting { .. })
}
