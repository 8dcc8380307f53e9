//! `loginOptions` (docs/wire.md §3.1, §3.2): custom claims in the session JWT, step-up and MFA on top
//! of a signed-in session, and ending the user's other sessions.

use beckon_testkit::ErrorCode;
use serde_json::{json, Value};

use crate::harness::{assert_error, claims, TestServer};

fn jwt<'a>(session: &'a Value, which: &str) -> &'a str {
    session[which].as_str().unwrap()
}

#[tokio::test]
async fn custom_claims_are_in_the_session_jwt_through_refreshes() {
    let s = TestServer::start().await;
    let (status, _) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "ada@example.com",
                   "loginOptions": {"customClaims": {"plan": "pro", "seats": 3}}}),
        )
        .await;
    assert_eq!(status, 200);
    let session = s.open_magic_link("ada@example.com").await;
    let session_claims = claims(jwt(&session, "sessionJwt"));
    assert_eq!(session_claims["nsec"], json!({"plan": "pro", "seats": 3}));
    assert!(
        session_claims.get("plan").is_none(),
        "never at the top level"
    );
    assert_eq!(session_claims["drn"], "DS");
    // The refresh JWT stays small: no custom claims.
    assert!(claims(jwt(&session, "refreshJwt")).get("nsec").is_none());

    let (status, refreshed) = s
        .post_as(jwt(&session, "refreshJwt"), "/v1/auth/refresh", json!({}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(claims(jwt(&refreshed, "sessionJwt"))["nsec"]["plan"], "pro");

    // Enchanted link too.
    let (status, started) = s
        .post(
            "/v1/auth/enchantedlink/signin/email",
            json!({"loginId": "ada@example.com",
                   "loginOptions": {"customClaims": {"team": "blue"}}}),
        )
        .await;
    assert_eq!(status, 200);
    let links = s.links_to("ada@example.com").await;
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(url).await.0, 200);
    let (_, session) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    assert_eq!(claims(jwt(&session, "sessionJwt"))["nsec"]["team"], "blue");
}

/// Anyone can start a sign-in for their own address with any `customClaims`: none of them
/// may grant rights or stand for the server's claims. They are nested under `nsec`, where
/// Descope's SDKs do not look for roles, permissions, tenants or the user.
#[tokio::test]
async fn client_claims_cannot_grant_roles_or_replace_the_servers_claims() {
    let s = TestServer::start().await;
    let sent = json!({
        "roles": ["admin"], "permissions": ["delete-users"], "tenants": {"T1": {"roles": ["admin"]}},
        "email": "boss@example.com", "sub": "U-someone-else", "drn": "DSR", "exp": 1, "dct": "T1",
        "amr": ["webauthn"], "nsec": {"x": 1}
    });
    let (status, body) = s
        .post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "mallory@example.com", "loginOptions": {"customClaims": sent}}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let session = s.open_magic_link("mallory@example.com").await;
    let c = claims(jwt(&session, "sessionJwt"));
    assert_eq!(c["nsec"], sent, "all of them, and only there");
    for claim in ["roles", "permissions", "tenants", "email", "dct"] {
        assert!(c.get(claim).is_none(), "{claim} at the top level: {c}");
    }
    assert_eq!(c["sub"], session["user"]["userId"]);
    assert_eq!(c["drn"], "DS");
    assert_eq!(c["amr"], json!(["email"]));
    assert!(c["exp"].as_i64().unwrap() > s.clock_now());
}

#[tokio::test]
async fn the_sdks_option_shapes_are_accepted_and_malformed_claims_refused() {
    let s = TestServer::start().await;
    // Python's default LoginOptions(), nulls included; Node's empty object; Go's sign-up.
    for options in [
        json!({"stepup": false, "customClaims": null, "mfa": false}),
        json!({}),
        json!({"templateId": "t1", "templateOptions": {"a": "b"}, "locale": "en"}),
        Value::Null,
    ] {
        let (status, body) = s
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": "ada@example.com", "loginOptions": options}),
            )
            .await;
        assert_eq!(status, 200, "{options}: {body}");
    }
    let sent = s.outbox().await.len();
    assert_error(
        &s.post(
            "/v1/auth/magiclink/signup-in/email",
            json!({"loginId": "ada@example.com", "loginOptions": {"customClaims": [1]}}),
        )
        .await,
        400,
        ErrorCode::BadRequest.as_str(),
    );
    assert_eq!(s.outbox().await.len(), sent, "nothing was sent");
}

