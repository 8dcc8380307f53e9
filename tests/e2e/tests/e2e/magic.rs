//! Magic links read on this computer: `beckon://` links handed to the app.

use std::time::Duration;

use crate::harness::{launch_second_instance, screenshot, Server, TauriDriver};
use crate::steps::*;

#[tokio::test(flavor = "multi_thread")]
async fn a_beckon_link_opened_on_this_computer_signs_the_running_app_in() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "grace.magic.e2e@example.com";
    let url = request_magic_link(&app, &server, email).await;
    screenshot("magic-sent");

    // A malformed link, handed over as the system would, changes nothing…
    assert!(launch_second_instance(&["beckon://auth?t=%3Cscript%3E"])
        .await
        .success());
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(app.find("[data-testid=magic-sent]").await.is_some());

    // …and the real one signs the running app in.
    assert!(launch_second_instance(&[&url]).await.success());
    shows_signed_in_as(&app, email).await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_beckon_link_clicked_after_quitting_launches_the_app_signed_in() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "hopper.magic.e2e@example.com";
    let url = request_magic_link(&app, &server, email).await;
    app.quit().await;

    // The request is in the keyring: a launch by the link signs in.
    let app = driver.launch_app_with(&[&url]).await;
    shows_signed_in_as(&app, email).await;
    app.quit().await;
}
