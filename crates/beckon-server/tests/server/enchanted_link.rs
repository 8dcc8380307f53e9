use beckon_testkit::ErrorCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::harness::{assert_error, token_of, Api, TestServer};

const PENDING_SESSION: &str = "/v1/auth/enchantedlink/pending-session";

/// The id of the refresh JWT in a session answer: the same for the same session.
fn jti(session: &serde_json::Value) -> serde_json::Value {
    crate::harness::claims(session["refreshJwt"].as_str().unwrap())["jti"].clone()
}

#[tokio::test]
async fn sign_in_sends_three_numbered_links_one_of_them_the_link_id() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    assert_eq!(started["maskedEmail"], "a***@example.com");
    let link_id = started["linkId"].as_str().unwrap();
    assert_eq!(link_id.len(), 2);
    assert!(
        started["pendingRef"].as_str().unwrap().len() >= 43,
        "at least 128 bits"
    );

    assert_eq!(links.len(), 3);
    let mut numbers: Vec<&str> = links.iter().map(|(n, _)| n.as_str()).collect();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), 3, "distinct numbers");
    assert!(numbers
        .iter()
        .all(|n| n.len() == 2 && n.parse::<u8>().is_ok()));
    assert_eq!(links.iter().filter(|(n, _)| n == link_id).count(), 1);
    for (_, url) in &links {
        assert!(url.starts_with(&format!("{}/confirm?t=", s.base)), "{url}");
    }
}

#[tokio::test]
async fn pending_until_the_right_link_then_the_session_once() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    assert_error(&s.poll(pending_ref).await, 401, ErrorCode::Pending.as_str());

    // A wrong link is refused and stays valid; the request stays pending.
    let link_id = started["linkId"].as_str().unwrap();
    let (_, wrong) = links.iter().find(|(n, _)| n != link_id).unwrap();
    assert_error(&s.verify(wrong).await, 400, ErrorCode::WrongLink.as_str());
    assert_error(&s.verify(wrong).await, 400, ErrorCode::WrongLink.as_str());
    assert_error(&s.poll(pending_ref).await, 401, ErrorCode::Pending.as_str());

    let (_, right) = links.iter().find(|(n, _)| n == link_id).unwrap();
    let (status, body) = s.verify(right).await;
    assert_eq!((status, body), (200, json!({})));

    let (status, session) = s.poll(pending_ref).await;
    assert_eq!(status, 200, "{session}");
    assert!(session["sessionJwt"].as_str().unwrap().split('.').count() == 3);
    assert!(session["refreshJwt"].as_str().unwrap().split('.').count() == 3);
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert_eq!(session["user"]["loginIds"], json!(["ada@example.com"]));
    assert_eq!(session["user"]["verifiedEmail"], true);
    assert!(session["user"]["userId"].as_str().unwrap().starts_with('U'));
    assert_eq!(session["firstSeen"], true);
    assert!(session["cookieMaxAge"].is_i64());
    assert!(session["cookieExpiration"].as_i64().unwrap() < i64::from(i32::MAX));

    // Handed out as one session: asked again within a minute (the answer may have been
    // lost), the same one; then never again. Every link is spent.
    let (status, again) = s.poll(pending_ref).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(jti(&again), jti(&session), "the same session");
    s.clock.advance(61);
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
    assert_error(&s.verify(right).await, 400, ErrorCode::NotFound.as_str());
    assert_error(&s.verify(wrong).await, 400, ErrorCode::NotFound.as_str());
}

/// Two polls of one request woken by one tap (a relaunched app's, and the held poll of the
/// app that quit, not yet seen gone): the other collects the session between this poll's
/// read and its write. This poll gets that same session, not "not found".
#[tokio::test]
async fn a_poll_that_loses_the_collection_to_another_gets_the_same_session() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};

    let s = TestServer::start().await;
    let pending_ref = s.confirmed_sign_in("ada@example.com").await;
    let api = Arc::new(Api::new(&s.base, &s.project_id));
    let other = Arc::new(Mutex::new(None));
    let once = Arc::new(AtomicBool::new(true));
    s.server.state.checkpoints.set("collect-read", {
        let (other, body) = (other.clone(), json!({"pendingRef": pending_ref}));
        move || {
            let (api, other, once, body) = (api.clone(), other.clone(), once.clone(), body.clone());
            async move {
                // Once: the other poll, which passes this point itself, and collects.
                if once.swap(false, Ordering::SeqCst) {
                    let answer = api.post(PENDING_SESSION, None, body).await;
                    *other.lock().unwrap() = Some(answer);
                }
            }
        }
    });
    let (status, session) = s.poll(&pending_ref).await;
    assert_eq!(status, 200, "{session}");
    let (status, collected) = other.lock().unwrap().take().expect("the other poll ran");
    assert_eq!(status, 200, "{collected}");
    assert_eq!(jti(&session), jti(&collected), "the same session");
}