#[tokio::test]
async fn step_up_needs_the_refresh_jwt_of_the_same_user() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let bob = s.sign_up("bob@example.com").await;
    let path = "/v1/auth/magiclink/signin/email";
    let stepup = json!({"loginId": "ada@example.com", "loginOptions": {"stepup": true}});
    let sent = s.outbox().await.len();

    assert_error(
        &s.post(path, stepup.clone()).await,
        401,
        ErrorCode::InvalidRefresh.as_str(),
    );
    assert_error(
        &s.post_as(jwt(&bob, "refreshJwt"), path, stepup.clone())
            .await,
        400,
        ErrorCode::InvalidRequest.as_str(),
    );
    assert_eq!(s.outbox().await.len(), sent, "nothing was sent");
    let (status, _) = s.post_as(jwt(&ada, "refreshJwt"), path, stepup).await;
    assert_eq!(status, 200);
    let session = s.open_magic_link("ada@example.com").await;
    assert_eq!(session["user"]["userId"], ada["user"]["userId"]);
    assert_eq!(claims(jwt(&session, "sessionJwt"))["amr"], json!(["email"]));
}

#[tokio::test]
async fn mfa_adds_the_second_factor_to_amr() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    // Ada adds a phone she can sign in with; confirming it by SMS gives an `sms` session.
    let (status, _) = s
        .post_as(
            jwt(&ada, "refreshJwt"),
            "/v1/auth/magiclink/update/phone/sms",
            json!({"loginId": "ada@example.com", "phone": "+14155550100",
                   "addToLoginIDs": true}),
        )
        .await;
    assert_eq!(status, 200);
    let by_sms = s.open_magic_link("+14155550100").await;
    assert_eq!(claims(jwt(&by_sms, "sessionJwt"))["amr"], json!(["sms"]));

    // An email link as the second factor, on top of that session.
    let (status, started) = s
        .post_as(
            jwt(&by_sms, "refreshJwt"),
            "/v1/auth/enchantedlink/signin/email",
            json!({"loginId": "ada@example.com", "loginOptions": {"mfa": true}}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let links = s.links_to("ada@example.com").await;
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(url).await.0, 200);
    let (status, session) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    assert_eq!(status, 200);
    assert_eq!(
        claims(jwt(&session, "sessionJwt"))["amr"],
        json!(["sms", "email"])
    );
    // And it lasts through a refresh.
    let (_, refreshed) = s
        .post_as(jwt(&session, "refreshJwt"), "/v1/auth/refresh", json!({}))
        .await;
    assert_eq!(
        claims(jwt(&refreshed, "sessionJwt"))["amr"],
        json!(["sms", "email"])
    );
}

#[tokio::test]
async fn revoke_other_sessions_signs_the_user_out_elsewhere() {
    let s = TestServer::start().await;
    let first = s.sign_up("ada@example.com").await;
    let (status, _) = s
        .post(
            "/v1/auth/magiclink/signin/email",
            json!({"loginId": "ada@example.com",
                   "loginOptions": {"revokeOtherSessions": true}}),
        )
        .await;
    assert_eq!(status, 200);
    // Until the link is opened, nothing ends.
    assert_eq!(s.me(jwt(&first, "refreshJwt")).await.0, 200);
    let second = s.open_magic_link("ada@example.com").await;
    assert_error(
        &s.me(jwt(&first, "refreshJwt")).await,
        401,
        ErrorCode::LoggedOut.as_str(),
    );
    assert_eq!(s.me(jwt(&second, "refreshJwt")).await.0, 200);
}
