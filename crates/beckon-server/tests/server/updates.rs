//! Update email and update phone (docs/wire.md §4.6, §4.7, §5.5, §5.6): the signed-in user's new
//! address is confirmed by its link before it replaces the old one; `addToLoginIDs` makes it
//! a login ID; two users who meet over one login ID merge as `onMergeUseExisting` says, only
//! when the server is set to merge users, and then the message and page say so.

use beckon_testkit::ErrorCode;
use serde_json::{json, Value};

use crate::harness::{assert_error, config_with, TestServer};

/// A server that merges users on update (`merge_users_on_update`).
async fn merging() -> TestServer {
    TestServer::with_config(config_with(beckon_server::config::Settings {
        merge_users_on_update: Some(true),
        ..Default::default()
    }))
    .await
}

/// By default an update never takes another user's login ID: before this, one tap by Bob on
/// "Confirm your new email address" deleted his user and handed his address to Ada.
#[tokio::test]
async fn by_default_an_update_to_another_users_login_id_is_refused() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let before = s.outbox().await.len();
    let summary = s.server.state.store.state_summary().await.unwrap();
    for path in [
        "/v1/auth/magiclink/update/email",
        "/v1/auth/enchantedlink/update/email",
    ] {
        let refused = s
            .post_as(
                &refresh_of(&ada),
                path,
                json!({"loginId": "ada@example.com", "email": "Bob@Example.com",
                       "addToLoginIDs": true}),
            )
            .await;
        assert_error(&refused, 400, ErrorCode::UserExists.as_str());
        assert!(
            refused.1["errorMessage"]
                .as_str()
                .unwrap()
                .contains("merge_users_on_update"),
            "{refused:?}"
        );
    }
    assert_eq!(s.outbox().await.len(), before, "nothing was sent to Bob");
    assert_eq!(s.server.state.store.state_summary().await.unwrap(), summary);
    let (status, me) = s.me(&refresh_of(&bob)).await;
    assert_eq!(status, 200);
    assert_eq!(me["loginIds"], json!(["bob@example.com"]));
}

/// A request started while merges were on and confirmed after they were turned off does not
/// merge either.
#[tokio::test]
async fn a_merge_is_checked_again_when_the_link_is_confirmed() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("beckon.db").display());
    let mut config = config_with(beckon_server::config::Settings {
        merge_users_on_update: Some(true),
        ..Default::default()
    });
    // A file both servers open in turn.
    config.database = Some(database);
    let s = TestServer::with_config(config.clone()).await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let (status, _) = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/magiclink/update/email",
            json!({"loginId": "ada@example.com", "email": "bob@example.com",
                   "addToLoginIDs": true}),
        )
        .await;
    assert_eq!(status, 200);
    let token = s.magic_token_to("bob@example.com").await;
    s.server.stop().await.unwrap();

    config.merge_users_on_update = false;
    let s = TestServer::with_config(config).await;
    let refused = s
        .post("/v1/auth/magiclink/verify", json!({"token": token}))
        .await;
    assert_error(&refused, 400, ErrorCode::UserExists.as_str());
    let (status, me) = s.me(&refresh_of(&bob)).await;
    assert_eq!(status, 200, "Bob is still there");
    assert_eq!(me["loginIds"], json!(["bob@example.com"]));
}

/// With merges on, Bob is told before he taps what his tap does, in the message and on the
/// page behind the link.
#[tokio::test]
async fn with_merges_on_the_message_and_page_say_which_account_stays() {
    let s = merging().await;
    let ada = s.sign_up("ada@example.com").await;
    s.sign_up("bob@example.com").await;
    let (status, _) = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/enchantedlink/update/email",
            json!({"loginId": "ada@example.com", "email": "bob@example.com",
                   "addToLoginIDs": true}),
        )
        .await;
    assert_eq!(status, 200);
    let message = s.outbox().await[0].clone();
    let text = message["text"].as_str().unwrap();
    let expected = "the account that signs in with bob@example.com is merged into the account \
                    of ada@example.com, which stays";
    assert!(text.contains(expected), "{text}");
    assert!(message["html"].as_str().unwrap().contains(expected));
    let url = message["links"][0]["url"].as_str().unwrap();
    let page = s.http.get(url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("data-testid=\"merge\""), "{page}");
    assert!(page.contains(expected), "{page}");
}

