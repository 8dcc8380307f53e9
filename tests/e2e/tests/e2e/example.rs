//! The example app (examples/tauri-app): a Tauri app that adds phone sign-in with the plugin
//! in a few lines, and calls its own backend (examples/backend) with the session JWT.

use std::time::Duration;

use crate::harness::{screenshot, Server, TauriDriver};
use crate::steps::*;

#[tokio::test(flavor = "multi_thread")]
async fn the_example_signs_in_and_its_backend_answers_who_is_signed_in() {
    let server = Server::start().await;
    // The app's backend, checking session JWTs against the server's keys.
    let client = beckon::Client::discover(&server.base_url).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let backend = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, beckon_example_backend::router(client)).await;
    });
    let driver =
        TauriDriver::start_with_env(Some(&server), &[("EXAMPLE_BACKEND", backend.as_str())]).await;
    let app = driver.launch_example().await;

    // Signed out, the backend refuses: the app had no token to send.
    let backend_says = "[data-testid=backend]";
    wait_for_text(&app, backend_says, "not signed in", Duration::from_secs(20)).await;

    // Signed in by the number and the phone, the backend knows who.
    sign_in_through_the_window(&app, &server, "ada.example@example.com").await;
    wait_for_text(&app, backend_says, "userId", Duration::from_secs(10)).await;
    let said: serde_json::Value = serde_json::from_str(&app.text_at(backend_says).await).unwrap();
    let user_id = said["userId"].as_str().unwrap();
    assert!(user_id.starts_with('U'), "{said}");
    screenshot("example-signed-in");

    // Signed out again, refused again.
    let sign_out = app.find("[data-testid=sign-out]").await.unwrap();
    app.click(&sign_out).await;
    wait_for_text(&app, backend_says, "not signed in", Duration::from_secs(10)).await;
}
