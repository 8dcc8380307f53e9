//! Session endpoints on the wire: the request shapes each SDK sends (docs/wire.md §6, §0.8).

use beckon_testkit::ErrorCode;
use serde_json::Value;

use crate::harness::{assert_error, claims, config_with, TestServer};

async fn send(
    s: &TestServer,
    path: &str,
    bearer: &str,
    body: Option<&str>,
    cookie: Option<&str>,
) -> (u16, Value) {
    let mut request = s
        .http
        .post(format!("{}{path}", s.base))
        .header("Authorization", format!("Bearer {bearer}"))
        .header("Content-Type", "application/json");
    if let Some(body) = body {
        request = request.body(body.to_owned());
    }
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn refresh_takes_go_s_empty_body_a_three_part_bearer_and_the_dsr_cookie() {
    let s = TestServer::start().await;
    let session = s.sign_up("ada@example.com").await;
    let refresh = session["refreshJwt"].as_str().unwrap();
    let pid = &s.project_id;

    // Go: no body at all, Content-Type still JSON.
    let (status, body) = send(
        &s,
        "/v1/auth/refresh",
        &format!("{pid}:{refresh}"),
        None,
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["user"]["email"], "ada@example.com");
    let rotated = body["refreshJwt"].as_str().unwrap().to_owned();
    assert_ne!(rotated, refresh);

    // An SDK set up with an auth management key sends three parts.
    let three = format!("{pid}:{rotated}:K2managementkey");
    let (status, _) = send(&s, "/v1/auth/refresh", &three, Some("{}"), None).await;
    assert_eq!(status, 200);

    // The refresh JWT may come as the DSR cookie instead.
    let (status, _) = send(
        &s,
        "/v1/auth/refresh",
        pid,
        Some("{}"),
        Some(&format!("x=1; DSR={rotated}")),
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn refresh_without_a_token_is_401_and_try_refresh_is_empty() {
    let s = TestServer::start().await;
    let pid = s.project_id.clone();
    assert_error(
        &send(&s, "/v1/auth/refresh", &pid, None, None).await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
    let (status, body) = send(&s, "/v1/auth/try-refresh", &pid, None, None).await;
    assert_eq!((status, body), (200, serde_json::json!({})));
    assert_error(
        &send(&s, "/v1/auth/refresh", &pid, Some("{nope"), None).await,
        400,
        ErrorCode::BadRequest.as_str(),
    );
}

#[tokio::test]
async fn logout_and_logoutall_answer_json_and_revoke() {
    let s = TestServer::start().await;
    let one = s.sign_up("ada@example.com").await["refreshJwt"]
        .as_str()
        .unwrap()
        .to_owned();
    let pid = s.project_id.clone();
    let (status, body) = send(&s, "/v1/auth/logout", &format!("{pid}:{one}"), None, None).await;
    assert_eq!((status, body), (200, serde_json::json!({})));
    assert_error(
        &send(&s, "/v1/auth/refresh", &format!("{pid}:{one}"), None, None).await,
        401,
        ErrorCode::LoggedOut.as_str(),
    );

    let (started, links) = s.start_link("ada@example.com").await;
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    s.verify(url).await;
    let (_, two) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    let two = two["refreshJwt"].as_str().unwrap();
    let (status, _) = send(
        &s,
        "/v1/auth/logoutall",
        &format!("{pid}:{two}"),
        Some("{}"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_error(
        &send(&s, "/v1/auth/refresh", &format!("{pid}:{two}"), None, None).await,
        401,
        ErrorCode::LoggedOut.as_str(),
    );
}

#[tokio::test]
async fn me_is_a_get_with_the_refresh_jwt() {
    let s = TestServer::start().await;
    let session = s.sign_up("ada@example.com").await;
    let refresh = session["refreshJwt"].as_str().unwrap();
    let me: Value = s
        .http
        .get(format!("{}/v1/auth/me", s.base))
        .header(
            "Authorization",
            format!("Bearer {}:{refresh}", s.project_id),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "ada@example.com");
    assert_eq!(me["userId"], session["user"]["userId"]);
    assert_eq!(me["loginIds"], serde_json::json!(["ada@example.com"]));
}

#[tokio::test]
async fn refresh_jwts_carry_an_id_and_expire() {
    let s = TestServer::start().await;
    let session = s.sign_up("ada@example.com").await;
    let refresh = session["refreshJwt"].as_str().unwrap();
    let pid = s.project_id.clone();
    s.clock.advance(2_592_000 + 6);
    assert_error(
        &send(
            &s,
            "/v1/auth/refresh",
            &format!("{pid}:{refresh}"),
            None,
            None,
        )
        .await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
}

/// `(status, body)` of a refresh with `refresh_jwt`.
async fn refresh(s: &TestServer, refresh_jwt: &str) -> (u16, Value) {
    s.post_as(refresh_jwt, "/v1/auth/refresh", serde_json::json!({}))
        .await
}

fn jti_of(body: &Value) -> String {
    claims(body["refreshJwt"].as_str().unwrap())["jti"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Before, one refresh JWT replayed within the grace forked into independent chains, each
/// good for 30 days; now every replay gets the one successor.
#[tokio::test]
async fn a_refresh_jwt_replayed_within_the_grace_gets_the_same_successor() {
    let s = TestServer::start().await;
    let first = s.sign_up("ada@example.com").await["refreshJwt"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, a) = refresh(&s, &first).await;
    assert_eq!(status, 200);
    s.clock.advance(10);
    let (status, b) = refresh(&s, &first).await;
    assert_eq!(status, 200);
    assert_eq!(jti_of(&a), jti_of(&b), "one successor, not a fork");
    // The successor's expiry is the one it was made with.
    assert_eq!(
        claims(a["refreshJwt"].as_str().unwrap())["exp"],
        claims(b["refreshJwt"].as_str().unwrap())["exp"]
    );
    let live = s.server.state.store.state_summary().await.unwrap();
    assert!(live.contains(&("refresh_tokens", 1)), "{live:?}");
}

/// Two refreshes of one token at once: the second rotation, finding the token rotated, gets
/// the first one's successor (forced here by rotating the same stored row twice).
#[tokio::test]
async fn two_rotations_of_one_token_at_once_make_one_successor() {
    let s = TestServer::start().await;
    let session = s.sign_up("ada@example.com").await;
    let jti = claims(session["refreshJwt"].as_str().unwrap())["jti"]
        .as_str()
        .unwrap()
        .to_owned();
    let store = &s.server.state.store;
    let old = store.refresh_token(&jti).await.unwrap().unwrap();
    let now = s.clock_now();
    let refreshed = beckon_server::audit::Event::new(
        beckon_server::audit::Action::SessionRefreshed,
        beckon_server::audit::Via::Session,
    )
    .row(now);
    let first = store
        .rotate_refresh(&old, "J1", now + 100, now, &refreshed)
        .await
        .unwrap();
    let second = store
        .rotate_refresh(&old, "J2", now + 200, now, &refreshed)
        .await
        .unwrap();
    assert_eq!(first, ("J1".to_owned(), now + 100));
    assert_eq!(second, first);
    assert!(store.refresh_token("J2").await.unwrap().is_none());
}

/// RFC 9700 §4.14.2: a rotated-out refresh JWT used after the grace means two parties hold
/// the session; it ends for both. Before, the reuse got a 401 and the thief's chain lived on.
#[tokio::test]
async fn a_refresh_jwt_reused_after_the_grace_ends_the_session_for_every_holder() {
    let s = TestServer::start().await;
    let first = s.sign_up("ada@example.com").await["refreshJwt"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, next) = refresh(&s, &first).await;
    let next = next["refreshJwt"].as_str().unwrap().to_owned();
    let (status, newest) = refresh(&s, &next).await;
    assert_eq!(status, 200);
    let newest = newest["refreshJwt"].as_str().unwrap().to_owned();

    s.clock.advance(31);
    assert_error(
        &refresh(&s, &first).await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
    for holder in [&next, &newest] {
        assert_error(
            &refresh(&s, holder).await,
            401,
            ErrorCode::LoggedOut.as_str(),
        );
        assert_error(&s.me(holder).await, 401, ErrorCode::LoggedOut.as_str());
    }
}

/// Refreshes renew a session's JWTs up to its absolute end (session_lifetime), not past it.
#[tokio::test]
async fn a_session_ends_at_its_lifetime_however_often_it_is_refreshed() {
    let s = TestServer::with_config(crate::harness::config_with(
        beckon_server::config::Settings {
            session_lifetime: Some(3_600),
            ..Default::default()
        },
    ))
    .await;
    let started = s.clock_now();
    let mut token = s.sign_up("ada@example.com").await["refreshJwt"]
        .as_str()
        .unwrap()
        .to_owned();
    for _ in 0..5 {
        s.clock.advance(700);
        let (status, body) = refresh(&s, &token).await;
        assert_eq!(status, 200, "{body}");
        token = body["refreshJwt"].as_str().unwrap().to_owned();
        let c = claims(&token);
        assert!(c["exp"].as_i64().unwrap() <= started + 3_600, "{c}");
        let session = claims(body["sessionJwt"].as_str().unwrap());
        assert!(session["exp"].as_i64().unwrap() <= started + 3_600);
    }
    s.clock.advance(200);
    let refused = refresh(&s, &token).await;
    assert_error(&refused, 401, ErrorCode::InvalidRefresh.as_str());
}

/// How many `session.refreshed` events the audit trail holds.
async fn refreshes_audited(s: &TestServer) -> usize {
    let filter = beckon_server::store::AuditFilter {
        actions: vec!["session.refreshed".into()],
        limit: 1000,
        ..Default::default()
    };
    s.server
        .state
        .store
        .search_audit(&filter)
        .await
        .unwrap()
        .0
        .len()
}

/// A replay inside the grace gets the successor already made, and writes nothing: before,
/// each replay wrote an audit row kept 90 days, so a signed-up person could fill the disk.
#[tokio::test]
async fn a_refresh_replayed_within_the_grace_writes_no_audit_row() {
    let s = TestServer::start().await;
    let first = s.sign_up("ada@example.com").await["refreshJwt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(refresh(&s, &first).await.0, 200);
    assert_eq!(refreshes_audited(&s).await, 1);
    for _ in 0..5 {
        assert_eq!(refresh(&s, &first).await.0, 200);
    }
    assert_eq!(refreshes_audited(&s).await, 1, "replays are not events");
}

/// Refresh, try-refresh, `me` and logout are limited per session: over the limit, refresh,
/// try-refresh and `me` answer 500 `E130429` with `Retry-After` (never a 4xx, on which
/// `@descope/web-js-sdk` deletes its stored tokens, and never 503, which the SDKs retry),
/// and logout 429. Before, nothing limited them.
#[tokio::test]
async fn session_calls_are_limited_per_session_without_signing_anyone_out() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        limit_session_per_session: Some("3/60".into()),
        ..Default::default()
    }))
    .await;
    let session = s.sign_up("ada@example.com").await;
    let mut jwt = session["refreshJwt"].as_str().unwrap().to_owned();
    for _ in 0..3 {
        let (status, body) = refresh(&s, &jwt).await;
        assert_eq!(status, 200, "{body}");
        jwt = body["refreshJwt"].as_str().unwrap().to_owned();
    }
    let over = s
        .http
        .post(format!("{}/v1/auth/refresh", s.base))
        .header("Authorization", format!("Bearer {}:{jwt}", s.project_id))
        .send()
        .await
        .unwrap();
    assert_eq!(over.status(), 500);
    assert!(over.headers().contains_key("retry-after"));
    let body: Value = over.json().await.unwrap();
    assert_eq!(body["errorCode"], ErrorCode::RateLimited.as_str());
    assert_error(
        &s.post_as(&jwt, "/v1/auth/try-refresh", serde_json::json!({}))
            .await,
        500,
        ErrorCode::RateLimited.as_str(),
    );
    assert_error(&s.me(&jwt).await, 500, ErrorCode::RateLimited.as_str());
    assert_error(
        &s.post_as(&jwt, "/v1/auth/logout", serde_json::json!({}))
            .await,
        429,
        ErrorCode::RateLimited.as_str(),
    );
    // Another person's session is not limited by this one's calls.
    let other = s.sign_up("grace@example.com").await;
    assert_eq!(
        refresh(&s, other["refreshJwt"].as_str().unwrap()).await.0,
        200
    );
    // The window over, the session goes on: nothing was signed out.
    s.clock.advance(61);
    assert_eq!(refresh(&s, &jwt).await.0, 200);
}

/// … and per client address, whatever session or token is sent.
#[tokio::test]
async fn session_calls_are_limited_per_client_address() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        limit_session_per_ip: Some("2/60".into()),
        ..Default::default()
    }))
    .await;
    for _ in 0..2 {
        assert_eq!(s.me("not-a-jwt").await.0, 401, "refused, and counted");
    }
    assert_error(
        &s.me("not-a-jwt").await,
        500,
        ErrorCode::RateLimited.as_str(),
    );
}
