//! Session endpoints on the wire: the request shapes each SDK sends (spec §6, §0.8).

use serde_json::Value;

use crate::harness::{assert_error, TestServer};

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
        "E061004",
    );
    let (status, body) = send(&s, "/v1/auth/try-refresh", &pid, None, None).await;
    assert_eq!((status, body), (200, serde_json::json!({})));
    assert_error(
        &send(&s, "/v1/auth/refresh", &pid, Some("{nope"), None).await,
        400,
        "E011001",
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
        "E064001",
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
        "E064001",
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
        "E061004",
    );
}
