//! Change email from the signed-in view.

use std::time::Duration;

use crate::harness::{screenshot, Server, TauriDriver};
use crate::steps::*;

#[tokio::test(flavor = "multi_thread")]
async fn change_email_shows_the_number_here_and_the_view_follows_the_new_address() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    sign_in_through_the_window(&app, &server, "ada.e2e@example.com").await;

    app.click(&app.find("[data-testid=change-email]").await.unwrap())
        .await;
    let input = app
        .wait_for("[data-testid=change-input]", Duration::from_secs(5))
        .await;
    let new_email = "ada.e2e@work.example";
    app.send_keys(&input, new_email).await;
    app.click(&app.find("[data-testid=change-submit]").await.unwrap())
        .await;
    app.wait_for("[data-testid=change-number]", Duration::from_secs(10))
        .await;
    let number = app.text_at("[data-testid=change-number]").await;
    screenshot("change-email");

    let link = link_numbered(&server, new_email, &number).await;
    let (status, page) = server.confirm(&link).await;
    assert_eq!(status, 200, "{page}");
    wait_for_text(
        &app,
        "[data-testid=user-email]",
        new_email,
        Duration::from_secs(10),
    )
    .await;
    assert!(app
        .text_at("[data-testid=notice]")
        .await
        .contains(new_email));
    assert!(app.find("[data-testid=change-number]").await.is_none());
    app.quit().await;
}
