//! The session after sign-in: remembered in the vault, restored at launch, refreshed before it
//! expires, ended by sign-out (online or not) or by the server.

use beckon_testkit::ErrorCode;
use std::sync::Arc;
use std::time::Duration;

use beckon_server::config::Config;
use beckon_server::support::clock::SystemClock;
use beckon_server::Running;
use beckon_session::vault::{MemoryVault, Saved, Slot, Vault};
use beckon_session::{Error, Mode, Notice, Session, SessionState, Timing};

use std::sync::atomic::Ordering;

use crate::{flow_with_vault, is_waiting, server, token, wait_until};

pub fn phone(server: &Running) -> beckon::Client {
    beckon::Client::new(server.state.project_id.to_string())
        .unwrap()
        .with_base_url(server.base_url())
}

/// Signs `email` in through the flow, confirming the right link as the phone would.
pub async fn sign_in(server: &Running, flow: &Session, email: &str) {
    let task = tokio::spawn({
        let flow = flow.clone();
        let email = email.to_owned();
        async move { flow.sign_in(email, Mode::SignUpOrIn).await }
    });
    let SessionState::Waiting { link_id, .. } = wait_until(flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    phone(server)
        .enchanted_link()
        .verify(&token(server, email, &link_id).await)
        .await
        .unwrap();
    task.await.unwrap();
    assert!(flow.is_signed_in(), "{:?}", flow.state());
}

pub fn is_signed_in(state: &SessionState) -> bool {
    matches!(state, SessionState::SignedIn { .. })
}

fn notice(state: &SessionState) -> Option<Notice> {
    match state {
        SessionState::EnterEmail { notice, .. } => notice.clone(),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_remembered_session_comes_back_without_an_email() {
    let server = server().await;
    let (first, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    sign_in(&server, &first, "ada@example.com").await;
    let SessionState::SignedIn {
        remembered,
        since_ms,
        ..
    } = first.state()
    else {
        unreachable!()
    };
    assert!(remembered);
    let saved = vault.peek().expect("the refresh JWT is in the vault");
    assert_eq!(saved.since_ms, since_ms);

    // The next launch: a new flow over the same vault.
    let (second, recorder, _) = flow_with_vault_sharing(&server, &vault);
    second.restore().await;
    match second.state() {
        SessionState::SignedIn {
            email,
            since_ms: restored_since,
            remembered,
            ..
        } => {
            assert_eq!(email, "ada@example.com");
            assert_eq!(restored_since, since_ms, "since when the person signed in");
            assert!(remembered);
        }
        other => panic!("not restored: {other:?}"),
    }
    assert_eq!(recorder.screens(), ["restoring", "signedIn"]);
    // The refresh rotated the token, and the vault holds the new one.
    assert_ne!(
        vault.peek().unwrap().refresh_jwt.expose(),
        saved.refresh_jwt.expose()
    );
}

/// A second flow over the vault of the first: what a relaunch sees.
pub fn flow_with_vault_sharing(
    server: &Running,
    vault: &Arc<MemoryVault>,
) -> (Session, Arc<crate::Recorder>, Arc<MemoryVault>) {
    let recorder = Arc::new(crate::Recorder::default());
    let config = beckon_session::config::ServerConfig::from_values(Some(server.base_url()), None);
    let flow = crate::start(config, Timing::default(), &recorder, vault.clone());
    (flow, recorder, vault.clone())
}

#[tokio::test(flavor = "multi_thread")]
async fn nothing_remembered_means_the_email_screen() {
    let server = server().await;
    let (flow, _, _) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.restore().await;
    assert_eq!(
        flow.state(),
        SessionState::EnterEmail {
            email: String::new(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_session_is_forgotten_at_launch_with_a_note() {
    let server = server().await;
    let (first, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    sign_in(&server, &first, "ada@example.com").await;
    // Signed out everywhere, from another device.
    phone(&server)
        .logout_all(&vault.peek().unwrap().refresh_jwt)
        .await
        .unwrap();

    let (second, _, _) = flow_with_vault_sharing(&server, &vault);
    second.restore().await;
    let state = second.state();
    assert!(notice(&state) == Some(Notice::SessionEnded), "{state:?}");
    assert!(vault.peek().is_none(), "the dead entry is gone");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_is_refreshed_and_logout_all_elsewhere_is_noticed() {
    let server = server().await;
    let timing = Timing::default()
        // Refresh as soon as allowed: the session JWT lasts ten minutes.
        .refresh_lead(Duration::from_secs(3600))
        .refresh_floor(Duration::from_millis(200));
    let (flow, _, vault) = flow_with_vault(&server, timing, MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let first = vault.peek().unwrap().refresh_jwt;
    // A refresh rotates the refresh JWT: the vault shows it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while vault.peek().unwrap().refresh_jwt == first {
        assert!(tokio::time::Instant::now() < deadline, "never refreshed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(is_signed_in(&flow.state()));

    phone(&server)
        .logout_all(&vault.peek().unwrap().refresh_jwt)
        .await
        .unwrap();
    let state = wait_until(&flow, "signed out by the server", |s| notice(s).is_some()).await;
    assert_eq!(
        notice(&state),
        Some(Notice::SignedOutElsewhere),
        "{state:?}"
    );
    assert_eq!(state.email(), "ada@example.com");
    assert!(!flow.is_signed_in());
    assert!(vault.peek().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_disabled_by_an_administrator_is_noticed_at_the_next_refresh_and_said() {
    use beckon_server::admin::{self, Operator, Who};
    let server = server().await;
    let timing = Timing::default()
        .refresh_lead(Duration::from_secs(3600))
        .refresh_floor(Duration::from_millis(200));
    let (flow, _, vault) = flow_with_vault(&server, timing, MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let store = &server.state.store;
    let now = server.state.clock.now();
    admin::set_disabled(
        store,
        &Operator::cli(),
        now,
        Who::LoginId("ada@example.com"),
        true,
    )
    .await
    .unwrap();
    let state = wait_until(&flow, "signed out by the server", |s| notice(s).is_some()).await;
    assert_eq!(notice(&state), Some(Notice::Disabled), "{state:?}");
    assert_eq!(state.email(), "ada@example.com");
    assert!(vault.peek().is_none());
    // And a new sign-in says the same, as an error.
    flow.sign_in("ada@example.com", Mode::SignIn).await;
    let state = wait_until(&flow, "the sign-in is refused", |s| {
        matches!(s, SessionState::Failed { .. })
    })
    .await;
    let SessionState::Failed { error, .. } = &state else {
        unreachable!()
    };
    assert_eq!(*error, Error::Disabled, "{state:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_ends_the_session_on_the_server_and_forgets_it() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let refresh = vault.peek().unwrap().refresh_jwt;
    flow.sign_out().await;
    assert_eq!(
        flow.state(),
        SessionState::EnterEmail {
            email: "ada@example.com".into(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
    assert!(vault.peek().is_none());
    let err = phone(&server).me(&refresh).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::LoggedOut.as_str()), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_offline_is_local_and_says_so() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    server.stop().await.unwrap();
    flow.sign_out().await;
    let state = flow.state();
    assert!(
        matches!(
            notice(&state),
            Some(Notice::ServerNotTold {
                error: Error::Offline { .. },
                everywhere: false
            })
        ),
        "{state:?}"
    );
    assert!(vault.peek().is_none());
    assert!(!flow.is_signed_in());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_keyring_sign_in_works_but_is_not_remembered() {
    let server = server().await;
    let (flow, _, _) = flow_with_vault(&server, Timing::default(), MemoryVault::unavailable());
    flow.restore().await;
    let state = flow.state();
    assert!(
        matches!(notice(&state), Some(Notice::NoKeyring { .. })),
        "{state:?}"
    );
    sign_in(&server, &flow, "ada@example.com").await;
    assert!(matches!(
        flow.state(),
        SessionState::SignedIn {
            remembered: false,
            ..
        }
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn restoring_while_the_server_is_down_reconnects_and_resumes() {
    let dir = std::env::temp_dir().join(format!("beckon-flow-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = Config {
        database: Some(format!(
            "{}?mode=rwc",
            beckon_server::store::sqlite_url(&dir.join("restore.db"))
        )),
        ..Config::for_tests()
    };
    let first = beckon_server::start(&config, Arc::new(SystemClock))
        .await
        .unwrap();
    let addr = first.addr;
    let vault = Arc::new(MemoryVault::default());
    let (flow, _, _) = flow_with_vault_sharing(&first, &vault);
    sign_in(&first, &flow, "ada@example.com").await;
    let base_url = first.base_url();
    first.stop().await.unwrap();

    // Relaunch while the server is down: restoring, reconnecting.
    let recorder = Arc::new(crate::Recorder::default());
    let timing = Timing::default().retry(Duration::from_millis(100), Duration::from_millis(400));
    let config_app = beckon_session::config::ServerConfig::from_values(Some(base_url), None);
    let relaunched = crate::start(config_app, timing, &recorder, vault.clone());
    let task = tokio::spawn({
        let flow = relaunched.clone();
        async move { flow.restore().await }
    });
    wait_until(&relaunched, "reconnecting", |s| {
        matches!(s, SessionState::Restoring { reconnecting: true })
    })
    .await;

    // The server comes back on the same address and database.
    let second = beckon_server::start(
        &Config {
            listen: addr,
            ..config
        },
        Arc::new(SystemClock),
    )
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(15), task)
        .await
        .expect("restored once the server is back")
        .unwrap();
    assert!(
        is_signed_in(&relaunched.state()),
        "{:?}",
        relaunched.state()
    );
    second.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn saved_sessions_do_not_show_their_token() {
    let saved = Saved {
        refresh_jwt: beckon::Secret::new("header.claims.signature"),
        since_ms: 1,
    };
    assert!(!format!("{saved:?}").contains("claims"));
    let vault = MemoryVault::default();
    saved.save(&vault).unwrap();
    assert!(vault.peek().is_some());
    vault.delete(Slot::Session).unwrap();
    assert!(vault.peek().is_none());
}

/// A server whose session JWTs last `seconds`.
async fn server_with_session_ttl(seconds: u32) -> Running {
    let config = Config {
        session_ttl: seconds,
        ..Config::for_tests()
    };
    beckon_server::start(&config, Arc::new(SystemClock))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_session_token_is_a_valid_jwt_and_nobody_signed_in_has_none() {
    let server = server().await;
    let (base, refreshes) = crate::counting(&server, "/v1/auth/refresh").await;
    let (flow, _, _) = crate::flow_with_vault_at(&base, Timing::default(), MemoryVault::default());
    flow.restore().await;
    assert_eq!(flow.session_token().await, Err(Error::SignedOut));
    sign_in(&server, &flow, "ada@example.com").await;

    let jwt = flow.session_token().await.unwrap();
    let token = phone(&server).validate_session(jwt.expose()).await.unwrap();
    let SessionState::SignedIn { user_id, .. } = flow.state() else {
        unreachable!()
    };
    assert_eq!(token.subject, user_id);
    assert_eq!(
        refreshes.load(Ordering::SeqCst),
        0,
        "ten minutes left: no refresh"
    );
    assert!(!format!("{:?}", flow.state()).contains(jwt.expose()));

    flow.sign_out().await;
    assert_eq!(flow.session_token().await, Err(Error::SignedOut));
}

#[tokio::test(flavor = "multi_thread")]
async fn callers_at_the_same_moment_share_one_refresh() {
    let server = server().await;
    let (base, refreshes) = crate::counting(&server, "/v1/auth/refresh").await;
    // Every token is "about to expire": each call refreshes first.
    let timing = Timing::default().token_margin(Duration::from_secs(3600));
    let (flow, _, vault) = crate::flow_with_vault_at(&base, timing, MemoryVault::default());
    flow.restore().await;
    sign_in(&server, &flow, "ada@example.com").await;
    let before = vault.peek().unwrap().refresh_jwt;

    let callers: Vec<_> = (0..8)
        .map(|_| {
            let flow = flow.clone();
            tokio::spawn(async move { flow.session_token().await })
        })
        .collect();
    let mut tokens = Vec::new();
    for caller in callers {
        tokens.push(caller.await.unwrap().unwrap());
    }
    assert_eq!(refreshes.load(Ordering::SeqCst), 1, "one refresh for all");
    assert!(tokens.iter().all(|t| t == &tokens[0]), "the same JWT");
    phone(&server)
        .validate_session(tokens[0].expose())
        .await
        .unwrap();
    assert_ne!(
        vault.peek().unwrap().refresh_jwt,
        before,
        "rotated, and kept"
    );
    // The next call refreshes again.
    flow.session_token().await.unwrap();
    assert_eq!(refreshes.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_with_an_expired_session_jwt_the_token_is_an_offline_error() {
    let server = server_with_session_ttl(1).await;
    let (flow, _, _) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.restore().await;
    sign_in(&server, &flow, "ada@example.com").await;
    server.stop().await.unwrap();
    // Past the JWT's expiry (whole seconds), before the loop's own refresh (5 s).
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let error = flow.session_token().await.unwrap_err();
    assert!(error.is_offline(), "{error:?}");
    assert!(flow.is_signed_in(), "offline is not signed out");
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_out_everywhere_ends_the_other_computers_session_too() {
    let server = server().await;
    let (here, _, here_vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    let timing = Timing::default()
        .refresh_lead(Duration::from_secs(3600))
        .refresh_floor(Duration::from_millis(200));
    let (there, _, there_vault) = flow_with_vault(&server, timing, MemoryVault::default());
    sign_in(&server, &here, "ada@example.com").await;
    sign_in(&server, &there, "ada@example.com").await;

    here.sign_out_everywhere().await;
    assert_eq!(
        here.state(),
        SessionState::EnterEmail {
            email: "ada@example.com".into(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
    assert!(here_vault.peek().is_none());
    let state = wait_until(&there, "signed out by the server", |s| notice(s).is_some()).await;
    assert_eq!(
        notice(&state),
        Some(Notice::SignedOutElsewhere),
        "{state:?}"
    );
    assert!(there_vault.peek().is_none());
    assert_eq!(there.session_token().await, Err(Error::SignedOut));
}
