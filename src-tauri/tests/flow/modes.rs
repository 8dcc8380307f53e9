//! Sign-in only and sign-up only, chosen on the email screen: an unknown email (sign-in) or a
//! known one (sign-up) is an error that says so; the other mode then works.

use beckon_desktop::error::ErrorCode;
use beckon_desktop::flow::{Flow, FlowState, FlowTiming, Mode};

use crate::session::{is_signed_in, phone};
use crate::{flow, is_waiting, server, token, wait_until};

fn failure(flow: &Flow) -> (ErrorCode, Mode) {
    match flow.state() {
        FlowState::Failed { error, mode, .. } => (error.code, mode),
        other => panic!("not failed: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_email_on_sign_in_and_a_known_one_on_sign_up_say_so() {
    let server = server().await;
    let (flow, _) = flow(&server, FlowTiming::default());
    let email = "new@example.com";

    flow.sign_in(email.into(), Mode::SignIn).await;
    assert_eq!(failure(&flow), (ErrorCode::UnknownUser, Mode::SignIn));
    assert_eq!(flow.state().email(), email, "the email is kept");
    flow.send_magic_link(email.into()).await;
    assert_eq!(failure(&flow), (ErrorCode::UnknownUser, Mode::SignIn));
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
        async move { flow.sign_in(email.into(), Mode::SignUp).await }
    });
    let FlowState::Waiting { link_id, .. } = wait_until(&flow, "waiting", is_waiting).await else {
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
            FlowState::EnterEmail {
                mode: Mode::SignUp,
                ..
            }
        ),
        "the email screen keeps the mode: {:?}",
        flow.state()
    );

    flow.sign_in(email.into(), Mode::SignUp).await;
    assert_eq!(failure(&flow), (ErrorCode::UserExists, Mode::SignUp));

    // The offer: sign in instead.
    let task = tokio::spawn({
        let flow = flow.clone();
        async move { flow.sign_in(email.into(), Mode::SignIn).await }
    });
    wait_until(&flow, "waiting", is_waiting).await;
    flow.cancel().await;
    task.await.unwrap();
}
