//! Signing in through the window: the number, the links, cancel, expiry, rate limits, the
//! keyboard alone, a server that goes away and comes back, sign-in only.

use std::time::{Duration, Instant};

use crate::harness::{
    screenshot, wait_for_single_instance_to_end, NotificationDaemon, Server, ServerOptions,
    TauriDriver,
};
use crate::steps::*;
use crate::webdriver;

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
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text_at("[data-testid=link-number]").await;
    assert_eq!(number.len(), 2, "the link number is two digits: {number:?}");
    assert!(number.chars().all(|c| c.is_ascii_digit()));
    let masked = app.text_at("[data-testid=masked-email]").await;
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
    let shown = app.text_at("[data-testid=user-email]").await;
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
    // The app's poll is held by the server while it waits…
    server.until_held(1, Duration::from_secs(10)).await;
    app.click(&app.find("[data-testid=cancel]").await.unwrap())
        .await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;
    // …and Cancel drops it at once (the server stops holding it), and no other follows.
    server.until_held(0, Duration::from_secs(5)).await;
    let polls = server.requests_to(PENDING_SESSION);
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        server.requests_to(PENDING_SESSION),
        polls,
        "no polls after Cancel"
    );
    assert_eq!(server.held_now().await, 0);

    // With the server gone, sending says the server cannot be reached, keeping the email.
    server.stop();
    app.click(&app.find("[data-testid=email-submit]").await.unwrap())
        .await;
    let error = app
        .wait_for("[data-testid=error]", Duration::from_secs(40))
        .await;
    assert!(
        app.text_at("[data-testid=error]")
            .await
            .contains("Can't reach"),
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

/// The tap comes 20 s after the number appears: the app asked once (held) or twice, never
/// once a second; the window comes forward and a notification reaches the desktop's daemon,
/// since the person was looking at their phone.
#[tokio::test(flavor = "multi_thread")]
async fn a_late_tap_is_one_held_request_and_a_notification() {
    let daemon = NotificationDaemon::start().await;
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "ida.e2e@example.com";
    let link = request_links(&app, &server, email).await;
    server.until_held(1, Duration::from_secs(10)).await;
    tokio::time::sleep(Duration::from_secs(20)).await;
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
    let polls = server.requests_to(PENDING_SESSION);
    assert!(
        (1..=2).contains(&polls),
        "{polls} pending-session requests in 20 s"
    );
    assert_eq!(
        server.held_requests_to(PENDING_SESSION),
        polls,
        "each of them held"
    );
    daemon
        .wait_for("Signed in to Beckon", email, Duration::from_secs(10))
        .await;
    app.quit().await;
}

/// "No, this wasn't me" on the phone: the window says so at once, with one button to start
/// again, and the links are spent. Starting again is refused while sign-ins to the address
/// are paused, and the window says for how long; the owner's email lifts the pause.
#[tokio::test(flavor = "multi_thread")]
async fn a_decline_on_the_phone_shows_declined_then_paused_until_the_owner_allows() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let app = driver.launch_app().await;
    let email = "joan.e2e@example.com";
    let link = request_links(&app, &server, email).await;
    server.until_held(1, Duration::from_secs(10)).await;
    let (status, page, _) = server.answer(&link, "no").await;
    assert_eq!(status, 200);
    assert!(page.contains("nobody was signed in"), "{page}");
    let error = app
        .wait_for("[data-testid=error]", Duration::from_secs(10))
        .await;
    assert_eq!(
        app.attribute(&error, "data-code").await.as_deref(),
        Some("declined")
    );
    assert!(app
        .text_at("[data-testid=error]")
        .await
        .contains("Declined on your phone"));
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    assert_eq!(
        app.text_at("[data-testid=email-submit]").await,
        "Start again"
    );
    assert!(app.find("[data-testid=offer-other]").await.is_none());
    screenshot("declined");
    assert_eq!(server.confirm(&link).await.0, 404, "the links are spent");

    // Starting again: paused, with the time left, and no new email.
    app.click(&submit).await;
    wait_for_text(
        &app,
        "[data-testid=error]",
        "paused for 15 more minutes",
        Duration::from_secs(10),
    )
    .await;
    let error = app.find("[data-testid=error]").await.unwrap();
    assert_eq!(
        app.attribute(&error, "data-code").await.as_deref(),
        Some("paused")
    );
    screenshot("paused");
    assert_eq!(server.messages_of_kind(email, "sign_in").await, 1);

    // "It was me": the owner's email lifts the pause, and the same button sends new links.
    let allow = server.latest_message_of_kind(email, "paused").await["links"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, page) = server.submit(&allow).await;
    assert_eq!(status, 200, "{page}");
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    app.click(&submit).await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
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
    let number = app.text_at("[data-testid=link-number]").await;

    // The server goes away: the number stays, and the window says it is reconnecting.
    server.stop();
    wait_for_text(
        &app,
        "[data-testid=wait-status]",
        "reconnecting",
        Duration::from_secs(15),
    )
    .await;
    assert_eq!(app.text_at("[data-testid=link-number]").await, number);
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
    assert!(app.text_at("[data-testid=error]").await.contains("expired"));
    let input = app.find("[data-testid=email-input]").await.unwrap();
    assert_eq!(app.property(&input, "value").await.as_deref(), Some(email));
    screenshot("expired");
    // The old link no longer works…
    assert_ne!(server.confirm(&link).await.0, 200);

    // …and the one button sends a new one.
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    assert_eq!(
        app.text_at("[data-testid=email-submit]").await,
        "Send a new link"
    );
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
    assert!(app
        .text_at("[data-testid=error]")
        .await
        .contains("Try again in 10 minutes"));
    let submit = app.find("[data-testid=email-submit]").await.unwrap();
    let label = app.text_at("[data-testid=email-submit]").await;
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
async fn quitting_while_waiting_comes_back_to_the_same_number_and_the_phone_waits_for_it() {
    let server = Server::start().await;
    let driver = TauriDriver::start(&server).await;
    let email = "hedy.e2e@example.com";
    let app = driver.launch_app().await;
    let link = request_links(&app, &server, email).await;
    let number = app.text_at("[data-testid=link-number]").await;
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

    // Relaunched: the same number, still waiting.
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(20))
        .await;
    assert_eq!(app.text_at("[data-testid=link-number]").await, number);
    app.quit().await;
    // Closed as far as the server can tell: the process gone, and then the poll it held,
    // which the server drops when it sees the connection close. A tap before that would be
    // answered by the closing app's own poll.
    wait_for_single_instance_to_end().await;
    server.until_held(0, Duration::from_secs(20)).await;

    // Tapped while the app is closed: the phone waits for the computer, honestly.
    let (status, page, phone_page) = server.answer(&link, "yes").await;
    assert_eq!(status, 200);
    assert!(page.contains("Waiting for your computer"), "{page}");

    // Relaunched: the same number, and the confirmed sign-in completes at once; the phone's
    // page (it reloads itself) now says the computer is signed in.
    let app = driver.launch_app().await;
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(20))
        .await;
    let page = server.page(&phone_page).await;
    assert!(page.contains("Your computer is signed in"), "{page}");
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
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text_at("[data-testid=link-number]").await;

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
    app.wait_for("[data-testid=error]", Duration::from_secs(10))
        .await;
    assert!(app
        .text_at("[data-testid=error]")
        .await
        .contains("No account uses this email"));
    screenshot("unknown-user");

    // The offer creates the account: the number shows, and the right link signs in.
    app.click(&app.find("[data-testid=offer-other]").await.unwrap())
        .await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let link = link_numbered(
        &server,
        email,
        &app.text_at("[data-testid=link-number]").await,
    )
    .await;
    assert_eq!(server.confirm(&link).await.0, 200);
    shows_signed_in_as(&app, email).await;
    app.quit().await;
}

