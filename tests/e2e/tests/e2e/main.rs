//! End-to-end: the real Beckon desktop binary in a real webview (tauri-driver +
//! WebKitWebDriver), against a real beckon-server on a loopback port.
//!
//! Needs a display (run under `xvfb-run`), `tauri-driver` and `WebKitWebDriver` on the PATH,
//! and both binaries built: `scripts/test.sh` does all of that. Set `BECKON_SCREENSHOTS=DIR`
//! to save screenshots of each screen (with ImageMagick's `import`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;
mod webdriver;

use std::time::{Duration, Instant};

use harness::{screenshot, Server, TauriDriver};

#[tokio::test(flavor = "multi_thread")]
async fn enchanted_link_signs_the_desktop_in() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;

    // The email screen: type an address and send.
    let email = "ada.e2e@example.com";
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    app.send_keys(&input, email).await;
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    app.click(&submit).await;

    // The waiting screen: a two-digit number, the masked email.
    let number_el = app
        .wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text(&number_el).await;
    assert_eq!(number.len(), 2, "the link number is two digits: {number:?}");
    assert!(number.chars().all(|c| c.is_ascii_digit()));
    let masked = app
        .text(&app.find("[data-testid=masked-email]").await.unwrap())
        .await;
    assert_eq!(masked, "a***@example.com");
    screenshot("waiting");

    // The email: three links with distinct numbers, one of them the number on screen.
    let message = server.latest_message_to(email).await;
    let links = message["links"].as_array().unwrap().clone();
    assert_eq!(links.len(), 3);
    let mut numbers: Vec<&str> = links
        .iter()
        .map(|l| l["number"].as_str().unwrap())
        .collect();
    numbers.dedup();
    assert_eq!(numbers.len(), 3, "three distinct numbers: {numbers:?}");
    let url_of = |n: &str| {
        links
            .iter()
            .find(|l| l["number"] == n)
            .map(|l| l["url"].as_str().unwrap().to_owned())
    };
    let right = url_of(&number).expect("one link carries the number on screen");
    let wrong = url_of(numbers.iter().find(|n| **n != number).unwrap()).unwrap();

    // Opening every link (as a mail scanner would) verifies nothing.
    let http = reqwest::Client::new();
    for link in &links {
        let url = link["url"].as_str().unwrap();
        let page = http.get(url).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let body = page.text().await.unwrap();
        assert!(body.contains(link["number"].as_str().unwrap()));
        assert!(body.contains("Yes, sign me in"));
    }

    // Confirming the wrong link is refused, and the desktop keeps waiting.
    let refused = server.confirm(&wrong).await;
    assert_eq!(refused.0, 400);
    assert!(refused.1.contains("Not this one"), "{}", refused.1);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(
        app.find("[data-testid=waiting]").await.is_some(),
        "still waiting after GETs and a wrong link"
    );
    assert!(app.find("[data-testid=signed-in]").await.is_none());

    // Confirming the right link signs the desktop in.
    let confirmed_at = Instant::now();
    let accepted = server.confirm(&right).await;
    assert_eq!(accepted.0, 200, "{}", accepted.1);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
    eprintln!("signed in {:?} after the confirm", confirmed_at.elapsed());
    let shown = app
        .text(&app.find("[data-testid=user-email]").await.unwrap())
        .await;
    assert_eq!(shown, email);
    screenshot("signed-in");

    // The link is spent.
    assert_eq!(server.confirm(&right).await.0, 404);

    // Sign out returns to the email screen.
    let sign_out = app.find("[data-testid=sign-out]").await.unwrap();
    app.click(&sign_out).await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;

    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_returns_to_the_email_screen_and_an_unreachable_server_says_so() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;

    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    app.send_keys(&input, "grace.e2e@example.com").await;
    app.click(&app.find("[data-testid=email-submit]").await.unwrap())
        .await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    app.click(&app.find("[data-testid=cancel]").await.unwrap())
        .await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;

    // With the server gone, sending says the server cannot be reached, keeping the email.
    server.stop();
    app.click(&app.find("[data-testid=email-submit]").await.unwrap())
        .await;
    let error = app
        .wait_for("[data-testid=error]", Duration::from_secs(40))
        .await;
    assert!(
        app.text(&error).await.contains("Can't reach"),
        "an offline message"
    );
    assert_eq!(
        app.attribute(&error, "data-code").await.as_deref(),
        Some("offline")
    );
    let input = app.find("[data-testid=email-input]").await.unwrap();
    assert_eq!(
        app.property(&input, "value").await.as_deref(),
        Some("grace.e2e@example.com")
    );
    screenshot("offline");
    app.quit().await;
}

/// Signs `email` in through the app's window: types it, reads the number, confirms that link.
async fn sign_in_through_the_window(app: &webdriver::Session, server: &Server, email: &str) {
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    app.send_keys(&input, email).await;
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    app.click(&submit).await;
    let number_el = app
        .wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text(&number_el).await;
    let message = server.latest_message_to(email).await;
    let link = message["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["number"] == number.as_str())
        .map(|l| l["url"].as_str().unwrap().to_owned())
        .unwrap();
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
}

/// The app's entry in the Secret Service for `server` (see `src-tauri/src/vault.rs`).
fn keyring_entry(server: &Server) -> keyring::Entry {
    keyring::Entry::new(
        "dev.beckon.desktop",
        &format!("session:{}", server.base_url),
    )
    .unwrap()
}

/// The refresh JWT the app keeps in the keyring, if any.
fn refresh_jwt_in_keyring(server: &Server) -> Option<String> {
    match keyring_entry(server).get_password() {
        Ok(json) => {
            let value: serde_json::Value = serde_json::from_str(&json).unwrap();
            Some(value["refreshJwt"].as_str().unwrap().to_owned())
        }
        Err(keyring::Error::NoEntry) => None,
        Err(other) => panic!("the Secret Service is not usable here: {other}"),
    }
}

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
    assert!(refresh_jwt_in_keyring(&server).is_some());
    app.quit().await;

    // Relaunched: signed in again without being asked for the email.
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(20))
        .await;
    assert!(app.find("[data-testid=email-input]").await.is_none());
    let shown = app
        .text(&app.find("[data-testid=user-email]").await.unwrap())
        .await;
    assert_eq!(shown, email);
    screenshot("restored");

    // Sign out: the keyring entry goes, and the server ends the session.
    let refresh = refresh_jwt_in_keyring(&server).expect("the restored session is remembered");
    let sign_out = app.find("[data-testid=sign-out]").await.unwrap();
    app.click(&sign_out).await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;
    let start = Instant::now();
    while refresh_jwt_in_keyring(&server).is_some() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the keyring entry is gone"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The server is told right after the keyring entry goes.
    let start = Instant::now();
    loop {
        let me = server.me(&refresh).await;
        if me["errorCode"] == "E064001" {
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
