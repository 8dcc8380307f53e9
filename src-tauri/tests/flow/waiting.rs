//! A sign-in waiting for its tap outlives the app: its pendingRef is kept in the vault (the
//! keyring, in the app), so a relaunch comes back to the same number; Cancel forgets it.

use std::time::Duration;

use beckon_desktop::error::ErrorCode;
use beckon_desktop::flow::{FlowState, FlowTiming, Mode};
use beckon_desktop::vault::{MemoryVault, PendingSignIn};

use crate::session::{flow_with_vault_sharing, is_signed_in, phone};
use crate::{flow_with_vault, is_waiting, server, token, wait_until};

#[tokio::test(flavor = "multi_thread")]
async fn a_relaunch_comes_back_to_the_same_number_and_completes() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, FlowTiming::default(), MemoryVault::default());
    let first = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
                .await
        }
    });
    let FlowState::Waiting {
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
    let FlowState::Waiting {
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
    let (flow, _, vault) = flow_with_vault(&server, FlowTiming::default(), MemoryVault::default());
    tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
                .await
        }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    assert!(vault.peek_pending().is_some());
    flow.cancel().await;
    assert!(vault.peek_pending().is_none());

    // A relaunch now shows the email screen.
    let (relaunched, _, _) = flow_with_vault_sharing(&server, &vault);
    relaunched.restore().await;
    assert!(matches!(relaunched.state(), FlowState::EnterEmail { .. }));
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
    let FlowState::Failed { email, error, .. } = relaunched.state() else {
        panic!("{:?}", relaunched.state())
    };
    assert_eq!(email, "ada@example.com", "the email kept for a new link");
    assert_eq!(error.code, ErrorCode::Expired);
    assert!(vault.peek_pending().is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_relaunch_while_the_server_is_down_shows_the_number_reconnecting() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, FlowTiming::default(), MemoryVault::default());
    let first = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.sign_in("ada@example.com".into(), Mode::SignUpOrIn)
                .await
        }
    });
    let FlowState::Waiting { link_id, .. } = wait_until(&flow, "waiting", is_waiting).await else {
        unreachable!()
    };
    first.abort();
    let base_url = server.base_url();
    server.stop().await.unwrap();

    let recorder = std::sync::Arc::new(crate::Recorder::default());
    let config = beckon_desktop::config::ServerConfig::from_values(Some(base_url), None);
    let relaunched =
        beckon_desktop::flow::Flow::new(config, FlowTiming::default(), recorder, vault.clone());
    tokio::spawn({
        let flow = relaunched.clone();
        async move { flow.restore().await }
    });
    let state = wait_until(&relaunched, "waiting, reconnecting", |s| {
        matches!(
            s,
            FlowState::Waiting {
                reconnecting: true,
                ..
            }
        )
    })
    .await;
    assert!(matches!(state, FlowState::Waiting { link_id: shown, .. } if shown == link_id));
    relaunched.cancel().await;
}
