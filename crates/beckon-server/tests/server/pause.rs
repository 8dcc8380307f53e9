//! "No, this wasn't me" protects the mailbox: every open request to it ends (enchanted and
//! magic, `+tag`s merged), new sign-in messages to it pause for `pause_after_decline` (a start
//! answers 429 E130429, Retry-After and `"paused": true`), its owner gets one email whose
//! page (a POST behind a GET) lifts the pause, and the pause ends by itself.

use beckon_testkit::ErrorCode;
use serde_json::{json, Value};

use crate::harness::{config_with, token_of, TestServer};

/// Starts an enchanted sign-up-or-in for `email`: (status, body, Retry-After).
async fn start(s: &TestServer, email: &str) -> (u16, Value, Option<String>) {
    let response = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/signup-in/email", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .json(&json!({"loginId": email}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, response.json().await.unwrap(), retry_after)
}

/// The newest message of `kind` to `email` in the development outbox, and how many there are.
async fn messages(s: &TestServer, email: &str, kind: &str) -> Vec<Value> {
    s.outbox()
        .await
        .into_iter()
        .filter(|m| m["to"] == email && m["kind"] == kind)
        .collect()
}

/// Presses a button on a form page: (status, page).
async fn post_form(s: &TestServer, url: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let r = s.http.post(url).form(fields).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The audit trail, newest first.
async fn trail(s: &TestServer) -> Vec<beckon_server::store::AuditRow> {
    let filter = beckon_server::store::AuditFilter {
        limit: 100,
        ..Default::default()
    };
    s.server.state.store.search_audit(&filter).await.unwrap().0
}

async fn say_no(s: &TestServer, url: &str) -> (u16, String) {
    let token = token_of(url);
    post_form(s, url, &[("t", token.as_str()), ("answer", "no")]).await
}

fn assert_paused(answer: &(u16, Value, Option<String>), seconds: u64) {
    let (status, body, retry_after) = answer;
    assert_eq!(*status, 429, "{body}");
    assert_eq!(body["errorCode"], ErrorCode::RateLimited.as_str());
    assert_eq!(body["paused"], true, "{body}");
    let retry: u64 = retry_after
        .as_deref()
        .expect("Retry-After")
        .parse()
        .unwrap();
    assert!(
        retry <= seconds && retry + 5 >= seconds,
        "Retry-After {retry}"
    );
}

#[tokio::test]
async fn a_no_ends_every_open_request_to_the_mailbox_and_pauses_it() {
    let s = TestServer::start().await;
    let (first, links) = s.start_link("ada@example.com").await;
    let (tagged, _) = s.start_link("ada+work@example.com").await;
    let (status, _) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "ada@example.com", "URI": "beckon://auth"}),
        )
        .await;
    assert_eq!(status, 200);
    let magic = s.magic_token_to("ada@example.com").await;
    let (other, _) = s.start_link("bob@example.com").await;

    let (status, page) = say_no(&s, &links[0].1).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("no new ones are sent for 15 minutes"),
        "{page}"
    );

    // The tapped request, the tagged one and the magic link are over; Bob's is not.
    let declined = ErrorCode::Declined.as_str();
    for started in [&first, &tagged] {
        let (status, body) = s.poll(started["pendingRef"].as_str().unwrap()).await;
        assert_eq!((status, body["errorCode"].as_str()), (400, Some(declined)));
    }
    let (status, body) = s
        .post("/v1/auth/magiclink/verify", json!({"token": magic}))
        .await;
    assert_eq!(status, 400, "the magic link was spent too: {body}");
    let (status, _) = s.poll(other["pendingRef"].as_str().unwrap()).await;
    assert_eq!(status, 401, "Bob's request is still pending");

    // New sign-in messages to the mailbox are paused, tags and all; Bob's are not.
    assert_paused(&start(&s, "ada@example.com").await, 900);
    assert_paused(&start(&s, "ada+other@example.com").await, 900);
    let (status, _) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "ada@example.com", "URI": "beckon://auth"}),
        )
        .await;
    assert_eq!(status, 429, "magic links too");
    assert_eq!(start(&s, "bob@example.com").await.0, 200);

    // One email to the owner, about the pause, saying where the refused request came from.
    let paused = messages(&s, "ada@example.com", "paused").await;
    assert_eq!(paused.len(), 1, "{paused:?}");
    let text = paused[0]["text"].as_str().unwrap();
    assert!(text.contains("  Address: 127.0.0.1"), "{text}");
    assert!(text.contains("for 15 minutes"), "{text}");

    // Audited and counted.
    let trail = trail(&s).await;
    let paused_events: Vec<_> = trail
        .iter()
        .filter(|e| e.action == "mailbox.paused")
        .collect();
    assert_eq!(paused_events.len(), 1);
    let refused_starts = trail
        .iter()
        .filter(|e| e.action == "signin.started" && e.outcome == "refused")
        .count();
    assert_eq!(refused_starts, 3);
    let metrics = s.server.state.metrics.render(0, 0, 0).unwrap();
    assert!(
        metrics.contains("beckon_mailbox_pauses_total{event=\"started\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("beckon_mailbox_pauses_total{event=\"start_refused\"} 3"));

    // It ends by itself.
    s.clock.advance(901);
    assert_eq!(start(&s, "ada@example.com").await.0, 200);
}

#[tokio::test]
async fn the_owners_email_lifts_the_pause_on_its_pages_post_not_its_get() {
    let s = TestServer::start().await;
    let (_, links) = s.start_link("ada@example.com").await;
    say_no(&s, &links[0].1).await;
    let paused = messages(&s, "ada@example.com", "paused").await;
    let allow = paused[0]["links"][0]["url"].as_str().unwrap().to_owned();
    assert!(allow.contains("/confirm/allow?t="), "{allow}");

    // Opening the link (a mail scanner does) changes nothing.
    let page = s
        .http
        .get(&allow)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<form method=\"post\">"), "{page}");
    assert!(page.contains("15 more minutes"), "{page}");
    assert_paused(&start(&s, "ada@example.com").await, 900);

    // Its button does.
    let token = token_of(&allow);
    let (status, page) = post_form(&s, &allow, &[("t", token.as_str())]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Sign-ins allowed again"), "{page}");
    assert_eq!(start(&s, "ada@example.com").await.0, 200);
    let trail = trail(&s).await;
    assert!(trail.iter().any(|e| e.action == "mailbox.unpaused"));

    // Once: the link lifts nothing more, and says so.
    let (status, page) = post_form(&s, &allow, &[("t", token.as_str())]).await;
    assert_eq!(status, 404);
    assert!(page.contains("Sign-ins are not paused"), "{page}");
    // Another's token lifts nothing.
    let (status, _) = post_form(&s, &allow, &[("t", "not-a-token")]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn with_pause_after_decline_0_a_no_ends_the_requests_and_pauses_nothing() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        pause_after_decline: Some(0),
        ..Default::default()
    }))
    .await;
    let (_, links) = s.start_link("ada@example.com").await;
    let (tagged, _) = s.start_link("ada+work@example.com").await;
    let (status, page) = say_no(&s, &links[0].1).await;
    assert_eq!(status, 200);
    assert!(!page.contains("no new ones are sent"), "{page}");
    let (status, _) = s.poll(tagged["pendingRef"].as_str().unwrap()).await;
    assert_eq!(status, 400, "the other request ended all the same");
    assert_eq!(start(&s, "ada@example.com").await.0, 200);
    assert!(messages(&s, "ada@example.com", "paused").await.is_empty());
}
