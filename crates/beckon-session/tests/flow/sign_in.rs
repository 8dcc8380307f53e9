//! Signing in by enchanted link, without a window: the right link signs in, Cancel stops at
//! once, a second sign-in replaces the first, expiry and an unreachable server are errors a
//! person can act on; sign-in only and sign-up only; and a sign-in waiting for its tap
//! outlives the app (its pendingRef kept in the vault), so a relaunch comes back to the same
//! number.

use std::time::Duration;

use beckon_session::vault::{MemoryVault, PendingSignIn};
use beckon_session::Error;
use beckon_session::{Mode, Session, SessionState, Timing};

use crate::session::{flow_with_vault_sharing, is_signed_in, phone};
use crate::{code, flow, flow_with_vault, is_waiting, server, token, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn signs_in_when_the_right_link_is_confirmed() {
    let server = server().await;
    let (flow, recorder) = flow(&server, Timing::default());
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in(" ada@example.com ", Mode::SignUpOrIn).await }
    });
    let SessionState::Waiting {
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
        SessionState::SignedIn { email, user_id, .. } => {
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
        SessionState::EnterEmail {
            email: "ada@example.com".into(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
}

/// "No, this wasn't me" on the phone: the held wait answers at once, and the window says it
/// was declined there, with the email kept for one button to start again; a new start is
/// refused as paused, with the time left.
#[tokio::test(flavor = "multi_thread")]
async fn a_decline_on_the_phone_says_so_keeps_the_email_and_pauses_new_links() {
    let server = server().await;
    let (flow, _) = flow(&server, Timing::default());
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    let SessionState::Waiting { link_id, .. } = wait_until(&flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    let declined = reqwest::Client::new()
        .post(format!("{}/confirm", server.base_url()))
        .form(&[
            (
                "t",
                token(&server, "ada@example.com", &link_id).await.as_str(),
            ),
            ("answer", "no"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), 200);
    task.await.unwrap();
    match flow.state() {
        SessionState::Failed { email, error, .. } => {
            assert_eq!(email, "ada@example.com");
            assert_eq!(error, Error::Declined);
        }
        other => panic!("not declined: {other:?}"),
    }
    assert!(!flow.is_signed_in());

    // The "No" paused new links to that mailbox (its +tags too): the next start says so, with
    // the time left, rather than "too many attempts".
    flow.sign_in("Ada+again@example.com", Mode::SignUpOrIn)
        .await;
    match flow.state() {
        SessionState::Failed {
            error: Error::Paused {
                retry_after_secs: Some(left),
            },
            ..
        } => assert!(800 < left && left <= 900, "{left}"),
        other => panic!("not paused: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_stops_waiting_at_once_and_keeps_the_email() {
    let server = server().await;
    let (flow, _) = flow(&server, Timing::default());
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    flow.cancel().await;
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("the wait ends at once")
        .unwrap();
    assert_eq!(
        flow.state(),
        SessionState::EnterEmail {
            email: "ada@example.com".into(),
            notice: None,
            mode: Mode::SignUpOrIn,
        }
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_sign_in_replaces_the_first() {
    let server = server().await;
    let (flow, _) = flow(&server, Timing::default());
    let first = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    let second = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("grace@example.com", Mode::SignUpOrIn).await }
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
    let timing = Timing::default().link_lifetime(Duration::from_secs(2));
    let (flow, _) = flow(&server, timing);
    flow.sign_in("ada@example.com", Mode::SignUpOrIn).await;
    match flow.state() {
        SessionState::Failed { error, email, .. } => {
            assert_eq!(error, Error::Expired);
            assert_eq!(email, "ada@example.com");
        }
        other => panic!("{other:?}"),
    }

    server.stop().await.unwrap();
    flow.sign_in("ada@example.com", Mode::SignUpOrIn).await;
    match flow.state() {
        SessionState::Failed { error, .. } => assert!(error.is_offline(), "{error:?}"),
        other => panic!("{other:?}"),
    }
}

fn failure(flow: &Session) -> (Error, Mode) {
    match flow.state() {
        SessionState::Failed { error, mode, .. } => (error, mode),
        other => panic!("not failed: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_email_on_sign_in_and_a_known_one_on_sign_up_say_so() {
    let server = server().await;
    let (flow, _) = flow(&server, Timing::default());
    let email = "new@example.com";

    flow.sign_in(email, Mode::SignIn).await;
    assert_eq!(failure(&flow), (Error::UnknownUser, Mode::SignIn));
    assert_eq!(flow.state().email(), email, "the email is kept");
    flow.send_magic_link(email).await;
    assert_eq!(failure(&flow), (Error::UnknownUser, Mode::SignIn));
    assert!(server
        .state
        .store
        .user_by_login_id(email)
        .await
        .unwrap()
        .is_none());

    // The offer: create the account.
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in(email, Mode::SignUp).await }
    });
    let SessionState::Waiting { link_id, .. } = wait_until(&flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    let link = token(&server, email, &link_id).await;
    phone(&server).enchanted_link().verify(&link).await.unwrap();
    task.await.unwrap();
    assert!(is_signed_in(&flow.state()), "{:?}", flow.state());
    flow.sign_out().await;
    assert!(
        matches!(
            flow.state(),
            SessionState::EnterEmail {
                mode: Mode::SignUp,
                ..
            }
        ),
        "the email screen keeps the mode: {:?}",
        flow.state()
    );

    flow.sign_in(email, Mode::SignUp).await;
    assert_eq!(failure(&flow), (Error::UserExists, Mode::SignUp));

    // The offer: sign in instead.
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in(email, Mode::SignIn).await }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    flow.cancel().await;
    task.await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relaunch_comes_back_to_the_same_number_and_completes() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    let first = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    let SessionState::Waiting {
        link_id,
        expires_at_ms,
        ..
    } = wait_until(&flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    let pending = vault.peek_pending().expect("the pending sign-in is kept");
    assert_eq!(pending.link_id, link_id);
    // The app quits: its wait ends without a word.
    first.abort();
    let _ = first.await;

    let (relaunched, recorder, _) = flow_with_vault_sharing(&server, &vault);
    let restore = tokio::spawn({
        let flow = relaunched.clone();
        async move { flow.restore().await }
    });
    let state = wait_until(&relaunched, "waiting again", is_waiting).await;
    let SessionState::Waiting {
        link_id: shown,
        expires_at_ms: shown_expiry,
        masked_email,
        ..
    } = state
    else {
        unreachable!()
    };
    assert_eq!(shown, link_id, "the same number");
    assert_eq!(shown_expiry, expires_at_ms, "the same deadline");
    assert_eq!(masked_email, "a***@example.com");
    assert!(!recorder.screens().contains(&"enterEmail"));

    phone(&server)
        .enchanted_link()
        .verify(&token(&server, "ada@example.com", &link_id).await)
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), restore)
        .await
        .expect("signed in after the tap")
        .unwrap();
    assert!(
        is_signed_in(&relaunched.state()),
        "{:?}",
        relaunched.state()
    );
    assert!(vault.peek_pending().is_none(), "done with it");
    assert!(vault.peek().is_some(), "the session is remembered");
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_forgets_the_pending_sign_in() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    assert!(vault.peek_pending().is_some());
    flow.cancel().await;
    assert!(vault.peek_pending().is_none());

    // A relaunch now shows the email screen.
    let (relaunched, _, _) = flow_with_vault_sharing(&server, &vault);
    relaunched.restore().await;
    assert!(matches!(
        relaunched.state(),
        SessionState::EnterEmail { .. }
    ));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_request_that_expired_while_the_app_was_closed_shows_the_expired_screen() {
    let server = server().await;
    let vault = std::sync::Arc::new(MemoryVault::default());
    PendingSignIn {
        email: "ada@example.com".into(),
        link_id: "42".into(),
        masked_email: "a***@example.com".into(),
        pending_ref: beckon::Secret::new("gone"),
        expires_at_ms: 1_000,
    }
    .save(vault.as_ref())
    .unwrap();
    let (relaunched, _, _) = flow_with_vault_sharing(&server, &vault);
    relaunched.restore().await;
    let SessionState::Failed { email, error, .. } = relaunched.state() else {
        panic!("{:?}", relaunched.state())
    };
    assert_eq!(email, "ada@example.com", "the email kept for a new link");
    assert_eq!(error, Error::Expired);
    assert!(vault.peek_pending().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relaunch_while_the_server_is_down_shows_the_number_reconnecting() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    let first = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    let SessionState::Waiting { link_id, .. } = wait_until(&flow, "waiting", is_waiting).await
    else {
        unreachable!()
    };
    first.abort();
    let base_url = server.base_url();
    server.stop().await.unwrap();

    let recorder = std::sync::Arc::new(crate::Recorder::default());
    let config = beckon_session::config::ServerConfig::from_values(Some(base_url), None);
    let relaunched = crate::start(config, Timing::default(), &recorder, vault.clone());
    tokio::spawn({
        let flow = relaunched.clone();
        async move { flow.restore().await }
    });
    let state = wait_until(&relaunched, "waiting, reconnecting", |s| {
        matches!(
            s,
            SessionState::Waiting {
                reconnecting: true,
                ..
            }
        )
    })
    .await;
    assert!(matches!(state, SessionState::Waiting { link_id: shown, .. } if shown == link_id));
    relaunched.cancel().await;
}

/// When no link works: the code from the email, typed in the app while it waits, signs in as
/// the tap would; a wrong one says how many tries are left and the wait goes on.
#[tokio::test(flavor = "multi_thread")]
async fn a_code_typed_while_waiting_signs_in_and_a_wrong_one_keeps_waiting() {
    let server = server().await;
    let (flow, _) = flow(&server, Timing::default());
    assert_eq!(flow.enter_code("AAAA-AAAA").await, Err(Error::NotWaiting));
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in("ada@example.com", Mode::SignUpOrIn).await }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    let right = code(&server, "ada@example.com").await;

    // The waiting screen may show before its request can take a code: ask until it does.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let wrong = loop {
        match flow.enter_code("AAAA-AAAA").await {
            Err(Error::NotWaiting) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            other => break other,
        }
    };
    assert_eq!(wrong, Err(Error::WrongCode { tries_left: 4 }));
    assert!(is_waiting(&flow.state()), "{:?}", flow.state());

    flow.enter_code(right.to_lowercase()).await.unwrap();
    task.await.unwrap();
    assert!(flow.is_signed_in(), "{:?}", flow.state());
}
