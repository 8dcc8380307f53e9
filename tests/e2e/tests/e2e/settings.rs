//! The Settings screen: which server, kept between runs.

use std::time::Duration;

use crate::harness::{screenshot, Server, TauriDriver};
use crate::steps::*;

#[tokio::test(flavor = "multi_thread")]
async fn settings_choose_the_server_and_are_kept_between_runs() {
    let server = Server::start().await;
    // No BECKON_BASE_URL: the app uses its Settings (the local server by default).
    let driver = TauriDriver::start_with(None).await;
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    app.click(&app.find("[data-testid=open-settings]").await.unwrap())
        .await;
    let base = app
        .wait_for("[data-testid=base-url]", Duration::from_secs(5))
        .await;
    assert_eq!(
        app.property(&base, "value").await.as_deref(),
        Some("http://127.0.0.1:8787")
    );

    // Something that is not an address is refused, with what was typed kept.
    app.clear(&base).await;
    app.send_keys(&base, "beckon.local:8787").await;
    app.click(&app.find("[data-testid=settings-save]").await.unwrap())
        .await;
    app.wait_for("[data-testid=settings-error]", Duration::from_secs(5))
        .await;
    assert!(app
        .text_at("[data-testid=settings-error]")
        .await
        .contains("http://"));
    let base = app.find("[data-testid=base-url]").await.unwrap();
    assert_eq!(
        app.property(&base, "value").await.as_deref(),
        Some("beckon.local:8787")
    );
    let settings_file = driver
        .config_home
        .path()
        .join("dev.beckon.desktop/settings.json");
    assert!(!settings_file.exists(), "bad input changes nothing");
    screenshot("settings");

    app.clear(&base).await;
    app.send_keys(&base, &server.base_url).await;
    app.click(&app.find("[data-testid=settings-save]").await.unwrap())
        .await;
    sign_in_through_the_window(&app, &server, "edsger.e2e@example.com").await;
    let kept = std::fs::read_to_string(&settings_file).expect("the settings file is written");
    assert!(kept.contains(&server.base_url), "{kept}");
    app.quit().await;

    // Relaunched: the same server, and its session.
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(20))
        .await;
    app.quit().await;
}