/// The same session again only while it is untouched: once its refresh JWT was used (the
/// device got it after all) or it was signed out, the pendingRef yields nothing more.
#[tokio::test]
async fn a_collected_session_is_not_handed_out_again_once_it_was_used() {
    let s = TestServer::start().await;
    let pending_ref = &s.confirmed_sign_in("ada@example.com").await;
    let (_, session) = s.poll(pending_ref).await;
    let (status, _) = s
        .post_as(
            session["refreshJwt"].as_str().unwrap(),
            "/v1/auth/refresh",
            json!({}),
        )
        .await;
    assert_eq!(status, 200);
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
}

#[tokio::test]
async fn expired_links_and_requests_say_so() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    s.clock.advance(301);
    assert_error(&s.poll(pending_ref).await, 400, ErrorCode::Expired.as_str());
    let link_id = started["linkId"].as_str().unwrap();
    let (_, right) = links.iter().find(|(n, _)| n == link_id).unwrap();
    assert_error(&s.verify(right).await, 400, ErrorCode::Expired.as_str());
    assert_error(&s.poll(pending_ref).await, 400, ErrorCode::Expired.as_str());
}

#[tokio::test]
async fn unknown_refs_and_tokens_are_not_found() {
    let s = TestServer::start().await;
    assert_error(
        &s.poll("no-such-ref").await,
        400,
        ErrorCode::NotFound.as_str(),
    );
    assert_error(
        &s.post("/v1/auth/enchantedlink/verify", json!({"token": "nope"}))
            .await,
        400,
        ErrorCode::NotFound.as_str(),
    );
}

