//! Rate limits: hit, answered with 429 / E130429 / Retry-After, and recovered when the window
//! ends. A window starts at its first hit.

use beckon_server::config::{Config, Settings};
use beckon_server::store::sqlite_url;
use beckon_testkit::ErrorCode;
use serde_json::json;

use crate::harness::{assert_error, config_with, token_of, TestServer};

async fn server(settings: Settings) -> TestServer {
    TestServer::with_config(config_with(settings)).await
}

async fn start_link(
    s: &TestServer,
    email: &str,
    forwarded_for: Option<&str>,
) -> (u16, reqwest::header::HeaderMap, serde_json::Value) {
    let mut request = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/signup-in/email", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .json(&json!({"loginId": email}));
    if let Some(ip) = forwarded_for {
        request = request.header("X-Forwarded-For", ip);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.json().await.unwrap())
}

#[tokio::test]
async fn sending_to_one_address_is_limited_then_recovers() {
    let s = server(Settings {
        limit_send_per_login_id: Some("2/60".into()),
        ..Settings::default()
    })
    .await;
    for _ in 0..2 {
        assert_eq!(start_link(&s, "ada@example.com", None).await.0, 200);
    }
    s.clock.advance(15);
    let sent = s.outbox().await.len();
    let (status, headers, body) = start_link(&s, "Ada@Example.com", None).await;
    assert_error(
        &(status, body.clone()),
        429,
        ErrorCode::RateLimited.as_str(),
    );
    assert_eq!(headers["retry-after"], "45", "the rest of the window");
    assert!(body["errorMessage"]
        .as_str()
        .unwrap()
        .contains("45 seconds"));
    assert_eq!(s.outbox().await.len(), sent, "nothing was sent");

    // Another address is not affected; the limited one recovers when the window ends.
    assert_eq!(start_link(&s, "grace@example.com", None).await.0, 200);
    s.clock.advance(45);
    assert_eq!(start_link(&s, "ada@example.com", None).await.0, 200);
}

#[tokio::test]
async fn a_client_ip_is_limited_across_addresses_and_a_trusted_proxy_header_names_it() {
    let s = server(Settings {
        limit_send_per_ip: Some("3/60".into()),
        client_ip_header: Some("X-Forwarded-For".into()),
        ..Settings::default()
    })
    .await;
    for n in 0..3 {
        let email = format!("user{n}@example.com");
        let (status, _, _) = start_link(&s, &email, Some("198.51.100.1, 203.0.113.9")).await;
        assert_eq!(status, 200);
    }
    let (status, _, body) = start_link(&s, "user3@example.com", Some("203.0.113.9")).await;
    assert_error(&(status, body), 429, ErrorCode::RateLimited.as_str());
    // The proxy's last entry is the client: the one before it is whatever the client wrote.
    let (status, _, _) =
        start_link(&s, "user3@example.com", Some("203.0.113.9, 198.51.100.2")).await;
    assert_eq!(status, 200);

    // Without the setting the header is the client's own word and is ignored: the
    // connection's address (127.0.0.1) is counted.
    let s = server(Settings {
        limit_send_per_ip: Some("1/60".into()),
        ..Settings::default()
    })
    .await;
    assert_eq!(
        start_link(&s, "a@example.com", Some("192.0.2.1")).await.0,
        200
    );
    let (status, _, body) = start_link(&s, "b@example.com", Some("192.0.2.2")).await;
    assert_error(&(status, body), 429, ErrorCode::RateLimited.as_str());
}

