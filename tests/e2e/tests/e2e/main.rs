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

use harness::{launch_second_instance, screenshot, Server, ServerOptions, TauriDriver};

/// The path the app polls while it waits.
const PENDING_SESSION: &str = "/v1/auth/enchantedlink/pending-session";

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
    numbers.sort_unstable();
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
    // The app polls while it waits (once a second)…
    let start = Instant::now();
    while server.requests_to(PENDING_SESSION) < 2 {
        assert!(start.elapsed() < Duration::from_secs(10), "the app polls");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    app.click(&app.find("[data-testid=cancel]").await.unwrap())
        .await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;
    // …and Cancel stops it at once: after a moment for a poll already on the wire, the
    // server sees no more.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let polls = server.requests_to(PENDING_SESSION);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        server.requests_to(PENDING_SESSION),
        polls,
        "no polls after Cancel"
    );

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

/// Types `email` into the app's window and sends it; returns the link that carries the
/// number the window then shows.
async fn request_links(app: &webdriver::Session, server: &Server, email: &str) -> String {
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
    link_numbered(server, email, &number).await
}

/// The link numbered `number` in the newest message to `email`.
async fn link_numbered(server: &Server, email: &str, number: &str) -> String {
    let message = server.latest_message_to(email).await;
    message["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["number"] == number)
        .map(|l| l["url"].as_str().unwrap().to_owned())
        .unwrap()
}

/// Signs `email` in through the app's window: types it, reads the number, confirms that link.
async fn sign_in_through_the_window(app: &webdriver::Session, server: &Server, email: &str) {
    let link = request_links(app, server, email).await;
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
}

/// Waits until the element at `selector` shows text containing `expected`. The screen may
/// be rendered anew between finding the element and reading it; then it is found again.
async fn wait_for_text(app: &webdriver::Session, selector: &str, expected: &str, within: Duration) {
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

/// The app's entry in the Secret Service for `server` (see `src-tauri/src/vault.rs`).
fn keyring_entry(server: &Server) -> keyring::Entry {
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
async fn keyring_until(server: &Server, present: bool, within: Duration) -> Option<String> {
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
    let shown = app
        .text(&app.find("[data-testid=user-email]").await.unwrap())
        .await;
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

#[tokio::test(flavor = "multi_thread")]
async fn the_sign_in_completes_after_the_server_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(ServerOptions {
        database: Some(dir.path().join("beckon.db")),
        ..Default::default()
    })
    .await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let link = request_links(&app, &server, "linus.e2e@example.com").await;
    let number = app
        .text(&app.find("[data-testid=link-number]").await.unwrap())
        .await;

    // The server goes away: the number stays, and the window says it is reconnecting.
    server.stop();
    wait_for_text(
        &app,
        "[data-testid=wait-status]",
        "reconnecting",
        Duration::from_secs(15),
    )
    .await;
    assert_eq!(
        app.text(&app.find("[data-testid=link-number]").await.unwrap())
            .await,
        number
    );
    screenshot("reconnecting");

    // Back on the same address with the same database: the wait resumes by itself, and the
    // tap on the phone signs the desktop in.
    server.restart().await;
    wait_for_text(
        &app,
        "[data-testid=wait-status]",
        "Waiting for your tap",
        Duration::from_secs(90),
    )
    .await;
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_request_says_so_and_offers_a_new_link() {
    let server = Server::start_with(ServerOptions {
        link_ttl: Some(10),
        ..Default::default()
    })
    .await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "barbara.e2e@example.com";
    let link = request_links(&app, &server, email).await;

    // Nobody taps within the server's 10 s: the expired screen, the email kept.
    let error = app
        .wait_for("[data-testid=error]", Duration::from_secs(30))
        .await;
    assert_eq!(
        app.attribute(&error, "data-code").await.as_deref(),
        Some("expired")
    );
    assert!(app.text(&error).await.contains("expired"));
    let input = app.find("[data-testid=email-input]").await.unwrap();
    assert_eq!(app.property(&input, "value").await.as_deref(), Some(email));
    screenshot("expired");
    // The old link no longer works…
    assert_ne!(server.confirm(&link).await.0, 200);

    // …and the one button sends a new one.
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    assert_eq!(app.text(&submit).await, "Send a new link");
    app.click(&submit).await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn asking_too_often_is_refused_with_a_countdown_and_the_email_kept() {
    // One message per address per ten minutes.
    let server = Server::start_with(ServerOptions {
        args: vec!["--limit-send-per-login-id".into(), "1/600".into()],
        ..Default::default()
    })
    .await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "katherine.e2e@example.com";
    request_links(&app, &server, email).await;
    app.click(&app.find("[data-testid=cancel]").await.unwrap())
        .await;
    let submit = app
        .wait_for("[data-testid=email-submit]", Duration::from_secs(5))
        .await;
    app.click(&submit).await;

    let error = app
        .wait_for("[data-testid=error]", Duration::from_secs(10))
        .await;
    assert_eq!(
        app.attribute(&error, "data-code").await.as_deref(),
        Some("rate_limited")
    );
    assert!(app.text(&error).await.contains("Try again in 10 minutes"));
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    let label = app.text(&submit).await;
    assert!(
        ["Try again in 10:00", "Try again in 9:5"]
            .iter()
            .any(|l| label.starts_with(l)),
        "{label}"
    );
    assert_eq!(
        app.attribute(&submit, "disabled").await.as_deref(),
        Some("true")
    );
    let input = app.find("[data-testid=email-input]").await.unwrap();
    assert_eq!(app.property(&input, "value").await.as_deref(), Some(email));
    assert_eq!(
        server.messages_to(email).await,
        1,
        "the refused request sent nothing"
    );
    screenshot("rate-limited");
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

    let notice = app
        .wait_for("[data-testid=notice]", Duration::from_secs(30))
        .await;
    assert!(
        app.text(&notice).await.contains("signed out"),
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
async fn quitting_while_waiting_comes_back_to_the_same_number() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let email = "hedy.e2e@example.com";
    let app = driver.launch_app().await;
    let link = request_links(&app, &server, email).await;
    let number = app
        .text(&app.find("[data-testid=link-number]").await.unwrap())
        .await;
    let pending = keyring::Entry::new(
        "dev.beckon.desktop",
        &format!("pending:{}", server.base_url),
    )
    .unwrap();
    assert!(
        pending.get_password().is_ok(),
        "the pending sign-in is in the keyring"
    );
    app.quit().await;

    // Relaunched: the same number, still waiting; the tap signs it in.
    let app = driver.launch_app().await;
    let shown = app
        .wait_for("[data-testid=link-number]", Duration::from_secs(20))
        .await;
    assert_eq!(app.text(&shown).await, number);
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
    assert!(
        matches!(pending.get_password(), Err(keyring::Error::NoEntry)),
        "the pending sign-in is forgotten once used"
    );
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_keyboard_alone_signs_in_and_cancels_and_changes_are_announced() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    // The email field has the focus at launch: type, then Enter.
    assert_eq!(app.active().await, input, "the email field is focused");
    app.type_into_focus("alan.e2e@example.com").await;
    app.type_into_focus(webdriver::ENTER).await;
    let number_el = app
        .wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text(&number_el).await;

    // The live region says the number; Cancel has the focus, and Enter cancels.
    let announce = app.find("[data-testid=announce]").await.unwrap();
    let said = app.property(&announce, "textContent").await.unwrap();
    assert!(
        said.contains(&format!("Tap link number {number}")),
        "{said}"
    );
    let cancel = app.find("[data-testid=cancel]").await.unwrap();
    assert_eq!(app.active().await, cancel, "Cancel is focused");
    app.type_into_focus(webdriver::ENTER).await;
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;
    assert_eq!(app.active().await, input, "back in the email field");
    assert_eq!(
        app.property(&input, "value").await.as_deref(),
        Some("alan.e2e@example.com")
    );
    app.quit().await;
}

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
    let number_el = app
        .wait_for("[data-testid=change-number]", Duration::from_secs(10))
        .await;
    let number = app.text(&number_el).await;
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
    let notice = app.find("[data-testid=notice]").await.unwrap();
    assert!(app.text(&notice).await.contains(new_email));
    assert!(app.find("[data-testid=change-number]").await.is_none());
    app.quit().await;
}

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
    let error = app
        .wait_for("[data-testid=settings-error]", Duration::from_secs(5))
        .await;
    assert!(app.text(&error).await.contains("http://"));
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

/// From the waiting screen, asks for a magic link to read on this computer instead; returns
/// the `beckon://` link the email holds.
async fn request_magic_link(app: &webdriver::Session, server: &Server, email: &str) -> String {
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

async fn shows_signed_in_as(app: &webdriver::Session, email: &str) {
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(15))
        .await;
    let shown = app
        .text(&app.find("[data-testid=user-email]").await.unwrap())
        .await;
    assert_eq!(shown, email);
}

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

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_only_says_an_email_is_unknown_and_offers_to_create_the_account() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "new.account.e2e@example.com";
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    app.click(&app.find("[data-testid=mode-signIn]").await.unwrap())
        .await;
    app.send_keys(&input, email).await;
    app.click(&app.find("[data-testid=email-submit]").await.unwrap())
        .await;
    let error = app
        .wait_for("[data-testid=error]", Duration::from_secs(10))
        .await;
    assert!(app
        .text(&error)
        .await
        .contains("No account uses this email"));
    screenshot("unknown-user");

    // The offer creates the account: the number shows, and the right link signs in.
    app.click(&app.find("[data-testid=offer-other]").await.unwrap())
        .await;
    let number = app
        .wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let link = link_numbered(&server, email, &app.text(&number).await).await;
    assert_eq!(server.confirm(&link).await.0, 200);
    shows_signed_in_as(&app, email).await;
    app.quit().await;
}