#[tokio::test]
async fn sign_in_needs_an_existing_user_and_sign_up_a_new_one() {
    let s = TestServer::start().await;
    assert_error(
        &s.post(
            "/v1/auth/enchantedlink/signin/email",
            json!({"loginId": "new@example.com"}),
        )
        .await,
        400,
        ErrorCode::UserNotFound.as_str(),
    );
    let first = s.sign_up("ada@example.com").await;
    let user_id = first["user"]["userId"].clone();
    assert_error(
        &s.post(
            "/v1/auth/enchantedlink/signup/email",
            json!({"loginId": "ada@example.com"}),
        )
        .await,
        400,
        ErrorCode::UserExists.as_str(),
    );
    // Signing in again keeps the same user, and it is no longer first seen.
    let (status, started) = s
        .post(
            "/v1/auth/enchantedlink/signin/email",
            json!({"loginId": "Ada@Example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let links = s.links_to("ada@example.com").await;
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(url).await.0, 200);
    let (_, again) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    assert_eq!(again["user"]["userId"], user_id);
    assert_eq!(again["firstSeen"], false);
}

#[tokio::test]
async fn sign_up_keeps_the_name_and_takes_the_sdks_request_shapes() {
    let s = TestServer::start().await;
    // Python's sign-up body (as captured from it, docs/wire.md §3.3), with nulls and a URI carrying a query.
    let (status, started) = s
        .post(
            "/v1/auth/enchantedlink/signup/email",
            json!({
                "loginId": "grace@example.com",
                "URI": "https://app.example.com/verify?from=mail",
                "loginOptions": {"stepup": false, "customClaims": null, "mfa": false},
                "user": {"name": "Grace Hopper", "email": "grace@example.com"},
                "email": "grace@example.com"
            }),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let links = s.links_to("grace@example.com").await;
    assert!(links
        .iter()
        .all(|(_, url)| url.starts_with("https://app.example.com/verify?from=mail&t=")));
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(url).await.0, 200);
    let (_, session) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    assert_eq!(session["user"]["name"], "Grace Hopper");

    for field in ["redirectUrl", "uri"] {
        let email = format!("{field}@example.com").to_lowercase();
        let (status, _) = s
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": email, field: "https://app.example.com/cb"}),
            )
            .await;
        assert_eq!(status, 200);
        let links = s.links_to(&email).await;
        assert!(links
            .iter()
            .all(|(_, u)| u.starts_with("https://app.example.com/cb?t=")));
    }
}

#[tokio::test]
async fn bad_input_gets_a_wire_error_and_changes_nothing() {
    let s = TestServer::start().await;
    let path = "/v1/auth/enchantedlink/signup-in/email";
    assert_error(
        &s.post_raw(path, "{\"loginId\":").await,
        400,
        ErrorCode::BadRequest.as_str(),
    );
    assert_error(
        &s.post_raw(path, "[1,2]").await,
        400,
        ErrorCode::BadRequest.as_str(),
    );
    assert_error(
        &s.post_raw(path, "{\"loginId\": 5}").await,
        400,
        ErrorCode::BadRequest.as_str(),
    );
    assert_error(
        &s.post_raw(path, "").await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert_error(
        &s.post(path, json!({"loginId": null})).await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert_error(
        &s.post(path, json!({"loginId": "not-an-email"})).await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    assert_error(
        &s.post(path, json!({"loginId": "a@b.co", "URI": "::nope"}))
            .await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    let huge = format!("{{\"loginId\":\"{}@example.com\"}}", "a".repeat(100_000));
    assert_error(
        &s.post_raw(path, &huge).await,
        413,
        ErrorCode::BadRequest.as_str(),
    );
    assert_error(
        &s.post_raw(PENDING_SESSION, "").await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert_error(
        &s.post_raw("/v1/auth/enchantedlink/verify", "{}").await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert!(s.outbox().await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_bearer_must_name_this_project() {
    let s = TestServer::start().await;
    let url = format!("{}/v1/auth/enchantedlink/signup-in/email", s.base);
    let body = json!({"loginId": "ada@example.com"});
    let none = s.http.post(&url).json(&body).send().await.unwrap();
    assert_eq!(none.status(), 401);
    let json: serde_json::Value = none.json().await.unwrap();
    assert_eq!(json["errorCode"], ErrorCode::MissingProject.as_str());
    let other = s
        .http
        .post(&url)
        .bearer_auth("P2OPANdSmtackRAJlrRKFxFcoriw")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 401);
    // Three-part bearers (project, refresh JWT, management key) are accepted.
    let three = s
        .http
        .post(&url)
        .bearer_auth(format!("{}:a.b.c:mgmt", s.project_id))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(three.status(), 200);
    assert_eq!(s.outbox().await.len(), 1);
}

#[tokio::test]
async fn secrets_are_stored_only_as_hashes() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    let store = &s.server.state.store;
    assert!(store
        .pending(pending_ref.as_bytes())
        .await
        .unwrap()
        .is_none());
    let hashed = Sha256::digest(pending_ref.as_bytes());
    assert!(store.pending(&hashed).await.unwrap().is_some());
    let token = token_of(&links[0].1);
    assert!(store.link(token.as_bytes()).await.unwrap().is_none());
    assert!(store
        .link(&Sha256::digest(token.as_bytes()))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn every_answer_is_json_even_unknown_paths() {
    let s = TestServer::start().await;
    let (status, body) = s.post("/v1/auth/nothing-here", json!({})).await;
    assert_eq!(status, 404);
    assert!(body["errorCode"].is_string());
}

#[tokio::test]
async fn concurrent_confirmations_sign_in_once_and_never_fail_inside() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (http, url) = (
            s.http.clone(),
            format!("{}/v1/auth/enchantedlink/verify", s.base),
        );
        let (bearer, token) = (format!("Bearer {}", s.project_id), token_of(right));
        tasks.spawn(async move {
            let r = http
                .post(url)
                .header("Authorization", bearer)
                .json(&json!({"token": token}));
            let response = r.send().await.unwrap();
            (
                response.status().as_u16(),
                response.json::<serde_json::Value>().await.unwrap(),
            )
        });
    }
    let answers = tasks.join_all().await;
    let statuses: Vec<u16> = answers.iter().map(|(status, _)| *status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert!(answers
        .iter()
        .filter(|(status, _)| *status != 200)
        .all(|(status, body)| *status == 400 && body["errorCode"] == ErrorCode::NotFound.as_str()));
}

#[tokio::test]
async fn two_sign_ups_of_one_new_address_make_one_user() {
    let s = TestServer::start().await;
    let (first, _) = s.start_link("ada@example.com").await;
    let first_links = s.links_to("ada@example.com").await;
    let (second, _) = s.start_link("ada@example.com").await;
    let second_links = s.links_to("ada@example.com").await;
    let url = |links: &[(String, String)], id: &serde_json::Value| {
        links.iter().find(|(n, _)| n == id).unwrap().1.clone()
    };
    let (first_url, second_url) = (
        url(&first_links, &first["linkId"]),
        url(&second_links, &second["linkId"]),
    );
    let (a, b) = tokio::join!(s.verify(&first_url), s.verify(&second_url));
    assert_eq!((a.0, b.0), (200, 200));
    let (_, one) = s.poll(first["pendingRef"].as_str().unwrap()).await;
    let (_, two) = s.poll(second["pendingRef"].as_str().unwrap()).await;
    assert_eq!(one["user"]["userId"], two["user"]["userId"]);
    assert_ne!(
        one["firstSeen"], two["firstSeen"],
        "only one of them created the user"
    );
}

/// Handing out a confirmed session is one transaction: a database failure while starting the
/// session leaves the sign-in collectable, so the person's tap is not lost. Before, the
/// request was marked collected first, and a failure after that burned it ("not found").
/// The failure is forced with a trigger on the sessions table.
#[tokio::test]
async fn a_failure_while_starting_the_session_does_not_burn_the_confirmed_sign_in() {
    let (s, side, _dir) =
        TestServer::on_sqlite_file(beckon_server::config::Config::for_tests()).await;
    let pending_ref = &s.confirmed_sign_in("ada@example.com").await;
    sqlx::query(
        "CREATE TRIGGER sessions_fail BEFORE INSERT ON sessions \
         BEGIN SELECT RAISE(ABORT, 'the disk is full'); END",
    )
    .execute(&side)
    .await
    .unwrap();
    assert_error(
        &s.poll(pending_ref).await,
        500,
        ErrorCode::Internal.as_str(),
    );

    sqlx::query("DROP TRIGGER sessions_fail")
        .execute(&side)
        .await
        .unwrap();
    let (status, session) = s.poll(pending_ref).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "ada@example.com");
    s.clock.advance(61);
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
}

/// A corrupt row is an error the request reports, never a default: before, a `method` no
/// version writes was read as "enchanted" and the poll went on as if nothing were wrong.
#[tokio::test]
async fn a_corrupt_row_is_reported_not_read_as_a_default() {
    let (s, side, _dir) =
        TestServer::on_sqlite_file(beckon_server::config::Config::for_tests()).await;
    let (started, _) = s.start_link("ada@example.com").await;
    sqlx::query("UPDATE pending_logins SET method = 'carrier-pigeon'")
        .execute(&side)
        .await
        .unwrap();
    let pending_ref = started["pendingRef"].as_str().unwrap();
    assert_error(
        &s.poll(pending_ref).await,
        500,
        ErrorCode::Internal.as_str(),
    );
}

/// A confirmed sign-in waits for its device while its links would be valid (and a minute
/// after the tap), not for the hour the request is kept; before, it could be collected up to
/// an hour after the links expired.
#[tokio::test]
async fn a_confirmed_sign_in_is_not_handed_out_long_after_its_links_expired() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    s.clock.advance(290);
    assert_eq!(s.verify(right).await.0, 200);
    // Past the links' expiry, but within a minute of the tap: still handed out…
    s.clock.advance(50);
    let (started2, links2) = s.start_link("bob@example.com").await;
    let (status, _) = s.poll(pending_ref).await;
    assert_eq!(status, 200);
    // …and a sign-in confirmed but left waiting is not, later.
    let bob_ref = started2["pendingRef"].as_str().unwrap();
    let (_, bob_right) = links2
        .iter()
        .find(|(n, _)| *n == started2["linkId"])
        .unwrap();
    assert_eq!(s.verify(bob_right).await.0, 200);
    s.clock.advance(301);
    assert_error(&s.poll(bob_ref).await, 400, ErrorCode::Expired.as_str());
}
