//! "Change email" from the signed-in view: the enchanted-link update-email flow, with the
//! number shown in the same window, against the real server.

use std::time::Duration;

use beckon_desktop::error::ErrorCode;
use beckon_desktop::flow::{EmailChange, FlowState, FlowTiming};
use beckon_desktop::vault::MemoryVault;

use crate::session::{phone, sign_in};
use crate::{flow_with_vault, server, token, wait_until};

fn change(state: &FlowState) -> Option<&EmailChange> {
    match state {
        FlowState::SignedIn { change, .. } => change.as_ref(),
        _ => None,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_new_address_confirms_and_the_session_follows_it() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, FlowTiming::default(), MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let old_refresh = vault.peek().unwrap().refresh_jwt;
    let FlowState::SignedIn { user_id, .. } = flow.state() else {
        unreachable!()
    };

    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.change_email("ada@work.example".into()).await }
    });
    let state = wait_until(&flow, "the change waiting", |s| {
        matches!(change(s), Some(EmailChange::Waiting { .. }))
    })
    .await;
    let Some(EmailChange::Waiting {
        link_id,
        masked_email,
        ..
    }) = change(&state)
    else {
        unreachable!()
    };
    assert_eq!(masked_email, "a***@work.example");
    // Still signed in as before while it waits.
    assert_eq!(state.email(), "ada@example.com");

    phone(&server)
        .enchanted_link()
        .verify(&token(&server, "ada@work.example", link_id).await)
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .expect("the change completes")
        .unwrap();
    let FlowState::SignedIn {
        email,
        user_id: same_user,
        change,
        notice,
        ..
    } = flow.state()
    else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(email, "ada@work.example");
    assert_eq!(same_user, user_id, "the same person");
    assert_eq!(change, None);
    assert_eq!(
        notice.as_deref(),
        Some("Your email is now ada@work.example.")
    );

    // The session that asked was replaced, in the vault and on the server.
    let new_refresh = vault.peek().unwrap().refresh_jwt;
    assert_ne!(new_refresh, old_refresh);
    let phone = phone(&server);
    assert_eq!(
        phone.me(&new_refresh).await.unwrap().email.as_deref(),
        Some("ada@work.example")
    );
    assert!(phone.me(&old_refresh).await.unwrap_err().is_unauthorized());
    // The new address signs in as the same person next time.
    let me = phone.me(&new_refresh).await.unwrap();
    assert!(
        me.login_ids.contains(&"ada@work.example".to_owned()),
        "{:?}",
        me.login_ids
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_address_or_a_cancel_leaves_the_session_as_it_was() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, FlowTiming::default(), MemoryVault::default());
    sign_in(&server, &flow, "ada@example.com").await;
    let refresh = vault.peek().unwrap().refresh_jwt;

    flow.change_email("not an email".into()).await;
    let Some(EmailChange::Failed { new_email, error }) = change(&flow.state()).cloned() else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(new_email, "not an email", "what was typed is kept");
    assert_eq!(error.code, ErrorCode::InvalidEmail);

    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.change_email("ada@work.example".into()).await }
    });
    wait_until(&flow, "the change waiting", |s| {
        matches!(change(s), Some(EmailChange::Waiting { .. }))
    })
    .await;
    flow.cancel_email_change();
    tokio::time::timeout(Duration::from_secs(2), task)
        .await
        .expect("the wait ends at once")
        .unwrap();
    let state = flow.state();
    assert_eq!(change(&state), None);
    assert_eq!(state.email(), "ada@example.com");
    assert!(flow.is_signed_in());
    assert_eq!(vault.peek().unwrap().refresh_jwt, refresh);
}
