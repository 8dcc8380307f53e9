//! Magic link on the same computer: the email's link is `beckon://auth?t=…`, which the system
//! hands to the app. The app uses it only when it asked for one.

use beckon_session::vault::MemoryVault;
use beckon_session::{Error, LinkIgnored, Notice};
use beckon_session::{SessionState, Timing};
use beckon_testkit::ErrorCode as WireCode;

use crate::session::{flow_with_vault_sharing, is_signed_in};
use crate::{flow_with_vault, flow_with_vault_at, magic_url, proof_ignoring, server};

fn notice(state: &SessionState) -> Notice {
    match state {
        SessionState::EnterEmail {
            notice: Some(notice),
            ..
        } => notice.clone(),
        other => panic!("no notice: {other:?}"),
    }
}

fn ignored(reason: LinkIgnored) -> Notice {
    Notice::LinkIgnored { reason }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_emailed_link_opens_the_app_and_signs_it_in() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    let SessionState::MagicSent { masked_address, .. } = flow.state() else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(masked_address, "a***@example.com");
    let url = magic_url(&server, "ada@example.com").await;
    assert!(url.starts_with("beckon://auth?t="), "{url}");

    // A malformed link changes nothing; the real one signs in.
    flow.open_link("beckon://auth?t=<script>").await;
    assert!(matches!(flow.state(), SessionState::MagicSent { .. }));
    flow.open_link(&url).await;
    assert!(is_signed_in(&flow.state()), "{:?}", flow.state());
    assert!(vault.peek().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_the_app_did_not_ask_for_is_ignored_with_a_note() {
    let server = server().await;
    // Someone else's sign-in link (their email, their account)…
    let (other, _, _) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    other.send_magic_link("mallory@example.com").await;
    let url = magic_url(&server, "mallory@example.com").await;

    // …opened on a computer that was not waiting for one: not signed in as them.
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.restore().await;
    flow.open_link(&url).await;
    assert!(!flow.is_signed_in());
    assert_eq!(notice(&flow.state()), ignored(LinkIgnored::NotWaiting));
    assert!(vault.peek().is_none());

    flow.open_link("https://evil.example/?t=x").await;
    assert_eq!(notice(&flow.state()), ignored(LinkIgnored::NotASignInLink));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_spent_link_is_an_error_a_person_can_act_on() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    let url = magic_url(&server, "ada@example.com").await;
    // Spent already, with the app's own proof key (an earlier run of it, say).
    let kept = vault.peek_magic().unwrap().code_verifier.unwrap();
    let proof = beckon::CodeVerifier::from_secret(kept).unwrap();
    let phone = crate::session::phone(&server);
    let token = url.split("t=").nth(1).unwrap();
    phone
        .magic_link()
        .with_proof(&proof)
        .verify(token)
        .await
        .unwrap();

    flow.open_link(&url).await;
    let SessionState::Failed { email, error, .. } = flow.state() else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(email, "ada@example.com");
    assert_eq!(error, Error::Expired);
}

/// Another program that registered `beckon://` receives the link too; without the app's
/// proof key it cannot redeem it, nor spend it: the app still signs in with it.
#[tokio::test(flavor = "multi_thread")]
async fn a_program_that_catches_the_link_cannot_redeem_it() {
    let server = server().await;
    let (flow, _, _) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    let url = magic_url(&server, "ada@example.com").await;
    let token = url.split("t=").nth(1).unwrap();
    let catcher = crate::session::phone(&server);
    let err = catcher.magic_link().verify(token).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(WireCode::MissingArguments.as_str()),
        "{err}"
    );
    let own = beckon::CodeVerifier::generate();
    let err = catcher
        .magic_link()
        .with_proof(&own)
        .verify(token)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(WireCode::InvalidRequest.as_str()), "{err}");

    flow.open_link(&url).await;
    assert!(is_signed_in(&flow.state()), "{:?}", flow.state());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_click_after_the_app_was_closed_launches_it_and_signs_in() {
    let server = server().await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    let request = vault.peek_magic().expect("the request is kept");
    assert_eq!(request.email, "ada@example.com");
    let url = magic_url(&server, "ada@example.com").await;

    // Relaunched plainly: back to the magic-link screen.
    let (relaunched, _, _) = flow_with_vault_sharing(&server, &vault);
    relaunched.restore().await;
    assert!(
        matches!(relaunched.state(), SessionState::MagicSent { .. }),
        "{:?}",
        relaunched.state()
    );

    // Launched by the click: the restore and the link race as they do at startup.
    let (launched, _, _) = flow_with_vault_sharing(&server, &vault);
    tokio::join!(launched.restore(), launched.open_link(&url));
    assert!(is_signed_in(&launched.state()), "{:?}", launched.state());
    assert!(vault.peek_magic().is_none(), "done with it");
    assert!(vault.peek().is_some(), "the session is remembered");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_link_to_another_account_is_refused_and_its_session_ended() {
    let server = server().await;
    let (mallory, _, _) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    mallory.send_magic_link("mallory@example.com").await;
    let theirs = magic_url(&server, "mallory@example.com").await;

    // Ada waits for her own link and is sent Mallory's.
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    flow.open_link(&theirs).await;
    let SessionState::Failed { email, error, .. } = flow.state() else {
        panic!("{:?}", flow.state())
    };
    assert_eq!(email, "ada@example.com");
    // Bound to Mallory's app by its proof key: the server refuses it.
    assert!(matches!(error, Error::Server { .. }), "{error:?}");
    assert!(!flow.is_signed_in());
    assert!(vault.peek().is_none());
    // Mallory's link is bound to Mallory's app: on Ada's it redeems nothing, so no session
    // of Mallory's exists (on a server without proof keys the app ends the one it made:
    // `an_unbound_link_to_another_account_is_refused_and_its_session_ended`).
    let store = &server.state.store;
    assert!(store
        .user_by_login_id("mallory@example.com")
        .await
        .unwrap()
        .is_none());

    // Her own link still signs her in.
    let ours = magic_url(&server, "ada@example.com").await;
    flow.open_link(&ours).await;
    assert!(is_signed_in(&flow.state()), "{:?}", flow.state());
}

/// Descope's cloud ignores proof keys: there the token alone redeems the link, and the app's
/// own check (the account must be the one asked for) is what is left. An unbound link from
/// someone else's email makes a session, which the app refuses and ends.
#[tokio::test(flavor = "multi_thread")]
async fn an_unbound_link_to_another_account_is_refused_and_its_session_ended() {
    let server = server().await;
    // Mallory's link, asked for without a proof key (as on Descope's cloud).
    let mallory = crate::session::phone(&server);
    mallory
        .magic_link()
        .sign_up_or_in(
            beckon::DeliveryMethod::Email,
            "mallory@example.com",
            Some("beckon://auth"),
        )
        .await
        .unwrap();
    let theirs = magic_url(&server, "mallory@example.com").await;

    // beckon-server refuses the app's proof on an unbound link; the cloud ignores it.
    let cloud = proof_ignoring(&server).await;
    let (flow, _, vault) = flow_with_vault_at(&cloud, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    flow.open_link(&theirs).await;
    let SessionState::Failed { error, .. } = flow.state() else {
        panic!("{:?}", flow.state())
    };
    assert!(matches!(error, Error::WrongAccount { .. }), "{error:?}");
    assert!(vault.peek().is_none());
    let store = &server.state.store;
    let them = store.user_by_login_id("mallory@example.com").await.unwrap();
    let live = store
        .live_session_count(&them.unwrap().user_id)
        .await
        .unwrap();
    assert_eq!(live, 0, "the session the link made is ended");
}

/// Mallory's way in: she signs up a phone with Ada's address as its (unverified) email, takes
/// the unbound link from her own text message, and has a page open it while Ada's app waits
/// for Ada's link. Sends that link; the URL to open.
async fn mallorys_link(server: &beckon_server::Running) -> String {
    let mallory = crate::session::phone(server);
    let user = beckon::SignUpUser {
        email: Some("ada@example.com".into()),
        ..Default::default()
    };
    mallory
        .magic_link()
        .sign_up(
            beckon::DeliveryMethod::Sms,
            "+15555550123",
            Some("beckon://auth"),
            Some(user),
        )
        .await
        .unwrap();
    magic_url(server, "+15555550123").await
}

/// How many sessions the user who signs in with `login_id` has (none when there is no such
/// user: a sign-up's user is made when its link is redeemed).
async fn live_sessions(server: &beckon_server::Running, login_id: &str) -> i64 {
    let store = &server.state.store;
    match store.user_by_login_id(login_id).await.unwrap() {
        Some(user) => store.live_session_count(&user.user_id).await.unwrap(),
        None => 0,
    }
}

/// Against Descope's cloud (proof keys ignored: the stand-in) the link redeems, and the app's
/// own check is the whole defence: the session's login IDs do not include the address asked
/// for, and its email is not verified, so the app refuses it and ends it. Before, the app
/// took it: its unverified email was the address asked for.
#[tokio::test(flavor = "multi_thread")]
async fn a_session_whose_unverified_email_is_the_address_asked_for_is_refused() {
    let server = server().await;
    let theirs = mallorys_link(&server).await;
    let cloud = proof_ignoring(&server).await;
    let (flow, _, vault) = flow_with_vault_at(&cloud, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    flow.open_link(&theirs).await;
    let SessionState::Failed { error, .. } = flow.state() else {
        panic!("{:?}", flow.state())
    };
    assert!(matches!(error, Error::WrongAccount { .. }), "{error:?}");
    assert!(vault.peek().is_none());
    assert_eq!(live_sessions(&server, "+15555550123").await, 0);
}

/// Against beckon-server the app's proof is refused on a link that carried no challenge: no
/// session is made at all, and the app is not signed in.
#[tokio::test(flavor = "multi_thread")]
async fn against_beckon_server_an_unbound_link_makes_no_session() {
    let server = server().await;
    let theirs = mallorys_link(&server).await;
    let (flow, _, vault) = flow_with_vault(&server, Timing::default(), MemoryVault::default());
    flow.send_magic_link("ada@example.com").await;
    flow.open_link(&theirs).await;
    assert!(
        matches!(flow.state(), SessionState::Failed { .. }),
        "{:?}",
        flow.state()
    );
    assert!(vault.peek().is_none());
    assert_eq!(live_sessions(&server, "+15555550123").await, 0);
}
