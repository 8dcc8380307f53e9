use beckon::{DeliveryMethod, Error, SignUpUser};
use beckon_testkit::ErrorCode;

use crate::Harness;

#[tokio::test]
async fn magic_link_by_email_signs_in_where_it_is_opened() {
    let h = Harness::start().await;
    let ml = h.client.magic_link();
    let masked = ml
        .sign_up_or_in(
            DeliveryMethod::Email,
            "ada@example.com",
            Some("beckon://auth"),
        )
        .await
        .unwrap();
    assert_eq!(masked, "a***@example.com");
    let token = h.magic_token("ada@example.com").await;
    let session = ml.verify(&token).await.unwrap();
    let user = session.user.clone().unwrap();
    assert_eq!(user.email, "ada@example.com");
    assert!(user.verified_email);
    assert!(session.first_seen);
    let valid = h
        .client
        .validate_session(session.session_jwt.expose())
        .await
        .unwrap();
    assert_eq!(valid.auth_methods, vec!["email".to_owned()]);

    // Single use.
    assert!(matches!(ml.verify(&token).await, Err(Error::NotFound)));
}

#[tokio::test]
async fn magic_link_by_sms_keeps_the_phone_and_the_user_object() {
    let h = Harness::start().await;
    let ml = h.client.magic_link();
    let user = SignUpUser {
        given_name: Some("Grace".into()),
        family_name: Some("Hopper".into()),
        email: Some("grace@example.com".into()),
        ..Default::default()
    };
    let masked = ml
        .sign_up(DeliveryMethod::Sms, "+1 415 555 0123", None, Some(user))
        .await
        .unwrap();
    assert_eq!(masked, "+*******0123");
    let session = ml
        .verify(&h.magic_token("+14155550123").await)
        .await
        .unwrap();
    let user = session.user.clone().unwrap();
    assert_eq!(user.phone, "+14155550123");
    assert_eq!(user.email, "grace@example.com");
    assert_eq!(user.name, "Grace Hopper");
    assert!(user.verified_phone);
    assert!(!user.verified_email, "the email was never sent a link");
    assert_eq!(user.login_ids, vec!["+14155550123".to_owned()]);
    let valid = h
        .client
        .validate_session(session.session_jwt.expose())
        .await
        .unwrap();
    assert_eq!(valid.auth_methods, vec!["sms".to_owned()]);

    // Signing in by SMS again finds the same user.
    ml.sign_in(DeliveryMethod::Sms, "+14155550123", None)
        .await
        .unwrap();
    let again = ml
        .verify(&h.magic_token("+14155550123").await)
        .await
        .unwrap();
    assert_eq!(again.user.unwrap().user_id, user.user_id);
    assert!(!again.first_seen);
}

#[tokio::test]
async fn magic_link_failures_keep_their_codes() {
    let h = Harness::start().await;
    let ml = h.client.magic_link();
    let unknown = ml
        .sign_in(DeliveryMethod::Email, "nobody@example.com", None)
        .await;
    assert_eq!(
        unknown.unwrap_err().code(),
        Some(ErrorCode::UserNotFound.as_str())
    );
    for bad in ["4155550123", "+1", "+1-415-CALL-NOW"] {
        let err = ml
            .sign_up_or_in(DeliveryMethod::Sms, bad, None)
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            Some(ErrorCode::InvalidRequest.as_str()),
            "{bad}"
        );
    }
    let err = ml
        .sign_up_or_in(DeliveryMethod::Email, "not-an-email", None)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRequest.as_str()));

    ml.sign_up_or_in(DeliveryMethod::Email, "ada@example.com", None)
        .await
        .unwrap();
    let token = h.magic_token("ada@example.com").await;
    h.clock.advance(301);
    assert!(matches!(ml.verify(&token).await, Err(Error::Expired)));
    assert!(matches!(ml.verify("made-up").await, Err(Error::NotFound)));

    // An existing user cannot sign up again.
    h.clock.advance(-301);
    let session = h.signed_in("grace@example.com").await;
    assert!(session.user.is_some());
    let exists = ml
        .sign_up(DeliveryMethod::Email, "grace@example.com", None, None)
        .await;
    assert_eq!(
        exists.unwrap_err().code(),
        Some(ErrorCode::UserExists.as_str())
    );

    // A request body over the server's limit is refused whole, in the wire format.
    let huge = SignUpUser {
        name: Some("n".repeat(100_000)),
        ..Default::default()
    };
    let err = ml
        .sign_up(DeliveryMethod::Email, "big@example.com", None, Some(huge))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { status: 413, code, .. } if code == ErrorCode::BadRequest.as_str()),
        "{err}"
    );
}

#[tokio::test]
async fn enchanted_and_magic_tokens_do_not_cross() {
    let h = Harness::start().await;
    let request = h
        .client
        .enchanted_link()
        .sign_up_or_in("ada@example.com", None)
        .await
        .unwrap();
    let links = h.links("ada@example.com").await;
    let (_, enchanted) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
    assert!(matches!(
        h.client.magic_link().verify(enchanted).await,
        Err(Error::NotFound)
    ));

    h.client
        .magic_link()
        .sign_up_or_in(DeliveryMethod::Email, "grace@example.com", None)
        .await
        .unwrap();
    let magic = h.magic_token("grace@example.com").await;
    assert!(matches!(
        h.client.enchanted_link().verify(&magic).await,
        Err(Error::NotFound)
    ));
    // Both still work where they belong.
    h.client.enchanted_link().verify(enchanted).await.unwrap();
    h.client.magic_link().verify(&magic).await.unwrap();
}

#[tokio::test]
async fn a_magic_link_with_a_proof_key_is_redeemed_only_with_it() {
    let h = Harness::start().await;
    let proof = beckon::CodeVerifier::generate();
    let bound = h.client.magic_link().with_proof(&proof);
    bound
        .sign_up_or_in(
            DeliveryMethod::Email,
            "ada@example.com",
            Some("beckon://auth"),
        )
        .await
        .unwrap();
    let token = h.magic_token("ada@example.com").await;

    // Another program with the token alone, or with a verifier of its own, gets nothing.
    let err = h.client.magic_link().verify(&token).await.unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::MissingArguments.as_str()),
        "{err}"
    );
    let other = beckon::CodeVerifier::generate();
    let err = h
        .client
        .magic_link()
        .with_proof(&other)
        .verify(&token)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::InvalidRequest.as_str()),
        "{err}"
    );

    // The app that asked, even after a restart (the verifier kept, as the desktop keeps it).
    let kept = beckon::CodeVerifier::from_secret(proof.secret().clone()).unwrap();
    let session = h
        .client
        .magic_link()
        .with_proof(&kept)
        .verify(&token)
        .await
        .unwrap();
    assert_eq!(session.user.unwrap().email, "ada@example.com");
}
