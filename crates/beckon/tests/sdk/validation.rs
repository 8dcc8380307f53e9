use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use beckon::Error;

use crate::Harness;

fn kid_of(jwt: &str) -> String {
    jsonwebtoken::decode_header(jwt).unwrap().kid.unwrap()
}

fn b64(value: serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn a_refresh_token_is_not_a_session_token() {
    let h = Harness::start().await;
    let session = h.signed_in("ada@example.com").await;
    let refresh = session.refresh_jwt.unwrap();
    let err = h
        .client
        .validate_session(refresh.expose())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidToken(m) if m.contains("drn")),
        "{err}"
    );
}

#[tokio::test]
async fn tokens_from_another_server_or_project_are_refused() {
    let a = Harness::start().await;
    let b = Harness::start().await;
    let from_b = b.signed_in("ada@example.com").await;
    // Another server's key is not in a's key set.
    let err = a
        .client
        .validate_session(from_b.session_jwt.expose())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidToken(_)), "{err}");
    // b's own key, but a client of another project: wrong iss.
    let other_project = beckon::Client::new("P2OPANdSmtackRAJlrRKFxFcoriw")
        .unwrap()
        .with_base_url(b.server.base_url());
    let err = other_project
        .validate_session(from_b.session_jwt.expose())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidToken(_) | Error::Api { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn forged_tokens_are_refused() {
    let h = Harness::start().await;
    let session = h.signed_in("ada@example.com").await;
    let jwt = session.session_jwt.expose().to_owned();
    let kid = kid_of(&jwt);
    let claims = jwt.split('.').nth(1).unwrap().to_owned();

    // alg: none, no signature.
    let none = format!(
        "{}.{claims}.",
        b64(serde_json::json!({"alg": "none", "kid": kid}))
    );
    assert!(matches!(
        h.client.validate_session(&none).await,
        Err(Error::InvalidToken(_))
    ));

    // HS256 "signed" with the public key's modulus as the secret.
    let jwks: serde_json::Value = reqwest::get(format!(
        "{}/v2/keys/{}",
        h.server.base_url(),
        h.client.project_id()
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let n = jwks["keys"][0]["n"].as_str().unwrap();
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.kid = Some(kid.clone());
    let payload: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&claims).unwrap()).unwrap();
    let hs = jsonwebtoken::encode(
        &header,
        &payload,
        &jsonwebtoken::EncodingKey::from_secret(n.as_bytes()),
    )
    .unwrap();
    let err = h.client.validate_session(&hs).await.unwrap_err();
    assert!(
        matches!(&err, Error::InvalidToken(m) if m.contains("algorithm")),
        "{err}"
    );

    // A changed claim breaks the signature.
    let mut tampered = payload.clone();
    tampered["sub"] = "Usomeoneelse".into();
    let parts: Vec<&str> = jwt.split('.').collect();
    let forged = format!("{}.{}.{}", parts[0], b64(tampered), parts[2]);
    assert!(matches!(
        h.client.validate_session(&forged).await,
        Err(Error::InvalidToken(_))
    ));
}

#[tokio::test]
async fn expiry_is_checked_with_five_seconds_of_leeway() {
    let h = Harness::start().await;
    // The server's clock runs 10 minutes behind: its token expired 5 s ago, in real time.
    h.clock.advance(-600 - 5 + 2);
    let fresh_enough = h.signed_in("ada@example.com").await;
    assert!(h
        .client
        .validate_session(fresh_enough.session_jwt.expose())
        .await
        .is_ok());
    h.clock.advance(-30);
    let expired = h.signed_in("bob@example.com").await;
    let err = h
        .client
        .validate_session(expired.session_jwt.expose())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidToken(m) if m.contains("Expired")),
        "{err}"
    );
}

#[tokio::test]
async fn secrets_do_not_show_in_debug_output() {
    let h = Harness::start().await;
    let request = h
        .client
        .enchanted_link()
        .sign_up_or_in("ada@example.com", None)
        .await
        .unwrap();
    let printed = format!("{request:?}");
    assert!(!printed.contains(request.pending_ref.expose()));
    let session = h.signed_in("bob@example.com").await;
    let printed = format!("{session:?}");
    assert!(!printed.contains(session.session_jwt.expose()));
    assert!(!printed.contains(session.refresh_jwt.as_ref().unwrap().expose()));
}

#[tokio::test]
async fn a_new_key_is_fetched_on_an_unknown_kid_at_most_every_ten_seconds() {
    let first = Harness::start().await;
    let old = first.signed_in("ada@example.com").await;
    let client = first.client;
    client
        .validate_session(old.session_jwt.expose())
        .await
        .unwrap();

    // The same project at the same address comes back with a new signing key.
    let config = beckon_server::config::Config {
        listen: first.server.addr,
        project_id: Some(client.project_id().to_owned()),
        ..beckon_server::config::Config::for_tests()
    };
    first.server.stop().await.unwrap();
    let second = Harness::with_config(config).await;
    let new = second.signed_in("ada@example.com").await;
    assert_ne!(
        kid_of(new.session_jwt.expose()),
        kid_of(old.session_jwt.expose())
    );

    // The key set was fetched moments ago: an unknown kid does not fetch it again yet.
    let err = client
        .validate_session(new.session_jwt.expose())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidToken(m) if m.contains("kid")),
        "{err}"
    );
    // Ten seconds on, it does; the old key is no longer published.
    tokio::time::sleep(std::time::Duration::from_secs(10)).await;
    client
        .validate_session(new.session_jwt.expose())
        .await
        .unwrap();
    assert!(client
        .validate_session(old.session_jwt.expose())
        .await
        .is_err());
}
