use beckon::{Error, Secret};
use beckon_testkit::ErrorCode;

use crate::Harness;

fn refresh_of(session: &beckon::AuthResponse) -> Secret {
    session
        .refresh_jwt
        .clone()
        .expect("a refresh JWT in the body")
}

#[tokio::test]
async fn refresh_rotates_and_reuse_after_the_grace_ends_the_session() {
    let h = Harness::start().await;
    let signed_in = h.signed_in("ada@example.com").await;
    let first = refresh_of(&signed_in);

    let refreshed = h.client.refresh_session(&first).await.unwrap();
    let second = refresh_of(&refreshed);
    assert_ne!(second, first, "the refresh JWT rotates");
    assert!(!refreshed.first_seen);
    let token = h
        .client
        .validate_session(refreshed.session_jwt.expose())
        .await
        .unwrap();
    assert_eq!(token.subject, signed_in.user.unwrap().user_id);

    // Within the grace the old token still works (two racing refreshes both succeed)...
    h.client.refresh_session(&first).await.unwrap();
    h.client.refresh_session(&second).await.unwrap();
    // ...after it, using it again is theft or a stolen copy: the session ends for every
    // holder, the newest token's too.
    h.clock.advance(31);
    let err = h.client.refresh_session(&first).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert_eq!(err.code(), Some(ErrorCode::InvalidRefresh.as_str()));
    let err = h.client.refresh_session(&second).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::LoggedOut.as_str()), "{err}");
}

#[tokio::test]
async fn logout_ends_that_session_only() {
    let h = Harness::start().await;
    let laptop = refresh_of(&h.signed_in("ada@example.com").await);
    let desktop = refresh_of(&h.signed_in("ada@example.com").await);

    h.client.logout(&laptop).await.unwrap();
    let err = h.client.refresh_session(&laptop).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::LoggedOut.as_str()));
    assert!(err.is_unauthorized());
    assert_eq!(
        h.client.me(&laptop).await.unwrap_err().code(),
        Some(ErrorCode::LoggedOut.as_str())
    );
    // A refresh JWT rotated out of a signed-out session is dead too.
    assert!(h.client.logout(&laptop).await.is_err());

    h.client.refresh_session(&desktop).await.unwrap();
}

#[tokio::test]
async fn logout_all_ends_every_session_of_the_user_and_no_one_elses() {
    let h = Harness::start().await;
    let one = refresh_of(&h.signed_in("ada@example.com").await);
    let two = refresh_of(&h.signed_in("ada@example.com").await);
    let other = refresh_of(&h.signed_in("grace@example.com").await);
    // A refresh rotates the token, but the session is the same one.
    let two_rotated = refresh_of(&h.client.refresh_session(&two).await.unwrap());

    h.client.logout_all(&one).await.unwrap();
    for dead in [&one, &two, &two_rotated] {
        assert_eq!(
            h.client.refresh_session(dead).await.unwrap_err().code(),
            Some(ErrorCode::LoggedOut.as_str())
        );
    }
    h.client.refresh_session(&other).await.unwrap();
}

#[tokio::test]
async fn me_names_the_signed_in_user() {
    let h = Harness::start().await;
    let session = h.signed_in("ada@example.com").await;
    let me = h.client.me(&refresh_of(&session)).await.unwrap();
    assert_eq!(me.email, "ada@example.com");
    assert_eq!(me.login_ids, vec!["ada@example.com".to_owned()]);
    assert!(me.verified_email);
    assert_eq!(me.user_id, session.user.unwrap().user_id);
}

#[tokio::test]
async fn validate_and_refresh_refreshes_only_when_needed() {
    let h = Harness::start().await;
    let session = h.signed_in("ada@example.com").await;
    let refresh = refresh_of(&session);
    let fresh = h
        .client
        .validate_and_refresh_session(Some(session.session_jwt.expose()), &refresh)
        .await
        .unwrap();
    assert!(fresh.refreshed.is_none());

    // A session JWT issued 11 minutes ago has expired: a refresh brings a new one.
    h.clock.advance(-660);
    let old = h.signed_in("grace@example.com").await;
    h.clock.advance(660);
    let later = h
        .client
        .validate_and_refresh_session(Some(old.session_jwt.expose()), &refresh_of(&old))
        .await
        .unwrap();
    let refreshed = later.refreshed.expect("refreshed");
    assert_ne!(refreshed.session_jwt, old.session_jwt);
    assert_eq!(later.token.subject, old.user.unwrap().user_id);

    let none = h
        .client
        .validate_and_refresh_session(None, &refresh)
        .await
        .unwrap();
    assert!(none.refreshed.is_some());
}

#[tokio::test]
async fn try_refresh_without_a_token_is_not_an_error() {
    let h = Harness::start().await;
    assert!(h.client.try_refresh_session(None).await.unwrap().is_none());
    let refresh = refresh_of(&h.signed_in("ada@example.com").await);
    assert!(h
        .client
        .try_refresh_session(Some(&refresh))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn a_session_jwt_or_a_forged_one_is_not_a_refresh_jwt() {
    let h = Harness::start().await;
    let session = h.signed_in("ada@example.com").await;
    let as_refresh = Secret::new(session.session_jwt.expose());
    let err = h.client.refresh_session(&as_refresh).await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::InvalidRefresh.as_str()));
    let garbage = Secret::new("a.b.c");
    assert_eq!(
        h.client.refresh_session(&garbage).await.unwrap_err().code(),
        Some(ErrorCode::InvalidRefresh.as_str())
    );
    let other = Harness::start().await;
    let foreign = refresh_of(&other.signed_in("ada@example.com").await);
    assert!(matches!(
        h.client.refresh_session(&foreign).await,
        Err(Error::Api { status: 401, .. })
    ));
}