fn refresh_of(session: &Value) -> String {
    session["refreshJwt"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn magic_update_email_replaces_the_address_only_once_confirmed() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let refresh = refresh_of(&ada);

    // Python's body, exactly (as captured from it, docs/wire.md §4.6), with the refresh JWT in the bearer.
    let (status, body) = s
        .post_as(
            &refresh,
            "/v1/auth/magiclink/update/email",
            json!({"loginId": "ada@example.com", "email": "Ada@New.example",
                   "addToLoginIDs": false, "onMergeUseExisting": false}),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"maskedEmail": "a***@new.example"}))
    );
    let message = s.outbox().await.remove(0);
    assert_eq!(message["to"], "ada@new.example");
    assert!(
        message["subject"].as_str().unwrap().contains("Confirm"),
        "{message}"
    );

    // Nothing changes until the link is opened.
    let (_, me) = s.me(&refresh).await;
    assert_eq!(me["email"], "ada@example.com");

    let session = s.open_magic_link("ada@new.example").await;
    assert_eq!(session["user"]["userId"], ada["user"]["userId"]);
    assert_eq!(session["user"]["email"], "ada@new.example");
    assert_eq!(session["user"]["verifiedEmail"], true);
    assert_eq!(session["user"]["loginIds"], json!(["ada@example.com"]));
    assert_eq!(session["firstSeen"], false);
    let (_, me) = s.me(&refresh).await;
    assert_eq!(me["email"], "ada@new.example");

    // The link is spent.
    let token = s.magic_token_to("ada@new.example").await;
    assert_error(
        &s.post("/v1/auth/magiclink/verify", json!({"token": token}))
            .await,
        400,
        ErrorCode::NotFound.as_str(),
    );

    // Signing in with the old login ID now reaches the new address; the new address is not a
    // login ID, because addToLoginIDs was false.
    let (status, body) = s
        .post(
            "/v1/auth/magiclink/signin/email",
            json!({"loginId": "ada@example.com"}),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"maskedEmail": "a***@new.example"}))
    );
    assert_eq!(s.outbox().await[0]["to"], "ada@new.example");
    assert_error(
        &s.post(
            "/v1/auth/magiclink/signin/email",
            json!({"loginId": "ada@new.example"}),
        )
        .await,
        400,
        ErrorCode::UserNotFound.as_str(),
    );
}

#[tokio::test]
async fn add_to_login_ids_lets_the_new_address_sign_in() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;

    // Node's body (as captured from it, docs/wire.md §4.6): URI and both flags.
    let (status, _) = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/magiclink/update/email",
            json!({"loginId": "ada@example.com", "email": "ada@work.example",
                   "URI": "https://app.example/verify", "addToLoginIDs": true,
                   "onMergeUseExisting": true}),
        )
        .await;
    assert_eq!(status, 200);
    let links = s.links_to("ada@work.example").await;
    assert!(links[0].1.starts_with("https://app.example/verify?t="));

    let session = s.open_magic_link("ada@work.example").await;
    assert_eq!(
        session["user"]["loginIds"],
        json!(["ada@example.com", "ada@work.example"])
    );
    let (status, _) = s
        .post(
            "/v1/auth/magiclink/signin/email",
            json!({"loginId": "ada@work.example"}),
        )
        .await;
    assert_eq!(status, 200);
    let again = s.open_magic_link("ada@work.example").await;
    assert_eq!(again["user"]["userId"], ada["user"]["userId"]);
}

