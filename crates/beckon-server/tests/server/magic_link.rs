use beckon_testkit::ErrorCode;
use serde_json::json;

use crate::harness::{assert_error, token_of, TestServer};

#[tokio::test]
async fn email_and_sms_answer_their_masked_address() {
    let s = TestServer::start().await;
    let (status, body) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "ada@example.com", "URI": "beckon://auth"}),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"maskedEmail": "a***@example.com"}))
    );

    // Python's SMS sign-up body: top-level phone, user.phone filled in (docs/wire.md §3.3).
    let (status, body) = s
        .post(
            "/v1/auth/magiclink/signup/sms",
            json!({
                "loginId": "+15551234589", "URI": "beckon://auth",
                "user": {"name": "A", "phone": "+15551234589"}, "phone": "+15551234589"
            }),
        )
        .await;
    assert_eq!(
        (status, body),
        (200, json!({"maskedPhone": "+*******4589"}))
    );

    let sms = s
        .outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == "+15551234589")
        .unwrap();
    let links = sms["links"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    assert!(links[0].get("number").is_none());
    let url = links[0]["url"].as_str().unwrap();
    assert!(url.starts_with("beckon://auth?t="));
    assert!(sms["text"].as_str().unwrap().contains(url));

    let (status, session) = s
        .post("/v1/auth/magiclink/verify", json!({"token": token_of(url)}))
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["phone"], "+15551234589");
    assert_eq!(session["user"]["name"], "A");
}

#[tokio::test]
async fn unknown_methods_and_bad_numbers_are_refused() {
    let s = TestServer::start().await;
    let body = json!({"loginId": "+15551234589"});
    assert_error(
        &s.post("/v1/auth/magiclink/signin/whatsapp", body.clone())
            .await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    assert_error(
        &s.post("/v1/auth/magiclink/signin/pigeon", body.clone())
            .await,
        404,
        ErrorCode::BadRequest.as_str(),
    );
    assert_error(
        &s.post("/v1/auth/magiclink/login/sms", body).await,
        404,
        ErrorCode::BadRequest.as_str(),
    );
    assert_error(
        &s.post(
            "/v1/auth/magiclink/signup-in/sms",
            json!({"loginId": "555-1234"}),
        )
        .await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    assert_error(
        &s.post(
            "/v1/auth/magiclink/signup/email",
            json!({"loginId": "a@example.com", "user": {"phone": "not a phone"}}),
        )
        .await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    assert_error(
        &s.post("/v1/auth/magiclink/verify", json!({})).await,
        400,
        ErrorCode::MissingArguments.as_str(),
    );
    assert!(s.outbox().await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn the_confirm_page_does_not_spend_a_magic_link() {
    let s = TestServer::start().await;
    s.post(
        "/v1/auth/magiclink/signup-in/email",
        json!({"loginId": "ada@example.com"}),
    )
    .await;
    let message = s.outbox().await.remove(0);
    let url = message["links"][0]["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with(&format!("{}/confirm?t=", s.base)));
    let page = s.http.get(&url).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Open this link in the app"));
    assert!(!page.contains("<form"));
    let token = token_of(&url);
    let posted = s
        .http
        .post(&url)
        .form(&[("t", &token)])
        .send()
        .await
        .unwrap();
    assert!(posted
        .text()
        .await
        .unwrap()
        .contains("Open this link in the app"));
    let (status, _) = s
        .post(
            "/v1/auth/magiclink/verify",
            json!({"token": token_of(&url)}),
        )
        .await;
    assert_eq!(status, 200, "the link still works in the app");
}

/// RFC 7636 Appendix B's pair.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// A magic link asked for with a code challenge is redeemed only with its verifier: another
/// program that registered the app's URL scheme and caught the link gets nothing, and cannot
/// spend it either. Before, the token alone was the session.
#[tokio::test]
async fn a_bound_magic_link_needs_its_verifier_and_a_caught_one_stays_the_apps() {
    // Two verifications per address: the catcher's guesses must not use them up.
    let s = TestServer::with_config(crate::harness::config_with(
        beckon_server::config::Settings {
            limit_verify_per_login_id: Some("2/600".into()),
            ..Default::default()
        },
    ))
    .await;
    let (status, body) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "ada@example.com", "URI": "beckon://auth",
                   "codeChallenge": CHALLENGE, "codeChallengeMethod": "S256"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = s.magic_token_to("ada@example.com").await;

    // The program that caught the link: no verifier, or a guessed one.
    let caught = s
        .post("/v1/auth/magiclink/verify", json!({"token": token}))
        .await;
    assert_error(&caught, 400, ErrorCode::MissingArguments.as_str());
    for _ in 0..3 {
        let guessed = s
            .post(
                "/v1/auth/magiclink/verify",
                json!({"token": token, "codeVerifier": "x".repeat(43)}),
            )
            .await;
        assert_error(&guessed, 400, ErrorCode::InvalidRequest.as_str());
    }

    // The app that asked.
    let (status, session) = s
        .post(
            "/v1/auth/magiclink/verify",
            json!({"token": token, "codeVerifier": VERIFIER}),
        )
        .await;
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "ada@example.com");
}

/// A `codeVerifier` on a link that was asked for without a challenge is refused (400
/// `E011003`) and the link stays unspent: the verifier says "this link was mine", and an
/// unbound link was no app's. Before, it was ignored, so a link from someone else's message
/// (an SMS sign-up whose unverified email was the victim's) redeemed in an app that was
/// waiting for its own.
#[tokio::test]
async fn a_verifier_on_a_link_asked_for_without_a_challenge_is_refused() {
    let s = TestServer::start().await;
    let (status, body) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "mallory@example.com", "URI": "beckon://auth"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = s.magic_token_to("mallory@example.com").await;
    let proved = s
        .post(
            "/v1/auth/magiclink/verify",
            json!({"token": token, "codeVerifier": VERIFIER}),
        )
        .await;
    assert_error(&proved, 400, ErrorCode::InvalidRequest.as_str());
    // Unspent: without a verifier (as the app that asked for it would) it still signs in.
    let (status, session) = s
        .post("/v1/auth/magiclink/verify", json!({"token": token}))
        .await;
    assert_eq!(status, 200, "{session}");
}

#[tokio::test]
async fn a_code_challenge_must_be_s256_and_well_formed_and_only_on_magic_links() {
    let s = TestServer::start().await;
    let before = s.outbox().await.len();
    for (path, extra, code) in [
        (
            "/v1/auth/magiclink/signup-in/email",
            json!({"codeChallenge": CHALLENGE}),
            ErrorCode::InvalidRequest.as_str(),
        ),
        (
            "/v1/auth/magiclink/signup-in/email",
            json!({"codeChallenge": CHALLENGE, "codeChallengeMethod": "plain"}),
            ErrorCode::InvalidRequest.as_str(),
        ),
        (
            "/v1/auth/magiclink/signup-in/email",
            json!({"codeChallenge": "too-short", "codeChallengeMethod": "S256"}),
            ErrorCode::InvalidRequest.as_str(),
        ),
        (
            "/v1/auth/magiclink/signup-in/email",
            json!({"codeChallengeMethod": "S256"}),
            ErrorCode::MissingArguments.as_str(),
        ),
        (
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"codeChallenge": CHALLENGE, "codeChallengeMethod": "S256"}),
            ErrorCode::InvalidRequest.as_str(),
        ),
    ] {
        let mut body = json!({"loginId": "ada@example.com", "URI": "beckon://auth"});
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        assert_error(&s.post(path, body).await, 400, code);
    }
    assert_eq!(s.outbox().await.len(), before, "nothing was sent");
}