#[tokio::test]
async fn polling_and_verifying_are_limited_and_a_limited_poll_changes_nothing() {
    let s = server(Settings {
        limit_poll_per_request: Some("3/60".into()),
        limit_verify_per_ip: Some("2/60".into()),
        ..Settings::default()
    })
    .await;
    let (started, links) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    for _ in 0..3 {
        assert_error(&s.poll(pending_ref).await, 401, ErrorCode::Pending.as_str());
    }
    assert_error(
        &s.poll(pending_ref).await,
        429,
        ErrorCode::RateLimited.as_str(),
    );

    // Two wrong links use up the verifications from this address...
    let wrong: Vec<_> = links
        .iter()
        .filter(|(n, _)| *n != started["linkId"])
        .collect();
    for (_, url) in &wrong {
        assert_error(&s.verify(url).await, 400, ErrorCode::WrongLink.as_str());
    }
    let (_, right) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_error(&s.verify(right).await, 429, ErrorCode::RateLimited.as_str());
    // ...and the confirm page says so, with the same Retry-After.
    let page = s
        .http
        .post(format!("{}/confirm", s.base))
        .form(&[("t", token_of(right))])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert_eq!(page.headers()["retry-after"], "60");
    assert!(page.text().await.unwrap().contains("Too many tries"));

    // A minute on, the right link works (the refused attempt spent nothing) and the session
    // is handed out.
    s.clock.advance(60);
    assert_eq!(s.verify(right).await.0, 200);
    assert_eq!(s.poll(pending_ref).await.0, 200);
}

/// Before, polls were counted per login ID: one sign-in started for the victim's address and
/// two polls a second of the attacker's own pendingRef made every poll of the victim's app
/// answer 429. Now one request's polls never count against another's.
#[tokio::test]
async fn polls_of_someone_elses_request_never_limit_the_victims() {
    let s = server(Settings {
        limit_poll_per_request: Some("3/60".into()),
        limit_poll_per_ip: Some("off".into()),
        ..Settings::default()
    })
    .await;
    let (attacker, _) = s.start_link("victim@example.com").await;
    let attacker = attacker["pendingRef"].as_str().unwrap();
    for _ in 0..3 {
        assert_error(&s.poll(attacker).await, 401, ErrorCode::Pending.as_str());
    }
    assert_error(
        &s.poll(attacker).await,
        429,
        ErrorCode::RateLimited.as_str(),
    );

    let (victim, links) = s.start_link("victim@example.com").await;
    let victim_ref = victim["pendingRef"].as_str().unwrap();
    assert_error(&s.poll(victim_ref).await, 401, ErrorCode::Pending.as_str());
    let (_, right) = links.iter().find(|(n, _)| *n == victim["linkId"]).unwrap();
    assert_eq!(s.verify(right).await.0, 200);
    let (status, session) = s.poll(victim_ref).await;
    assert_eq!(status, 200, "{session}");
}

/// `ada+1@…`, `ada+2@…` are one inbox: their messages share one send limit.
#[tokio::test]
async fn tagged_addresses_share_their_mailboxs_send_limit() {
    let s = server(Settings {
        limit_send_per_login_id: Some("2/600".into()),
        ..Settings::default()
    })
    .await;
    assert_eq!(start_link(&s, "ada+1@example.com", None).await.0, 200);
    assert_eq!(start_link(&s, "ada+2@example.com", None).await.0, 200);
    let (status, _, body) = start_link(&s, "ada+3@example.com", None).await;
    assert_error(&(status, body), 429, ErrorCode::RateLimited.as_str());
    assert_eq!(start_link(&s, "bob+1@example.com", None).await.0, 200);
}

#[tokio::test]
async fn replicas_on_one_database_share_their_counts() {
    let dir = std::env::temp_dir().join(format!("beckon-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("shared.db");
    let _ = std::fs::remove_file(&path);
    let config = Config {
        database: Some(sqlite_url(&path)),
        ..config_with(Settings {
            limit_send_per_login_id: Some("2/60".into()),
            ..Settings::default()
        })
    };
    let a = TestServer::with_config(config.clone()).await;
    let b = TestServer::with_config(config).await;
    assert_eq!(a.project_id, b.project_id);
    assert_eq!(start_link(&a, "ada@example.com", None).await.0, 200);
    assert_eq!(start_link(&b, "ada@example.com", None).await.0, 200);
    assert_eq!(start_link(&a, "ada@example.com", None).await.0, 429);
    assert_eq!(start_link(&b, "ada@example.com", None).await.0, 429);
    a.server.stop().await.unwrap();
    b.server.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn limits_can_be_turned_off() {
    let s = server(Settings {
        limit_send_per_login_id: Some("off".into()),
        limit_send_per_ip: Some("off".into()),
        ..Settings::default()
    })
    .await;
    for _ in 0..8 {
        assert_eq!(start_link(&s, "ada@example.com", None).await.0, 200);
    }
}