#[tokio::test]
async fn an_update_needs_the_refresh_jwt_and_one_of_its_users_login_ids() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let outbox_before = s.outbox().await.len();
    let path = "/v1/auth/magiclink/update/email";
    let body = json!({"loginId": "ada@example.com", "email": "ada@new.example"});

    // No refresh JWT: the project alone does not say who is signed in.
    assert_error(
        &s.post(path, body.clone()).await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
    // Bob's session cannot change Ada's address.
    assert_error(
        &s.post_as(&refresh_of(&bob), path, body.clone()).await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    let ada_refresh = refresh_of(&ada);
    for (bad, code) in [
        (
            json!({"loginId": "ada@example.com"}),
            ErrorCode::MissingArguments.as_str(),
        ),
        (
            json!({"loginId": "ada@example.com", "email": "nope"}),
            ErrorCode::InvalidRequest.as_str(),
        ),
        (
            json!({"email": "ada@new.example"}),
            ErrorCode::MissingArguments.as_str(),
        ),
        (
            json!({"loginId": "ada@example.com", "email": "a@b.co", "addToLoginIDs": "yes"}),
            ErrorCode::BadRequest.as_str(),
        ),
    ] {
        assert_error(&s.post_as(&ada_refresh, path, bad).await, 400, code);
    }
    assert_error(
        &s.post_as(
            &ada_refresh,
            "/v1/auth/magiclink/update/phone/sms",
            json!({"loginId": "ada@example.com", "phone": "555-0100"}),
        )
        .await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );

    // A signed-out session cannot start an update.
    let (status, _) = s.post_as(&ada_refresh, "/v1/auth/logout", json!({})).await;
    assert_eq!(status, 200);
    assert_error(
        &s.post_as(&ada_refresh, path, body).await,
        401,
        ErrorCode::LoggedOut.as_str(),
    );

    assert_eq!(s.outbox().await.len(), outbox_before, "nothing was sent");
}

#[tokio::test]
async fn a_merge_keeps_the_updating_user_by_default() {
    let s = merging().await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;

    let (status, _) = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/magiclink/update/email",
            json!({"loginId": "ada@example.com", "email": "bob@example.com",
                   "addToLoginIDs": true}),
        )
        .await;
    assert_eq!(status, 200);
    let session = s.open_magic_link("bob@example.com").await;
    assert_eq!(session["user"]["userId"], ada["user"]["userId"]);
    assert_eq!(
        session["user"]["loginIds"],
        json!(["ada@example.com", "bob@example.com"])
    );
    assert_eq!(session["user"]["email"], "bob@example.com");

    // Bob's user is gone, and its sessions with it.
    assert_error(
        &s.me(&refresh_of(&bob)).await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
    let (status, _) = s.me(&refresh_of(&ada)).await;
    assert_eq!(status, 200, "the updating user's session goes on");
}

#[tokio::test]
async fn on_merge_use_existing_keeps_the_other_user_instead() {
    let s = merging().await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;

    let (status, _) = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/magiclink/update/email",
            json!({"loginId": "ada@example.com", "email": "bob@example.com",
                   "addToLoginIDs": true, "onMergeUseExisting": true}),
        )
        .await;
    assert_eq!(status, 200);
    let session = s.open_magic_link("bob@example.com").await;
    assert_eq!(session["user"]["userId"], bob["user"]["userId"]);
    let mut login_ids: Vec<&str> = session["user"]["loginIds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    login_ids.sort_unstable();
    assert_eq!(login_ids, ["ada@example.com", "bob@example.com"]);

    // The refresh JWT that started the update belonged to the deleted user.
    assert_error(
        &s.me(&refresh_of(&ada)).await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
    let (status, me) = s.me(&refresh_of(&bob)).await;
    assert_eq!(status, 200);
    assert_eq!(me["loginIds"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn an_enchanted_update_completes_through_pending_session() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;

    // Go's body: crossDevice, URI left out.
    let (status, started) = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/enchantedlink/update/email",
            json!({"loginId": "ada@example.com", "email": "ada@new.example",
                   "addToLoginIDs": true, "crossDevice": true}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["maskedEmail"], "a***@new.example");
    let pending_ref = started["pendingRef"].as_str().unwrap();
    assert_error(&s.poll(pending_ref).await, 401, ErrorCode::Pending.as_str());

    let links = s.links_to("ada@new.example").await;
    assert_eq!(links.len(), 3);
    let (_, wrong) = links.iter().find(|(n, _)| *n != started["linkId"]).unwrap();
    assert_error(&s.verify(wrong).await, 400, ErrorCode::WrongLink.as_str());
    let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(right).await.0, 200);

    let (status, session) = s.poll(pending_ref).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["userId"], ada["user"]["userId"]);
    assert_eq!(session["user"]["email"], "ada@new.example");
    assert_eq!(
        session["user"]["loginIds"],
        json!(["ada@example.com", "ada@new.example"])
    );
    s.clock.advance(61);
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
}

#[tokio::test]
async fn update_phone_by_either_spelling_and_by_enchanted_link() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let refresh = refresh_of(&ada);

    // Python: no method suffix.
    let (status, body) = s
        .post_as(
            &refresh,
            "/v1/auth/magiclink/update/phone",
            json!({"loginId": "ada@example.com", "phone": "+1 415 555 0100",
                   "addToLoginIDs": false, "onMergeUseExisting": false}),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"maskedPhone": "+*******0100"}))
    );
    let session = s.open_magic_link("+14155550100").await;
    assert_eq!(session["user"]["phone"], "+14155550100");
    assert_eq!(session["user"]["verifiedPhone"], true);
    let claims = crate::harness::claims(session["sessionJwt"].as_str().unwrap());
    assert_eq!(claims["amr"], json!(["sms"]));

    // Node and Go: /sms, and the new number becomes a login ID.
    let (status, body) = s
        .post_as(
            &refresh,
            "/v1/auth/magiclink/update/phone/sms",
            json!({"loginId": "ada@example.com", "phone": "+14155550111",
                   "addToLoginIDs": true}),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"maskedPhone": "+*******0111"}))
    );
    let session = s.open_magic_link("+14155550111").await;
    assert_eq!(
        session["user"]["loginIds"],
        json!(["ada@example.com", "+14155550111"])
    );

    // Python's enchanted-link update phone: three links by SMS, maskedPhone.
    let (status, started) = s
        .post_as(
            &refresh,
            "/v1/auth/enchantedlink/update/phone/sms",
            json!({"loginId": "+14155550111", "phone": "+14155550122"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["maskedPhone"], "+*******0122");
    assert!(started["linkId"].is_string() && started["pendingRef"].is_string());
    assert_eq!(s.links_to("+14155550122").await.len(), 3);
}

#[tokio::test]
async fn a_disabled_user_is_never_merged_into_another() {
    let s = merging().await;
    let ada = s.sign_up("ada@example.com").await;
    let _ = s.sign_up("bob@example.com").await;
    beckon_server::admin::set_disabled(
        &s.server.state.store,
        &beckon_server::admin::Operator::cli(),
        s.clock_now(),
        beckon_server::admin::Who::LoginId("bob@example.com"),
        true,
    )
    .await
    .unwrap();
    let outbox_before = s.outbox().await.len();
    let refused = s
        .post_as(
            &refresh_of(&ada),
            "/v1/auth/magiclink/update/email",
            json!({"loginId": "ada@example.com", "email": "bob@example.com",
                   "addToLoginIDs": true}),
        )
        .await;
    assert_error(&refused, 401, ErrorCode::UserDisabled.as_str());
    assert_eq!(s.outbox().await.len(), outbox_before, "nothing was sent");
    let (_, me) = s.me(&refresh_of(&ada)).await;
    assert_eq!(me["loginIds"], json!(["ada@example.com"]));
}
