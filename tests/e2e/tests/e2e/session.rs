//! The session after sign-in: kept in the real Secret Service across restarts, ended by
//! sign-out here or elsewhere.

use beckon_testkit::ErrorCode;
use std::time::{Duration, Instant};

use crate::harness::{screenshot, Server, ServerOptions, TauriDriver};
use crate::steps::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_session_survives_a_restart_and_sign_out_forgets_it() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let email = "grace.e2e@example.com";

    let app = driver.launch_app().await;
    sign_in_through_the_window(&app, &server, email).await;
    assert!(
        app.find("[data-testid=not-remembered]").await.is_none(),
        "the keyring is available, so the session is remembered"
    );
    keyring_until(&server, true, Duration::from_secs(10)).await;
    app.quit().await;

    // Relaunched: signed in again without being asked for the email.
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(20))
        .await;
    assert!(app.find("[data-testid=email-input]").await.is_none());
    let shown = app.text_at("[data-testid=user-email]").await;
    assert_eq!(shown, email);
    screenshot("restored");

    // Sign out: the keyring entry goes, and the server ends the session.
    let refresh = keyring_until(&server, true, Duration::from_secs(10))
        .await
        .expect("the restored session is remembered");
    let sign_out = app.find("[data-testid=sign-out]").await.unwrap();
    app.click(&sign_out).await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;
    keyring_until(&server, false, Duration::from_secs(10)).await;
    // The server is told right after the keyring entry goes.
    let start = Instant::now();
    loop {
        let me = server.me(&refresh).await;
        if me["errorCode"] == ErrorCode::LoggedOut.as_str() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the server session never ended: {me}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.quit().await;

    // Relaunched after sign-out: the email screen.
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    assert!(app.find("[data-testid=signed-in]").await.is_none());
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn signing_out_everywhere_from_elsewhere_is_noticed_at_the_next_refresh() {
    // 30 s session JWTs: the app refreshes every few seconds.
    let server = Server::start_with(ServerOptions {
        session_ttl: Some(30),
        ..Default::default()
    })
    .await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "margaret.e2e@example.com";
    sign_in_through_the_window(&app, &server, email).await;
    let refresh = keyring_until(&server, true, Duration::from_secs(10))
        .await
        .expect("the session is remembered");

    // "Sign out everywhere" from another device, with the same session.
    assert_eq!(server.logout_all(&refresh).await, 200);

    app.wait_for("[data-testid=notice]", Duration::from_secs(30))
        .await;
    assert!(
        app.text_at("[data-testid=notice]")
            .await
            .contains("signed out"),
        "the note says why"
    );
    let input = app.find("[data-testid=email-input]").await.unwrap();
    assert_eq!(app.property(&input, "value").await.as_deref(), Some(email));
    // The dead session is forgotten.
    keyring_until(&server, false, Duration::from_secs(10)).await;
    screenshot("signed-out-elsewhere");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_disabled_by_the_cli_is_signed_out_at_the_next_refresh_and_told_why() {
    // 30 s session JWTs: the app refreshes every few seconds.
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(ServerOptions {
        session_ttl: Some(30),
        database: Some(dir.path().join("beckon.db")),
        ..Default::default()
    })
    .await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "edsger.e2e@example.com";
    sign_in_through_the_window(&app, &server, email).await;
    keyring_until(&server, true, Duration::from_secs(10))
        .await
        .expect("the session is remembered");

    // The operator disables the account from the server's machine.
    let said = server.cli(&["users", "disable", email]).await;
    assert!(said.contains("disabled"), "{said}");

    app.wait_for("[data-testid=notice]", Duration::from_secs(30))
        .await;
    assert!(
        app.text_at("[data-testid=notice]")
            .await
            .contains("This account is disabled"),
        "the note says why"
    );
    keyring_until(&server, false, Duration::from_secs(10)).await;
    screenshot("disabled");

    // Asking again is refused the same way, and the email stays.
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    app.click(&submit).await;
    app.wait_for("[data-testid=error]", Duration::from_secs(10))
        .await;
    assert!(app
        .text_at("[data-testid=error]")
        .await
        .contains("This account is disabled"));
    let input = app.find("[data-testid=email-input]").await.unwrap();
    assert_eq!(app.property(&input, "value").await.as_deref(), Some(email));
    // And the trail shows both.
    let trail = server.cli(&["audit", "--user", email]).await;
    assert!(
        trail.contains("user.disabled") && trail.contains("refused"),
        "{trail}"
    );
    app.quit().await;
}
