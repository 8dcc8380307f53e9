//! The sign-in flow (no window) against a real beckon-server on a loopback port.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod change_email;
mod deep_link;
mod modes;
mod session;
mod waiting;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use beckon_desktop::config::ServerConfig;
use beckon_desktop::error::ErrorCode;
use beckon_desktop::flow::{Flow, FlowState, FlowTiming, Mode, StateSink};
use beckon_desktop::vault::MemoryVault;
use beckon_server::clock::SystemClock;
use beckon_server::config::Config;
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

fn flow(server: &Running, timing: FlowTiming) -> (Flow, Arc<Recorder>) {
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
    let recorder = Arc::new(Recorder::default());
    let vault = Arc::new(vault);
    let config = ServerConfig::from_values(Some(server.base_url()), None);
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

/// The token of the link numbered `number` in the newest message to `email`.
pub async fn token(server: &Running, email: &str, number: &str) -> String {
    let rows = server.state.store.dev_outbox(10).await.unwrap();
    let row = rows.iter().find(|r| r.recipient == email).unwrap();
    let links: serde_json::Value = serde_json::from_str(&row.links_json).unwrap();
    let link = links
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["number"] == number)
        .unwrap();
    let url = reqwest::Url::parse(link["url"].as_str().unwrap()).unwrap();
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "t")
        .unwrap()
        .1
        .into_owned();
    token
}

pub fn is_waiting(s: &FlowState) -> bool {
    matches!(s, FlowState::Waiting { .. })
}

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_when_the_right_link_is_confirmed() {
    let server = server().await;
    let (flow, recorder) = flow(&server, FlowTiming::default());
    let task = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in(" ada@example.com ".into(), Mode::SignUpOrIn)
                .await
        }
    });
    let FlowState::Waiting {
        link_id,
        masked_email,
        ..
    } = wait_until(&flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    assert_eq!(masked_email, "a***@example.com");
    let phone = beckon::Client::new(server.state.project_id.to_string())
        .unwrap()
        .with_base_url(server.base_url());
    phone
        .enchanted_link()
        .verify(&token(&server, "ada@example.com", &link_id).await)
        .await
        .unwrap();
    task.await.unwrap();
    match flow.state() {
        FlowState::SignedIn { email, user_id, .. } => {
            assert_eq!(email, "ada@example.com");
            assert!(user_id.starts_with('U'));
        }
        other => panic!("not signed in: {other:?}"),
    }
    assert!(flow.is_signed_in());
    assert_eq!(recorder.screens(), ["sending", "waiting", "signedIn"]);

    flow.sign_out().await;
    assert!(!flow.is_signed_in());
    assert_eq!(
        flow.state(),
        FlowState::EnterEmail {
            email: "ada@example.com".into(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_stops_waiting_at_once_and_keeps_the_email() {
    let server = server().await;
    let (flow, _) = flow(&server, FlowTiming::default());
    let task = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
                .await
        }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    flow.cancel().await;
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("the wait ends at once")
        .unwrap();
    assert_eq!(
        flow.state(),
        FlowState::EnterEmail {
            email: "ada@example.com".into(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_sign_in_replaces_the_first() {
    let server = server().await;
    let (flow, _) = flow(&server, FlowTiming::default());
    let first = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
                .await
        }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    let second = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in("grace@example.com".into(), Mode::SignUpOrIn)
                .await
        }
    });
    tokio::time::timeout(Duration::from_secs(2), first)
        .await
        .expect("the first stops")
        .unwrap();
    let state = wait_until(&flow, "waiting for grace", |s| {
        is_waiting(s) && s.email() == "grace@example.com"
    })
    .await;
    assert!(is_waiting(&state));
    flow.cancel().await;
    second.await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn expiry_and_an_unreachable_server_are_errors_a_person_can_act_on() {
    let server = server().await;
    let timing = FlowTiming {
        link_lifetime: Duration::from_secs(2),
        ..FlowTiming::default()
    };
    let (flow, _) = flow(&server, timing);
    flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
        .await;
    match flow.state() {
        FlowState::Failed { error, email, .. } => {
            assert_eq!(error.code, ErrorCode::Expired);
            assert_eq!(email, "ada@example.com");
        }
        other => panic!("{other:?}"),
    }

    server.stop().await.unwrap();
    flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
        .await;
    match flow.state() {
        FlowState::Failed { error, .. } => assert_eq!(error.code, ErrorCode::Offline),
        other => panic!("{other:?}"),
    }
}
