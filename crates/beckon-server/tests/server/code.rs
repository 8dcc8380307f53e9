//! The code in an enchanted-link email, typed on the device that asked when no link works
//! (docs/wire.md §4.9): right, it confirms the request as the right link does and the session
//! comes by pending-session; it works once; five wrong codes end the request; another
//! request's code is wrong here; tries are limited per mailbox and per client address.

use beckon_testkit::ErrorCode;
use serde_json::{json, Value};

use crate::harness::{assert_error, config_with, TestServer};

/// Starts a sign-in for `email`: its pendingRef and the code its email carries.
async fn start(s: &TestServer, email: &str) -> (String, String) {
    let (started, _) = s.start_link(email).await;
    let message = s
        .outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == email && m["kind"] == "sign_in")
        .unwrap();
    let text = message["text"].as_str().unwrap();
    let code = beckon_testkit::links::code_in(text);
    (started["pendingRef"].as_str().unwrap().to_owned(), code)
}

async fn type_code(s: &TestServer, pending_ref: &str, code: &str) -> (u16, Value) {
    s.post(
        "/v1/auth/enchantedlink/code",
        json!({"pendingRef": pending_ref, "code": code}),
    )
    .await
}

#[tokio::test]
async fn the_right_code_confirms_the_request_once_however_it_is_typed() {
    let s = TestServer::start().await;
    let (pending_ref, code) = start(&s, "ada@example.com").await;
    assert_error(
        &s.poll(&pending_ref).await,
        401,
        ErrorCode::Pending.as_str(),
    );
    // Lower case and without its dash, as people type it.
    let typed = code.replace('-', " ").to_lowercase();
    let (status, body) = type_code(&s, &pending_ref, &typed).await;
    assert_eq!((status, &body), (200, &json!({})));
    let (status, session) = s.poll(&pending_ref).await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "ada@example.com");
    // Used: it confirms nothing again.
    assert_error(
        &type_code(&s, &pending_ref, &code).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
    let filter = beckon_server::store::AuditFilter {
        limit: 10,
        ..Default::default()
    };
    let trail = s.server.state.store.search_audit(&filter).await.unwrap().0;
    let confirmed = trail.iter().find(|e| e.action == "link.confirmed").unwrap();
    assert_eq!(confirmed.data["by"], "code");
}

#[tokio::test]
async fn five_wrong_codes_end_the_request_and_another_requests_code_is_wrong() {
    let s = TestServer::start().await;
    let (pending_ref, code) = start(&s, "ada@example.com").await;
    let (_, others) = start(&s, "grace@example.com").await;
    let (status, body) = type_code(&s, &pending_ref, &others).await;
    assert_error(&(status, body.clone()), 400, ErrorCode::WrongCode.as_str());
    assert!(
        body["errorDescription"]
            .as_str()
            .unwrap()
            .contains("4 more tries"),
        "{body}"
    );
    for (left, typed) in [(3, "AAAA-AAAA"), (2, "not a code"), (1, "AAAA-AAAB")] {
        let (status, body) = type_code(&s, &pending_ref, typed).await;
        assert_error(&(status, body.clone()), 400, ErrorCode::WrongCode.as_str());
        let words = if left == 1 {
            "1 more try".to_owned()
        } else {
            format!("{left} more tries")
        };
        assert!(
            body["errorDescription"].as_str().unwrap().contains(&words),
            "{body}"
        );
        assert_eq!(body["triesLeft"], left, "{body}");
    }
    // The fifth ends it: its polls say so, and the right code is too late.
    assert_error(
        &type_code(&s, &pending_ref, "AAAA-AAAC").await,
        400,
        ErrorCode::Expired.as_str(),
    );
    assert_error(
        &s.poll(&pending_ref).await,
        400,
        ErrorCode::Expired.as_str(),
    );
    assert_error(
        &type_code(&s, &pending_ref, &code).await,
        400,
        ErrorCode::Expired.as_str(),
    );
}

#[tokio::test]
async fn codes_are_limited_per_mailbox_before_they_are_compared() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        limit_code_per_login_id: Some("3/86400".into()),
        ..Default::default()
    }))
    .await;
    let (first, _) = start(&s, "ada@example.com").await;
    let (second, code) = start(&s, "ada+work@example.com").await;
    for _ in 0..2 {
        assert_eq!(type_code(&s, &first, "AAAA-AAAA").await.0, 400);
    }
    assert_eq!(type_code(&s, &second, "AAAA-AAAA").await.0, 400);
    // The mailbox's tries are spent: even the right code is refused, so a guesser learns
    // nothing from the answer.
    assert_error(
        &type_code(&s, &second, &code).await,
        429,
        ErrorCode::RateLimited.as_str(),
    );
    assert_error(&s.poll(&second).await, 401, ErrorCode::Pending.as_str());
}

#[tokio::test]
async fn a_code_call_without_its_fields_is_refused_and_changes_nothing() {
    let s = TestServer::start().await;
    let (pending_ref, _) = start(&s, "ada@example.com").await;
    assert_error(
        &s.post("/v1/auth/enchantedlink/code", json!({"code": "AAAA-AAAA"}))
            .await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert_error(
        &s.post(
            "/v1/auth/enchantedlink/code",
            json!({"pendingRef": pending_ref}),
        )
        .await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert_error(
        &type_code(&s, "not-a-pending-ref", "AAAA-AAAA").await,
        400,
        ErrorCode::NotFound.as_str(),
    );
    assert_error(
        &s.poll(&pending_ref).await,
        401,
        ErrorCode::Pending.as_str(),
    );
}
