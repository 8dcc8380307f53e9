//! Steps the end-to-end cases share: ask for links through the window, read the number,
//! confirm, wait for text, look at the keyring.

use std::time::{Duration, Instant};

use crate::harness::Server;
use crate::webdriver;

/// The path the app polls while it waits.
pub const PENDING_SESSION: &str = "/v1/auth/enchantedlink/pending-session";

/// Types `email` into the app's window and sends it; returns the link that carries the
/// number the window then shows.
pub async fn request_links(app: &webdriver::Session, server: &Server, email: &str) -> String {
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    app.send_keys(&input, email).await;
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    app.click(&submit).await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text_at("[data-testid=link-number]").await;
    link_numbered(server, email, &number).await
}

/// The link numbered `number` in the newest message to `email`.
pub async fn link_numbered(server: &Server, email: &str, number: &str) -> String {
    let message = server.latest_message_to(email).await;
    beckon_testkit::link_numbered(&message["links"], number)
}

/// Signs `email` in through the app's window: types it, reads the number, confirms that link.
pub async fn sign_in_through_the_window(app: &webdriver::Session, server: &Server, email: &str) {
    let link = request_links(app, server, email).await;
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
}

/// Waits until the element at `selector` shows text containing `expected`. The screen may
/// be rendered anew between finding the element and reading it; then it is found again.
pub async fn wait_for_text(
    app: &webdriver::Session,
    selector: &str,
    expected: &str,
    within: Duration,
) {
    let start = Instant::now();
    loop {
        if let Some(element) = app.find(selector).await {
            if let Ok(text) = app.try_text(&element).await {
                if text.contains(expected) {
                    return;
                }
            }
        }
        assert!(
            start.elapsed() < within,
            "{selector} never said {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The app's entry in the Secret Service for `server` (see `crates/beckon-session/src/vault.rs`).
pub fn keyring_entry(server: &Server) -> keyring::Entry {
    keyring::Entry::new(
        "dev.beckon.desktop",
        &format!("session:{}", server.base_url),
    )
    .unwrap()
}

/// Waits until the app's keyring entry for `server` is there (`present`), returning its
/// refresh JWT, or gone. gnome-keyring replaces an item on write, so a read racing the app's
/// write can fail ("No such interface org.freedesktop.Secret.Item"): that is waited out like
/// any other state on the way, never taken as the answer.
pub async fn keyring_until(server: &Server, present: bool, within: Duration) -> Option<String> {
    let start = Instant::now();
    loop {
        let seen = match keyring_entry(server).get_password() {
            Ok(json) => {
                let value: serde_json::Value = serde_json::from_str(&json).unwrap();
                let jwt = value["refreshJwt"].as_str().unwrap().to_owned();
                if present {
                    return Some(jwt);
                }
                "an entry".to_owned()
            }
            Err(keyring::Error::NoEntry) if !present => return None,
            Err(keyring::Error::NoEntry) => "no entry".to_owned(),
            Err(other) => format!("the Secret Service answered {other}"),
        };
        assert!(
            start.elapsed() < within,
            "waited {within:?} for the keyring entry to be {}; last seen: {seen}",
            if present { "there" } else { "gone" }
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// From the waiting screen, asks for a magic link to read on this computer instead; returns
/// the `beckon://` link the email holds.
pub async fn request_magic_link(app: &webdriver::Session, server: &Server, email: &str) -> String {
    request_links(app, server, email).await;
    app.click(&app.find("[data-testid=send-magic]").await.unwrap())
        .await;
    app.wait_for("[data-testid=magic-sent]", Duration::from_secs(10))
        .await;
    let start = Instant::now();
    loop {
        let message = server.latest_message_to(email).await;
        if let Some(url) = message["links"][0]["url"].as_str() {
            if url.starts_with("beckon://") {
                return url.to_owned();
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "no beckon:// link"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub async fn shows_signed_in_as(app: &webdriver::Session, email: &str) {
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(15))
        .await;
    let shown = app.text_at("[data-testid=user-email]").await;
    assert_eq!(shown, email);
}