/// When the link is not the way: after a while the waiting screen offers help (half the
/// links' 20 s here, a minute at the default five minutes), and the code from the email,
/// typed in the window, signs in; a wrong one says how many tries are left.
#[tokio::test(flavor = "multi_thread")]
async fn the_code_from_the_email_signs_in_and_help_comes_after_a_while() {
    let server = Server::start_with(ServerOptions {
        link_ttl: Some(20),
        ..Default::default()
    })
    .await;
    let driver =
        TauriDriver::start_with_env(Some(&server), &[("BECKON_LINK_LIFETIME", "20")]).await;
    let app = driver.launch_app().await;
    let email = "ruth.e2e@example.com";
    request_links(&app, &server, email).await;
    let shown = Instant::now();
    let text = server.latest_message_to(email).await["text"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = beckon_testkit::links::code_in(&text);
    // No help before its time (10 s after the links went out). Checked only while the test
    // is surely early: a machine slow enough to take that long is not an error.
    let hidden = app.find("[data-testid=help][hidden]").await.is_some();
    if shown.elapsed() < Duration::from_secs(5) {
        assert!(hidden, "no help before its time");
    }

    app.wait_for("[data-testid=help]:not([hidden])", Duration::from_secs(20))
        .await;
    assert!(app.text_at("[data-testid=help]").await.contains("spam"));

    app.click(&app.find("[data-testid=show-code]").await.unwrap())
        .await;
    let input = app
        .wait_for("[data-testid=code-input]", Duration::from_secs(5))
        .await;
    app.send_keys(&input, "AAAA-AAAA").await;
    app.click(&app.find("[data-testid=code-submit]").await.unwrap())
        .await;
    wait_for_text(
        &app,
        "[data-testid=code-error]",
        "4 more tries",
        Duration::from_secs(10),
    )
    .await;
    screenshot("code");
    let input = app.find("[data-testid=code-input]").await.unwrap();
    app.clear(&input).await;
    app.send_keys(&input, &code.to_lowercase()).await;
    app.click(&app.find("[data-testid=code-submit]").await.unwrap())
        .await;
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
    assert_eq!(app.text_at("[data-testid=user-email]").await, email);
    app.quit().await;
}
