//! Update email / phone and login options through the SDK.

use beckon::{DeliveryMethod, Error, LoginOptions, SessionPoll, UpdateOptions};
use beckon_testkit::ErrorCode;

use crate::Harness;

fn refresh(session: &beckon::AuthResponse) -> beckon::Secret {
    session.refresh_jwt.clone().unwrap()
}

#[tokio::test]
async fn magic_update_email_then_phone() {
    let h = Harness::start().await;
    let ada = h.signed_in("ada@example.com").await;
    let ml = h.client.magic_link();

    let masked = ml
        .update_email(
            "ada@example.com",
            "ada@new.example",
            Some("beckon://auth"),
            &refresh(&ada),
            &UpdateOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(masked, "a***@new.example");
    let before = h.client.me(&refresh(&ada)).await.unwrap();
    assert_eq!(before.email, "ada@example.com");
    let session = ml
        .verify(&h.magic_token("ada@new.example").await)
        .await
        .unwrap();
    let user = session.user.unwrap();
    assert_eq!(user.email, "ada@new.example");
    assert_eq!(user.login_ids, ["ada@example.com"]);

    let options = UpdateOptions::default().add_to_login_ids(true);
    let masked = ml
        .update_phone(
            "ada@example.com",
            "+14155550100",
            None,
            &refresh(&ada),
            &options,
        )
        .await
        .unwrap();
    assert_eq!(masked, "+*******0100");
    let session = ml
        .verify(&h.magic_token("+14155550100").await)
        .await
        .unwrap();
    let user = session.user.unwrap();
    assert_eq!(user.phone, "+14155550100");
    assert!(user.verified_phone);
    assert_eq!(user.login_ids, ["ada@example.com", "+14155550100"]);
    // The phone signs in now.
    ml.sign_in(DeliveryMethod::Sms, "+14155550100", None)
        .await
        .unwrap();
}

#[tokio::test]
async fn enchanted_update_email_waits_like_a_sign_in() {
    let h = Harness::start().await;
    let ada = h.signed_in("ada@example.com").await;
    let el = h.client.enchanted_link();
    let request = el
        .update_email(
            "ada@example.com",
            "ada@work.example",
            None,
            &refresh(&ada),
            &UpdateOptions::default()
                .add_to_login_ids(true)
                .on_merge_use_existing(false),
        )
        .await
        .unwrap();
    assert_eq!(request.masked.masked_email, "a***@work.example");
    assert!(matches!(
        el.get_session(&request.pending_ref).await.unwrap(),
        SessionPoll::Pending
    ));
    let links = h.links("ada@work.example").await;
    let (_, token) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
    el.verify(token).await.unwrap();
    let session = el
        .wait_for_session(&request.pending_ref, &Default::default())
        .await
        .unwrap();
    let user = session.user.unwrap();
    assert_eq!(user.email, "ada@work.example");
    assert_eq!(user.login_ids, ["ada@example.com", "ada@work.example"]);
}

#[tokio::test]
async fn update_failures_carry_the_wire_codes() {
    let h = Harness::start().await;
    let ada = h.signed_in("ada@example.com").await;
    let bob = h.signed_in("bob@example.com").await;
    let ml = h.client.magic_link();
    let none = UpdateOptions::default();

    let err = ml
        .update_email(
            "ada@example.com",
            "x@y.example",
            None,
            &refresh(&bob),
            &none,
        )
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::InvalidRequest.as_str()),
        "{err}"
    );
    let err = ml
        .update_email("ada@example.com", "not-mail", None, &refresh(&ada), &none)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::InvalidRequest.as_str()),
        "{err}"
    );
    let err = ml
        .update_phone("ada@example.com", "0100", None, &refresh(&ada), &none)
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::InvalidRequest.as_str()),
        "{err}"
    );
    let err = ml
        .update_email("ada@example.com", " ", None, &refresh(&ada), &none)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err}");

    // An update link works once, and not after it expires.
    ml.update_email(
        "ada@example.com",
        "ada@new.example",
        None,
        &refresh(&ada),
        &none,
    )
    .await
    .unwrap();
    let token = h.magic_token("ada@new.example").await;
    ml.verify(&token).await.unwrap();
    assert!(matches!(ml.verify(&token).await, Err(Error::NotFound)));
    ml.update_email(
        "ada@example.com",
        "ada@late.example",
        None,
        &refresh(&ada),
        &none,
    )
    .await
    .unwrap();
    let late = h.magic_token("ada@late.example").await;
    h.clock.advance(301);
    assert!(matches!(ml.verify(&late).await, Err(Error::Expired)));
    h.clock.advance(-301);
    let me = h.client.me(&refresh(&ada)).await.unwrap();
    assert_eq!(me.email, "ada@new.example");

    h.client.logout(&refresh(&ada)).await.unwrap();
    let err = ml
        .update_email(
            "ada@example.com",
            "x@y.example",
            None,
            &refresh(&ada),
            &none,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::LoggedOut.as_str()), "{err}");
    assert!(err.is_unauthorized());
}

#[tokio::test]
async fn login_options_reach_the_session_jwt() {
    let h = Harness::start().await;
    let ml = h.client.magic_link();
    let mut options = LoginOptions::default();
    options
        .custom_claims
        .insert("plan".into(), serde_json::json!("pro"));
    ml.sign_up_or_in_with_options(DeliveryMethod::Email, "ada@example.com", None, &options)
        .await
        .unwrap();
    let session = ml
        .verify(&h.magic_token("ada@example.com").await)
        .await
        .unwrap();
    let token = h
        .client
        .validate_session(session.session_jwt.expose())
        .await
        .unwrap();
    // A client's own claims are nested, as Descope nests them: never beside the server's.
    assert_eq!(token.claims["nsec"]["plan"], "pro");
    assert!(token.claims.get("plan").is_none());

    // Step-up: refused before sending without a refresh JWT; with one, the same user again.
    let stepup = LoginOptions {
        stepup: true,
        ..Default::default()
    };
    let el = h.client.enchanted_link();
    assert!(matches!(
        el.sign_in_with_options("ada@example.com", None, &stepup, None)
            .await,
        Err(Error::InvalidArgument(_))
    ));
    let request = el
        .sign_in_with_options(
            "ada@example.com",
            None,
            &stepup,
            session.refresh_jwt.as_ref(),
        )
        .await
        .unwrap();
    let links = h.links("ada@example.com").await;
    let (_, t) = links.iter().find(|(n, _)| *n == request.link_id).unwrap();
    el.verify(t).await.unwrap();
    let stepped = el
        .wait_for_session(&request.pending_ref, &Default::default())
        .await
        .unwrap();
    let user_id = session.user.unwrap().user_id;
    assert_eq!(stepped.user.unwrap().user_id, user_id);

    // A claim named like a standard one stays in `nsec`: `sub` is still the user.
    let mut spoof = LoginOptions::default();
    spoof
        .custom_claims
        .insert("sub".into(), serde_json::json!("someone-else"));
    ml.sign_up_or_in_with_options(DeliveryMethod::Email, "ada@example.com", None, &spoof)
        .await
        .unwrap();
    let spoofed = ml
        .verify(&h.magic_token("ada@example.com").await)
        .await
        .unwrap();
    let token = h
        .client
        .validate_session(spoofed.session_jwt.expose())
        .await
        .unwrap();
    assert_eq!(token.claims["nsec"]["sub"], "someone-else");
    assert_eq!(token.claims["sub"], user_id.as_str());
}
