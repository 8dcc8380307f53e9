//! Bad input, endpoint by endpoint: a malformed, mistyped or oversized body gets a wire error
//! (docs/wire.md §8.1) and changes nothing.

use beckon_testkit::ErrorCode;
use serde_json::json;

use crate::harness::{assert_error, TestServer};

/// Every POST endpoint whose body has a shape.
const SHAPED: &[&str] = &[
    "/v1/auth/enchantedlink/signin/email",
    "/v1/auth/enchantedlink/signup/email",
    "/v1/auth/enchantedlink/signup-in/email",
    "/v1/auth/enchantedlink/signin/sms",
    "/v1/auth/enchantedlink/update/email",
    "/v1/auth/enchantedlink/update/phone/sms",
    "/v1/auth/enchantedlink/verify",
    "/v1/auth/enchantedlink/pending-session",
    "/v1/auth/magiclink/signin/email",
    "/v1/auth/magiclink/signup/sms",
    "/v1/auth/magiclink/signup-in/email",
    "/v1/auth/magiclink/update/email",
    "/v1/auth/magiclink/update/phone",
    "/v1/auth/magiclink/update/phone/sms",
    "/v1/auth/magiclink/verify",
];

/// POST endpoints whose body, if any, is ignored, but must still be JSON.
const UNSHAPED: &[&str] = &[
    "/v1/auth/refresh",
    "/v1/auth/try-refresh",
    "/v1/auth/logout",
    "/v1/auth/logoutall",
];

#[tokio::test]
async fn every_endpoint_refuses_bad_bodies_in_the_wire_format_and_changes_nothing() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let refresh = ada["refreshJwt"].as_str().unwrap();
    let (_, me_before) = s.me(refresh).await;
    let sent_before = s.outbox().await.len();
    let bearer = format!("Bearer {}:{refresh}", s.project_id);

    let huge = format!(
        "{{\"loginId\":\"{}@example.com\",\"token\":\"x\",\"pendingRef\":\"x\"}}",
        "a".repeat(100_000)
    );
    let mistyped = json!({"loginId": 5, "token": 5, "pendingRef": 5, "email": 5, "phone": 5});
    let mut cases: Vec<(&str, String, u16)> = Vec::new();
    for path in SHAPED.iter().chain(UNSHAPED) {
        cases.push((path, "{\"loginId\":".into(), 400));
        cases.push((path, "{\"a\":1}}".into(), 400));
        cases.push((path, huge.clone(), 413));
    }
    for path in SHAPED {
        cases.push((path, "[1,2]".into(), 400));
        cases.push((path, mistyped.to_string(), 400));
    }
    for (path, body, status) in cases {
        let response = s
            .http
            .post(format!("{}{path}", s.base))
            .header("Authorization", &bearer)
            .header("Content-Type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let got = (
            response.status().as_u16(),
            response
                .json()
                .await
                .unwrap_or_else(|e| panic!("{path}: {e}")),
        );
        assert_eq!(got.0, status, "{path} {:.40}: {}", body, got.1);
        assert_error(&got, status, ErrorCode::BadRequest.as_str());
    }

    // The session was neither rotated out (past the grace, a rotated-out refresh JWT fails)
    // nor ended, and nothing was sent.
    s.clock.advance(60);
    let (status, me_after) = s.me(refresh).await;
    assert_eq!(status, 200);
    assert_eq!(me_after, me_before);
    assert_eq!(s.outbox().await.len(), sent_before);
}
