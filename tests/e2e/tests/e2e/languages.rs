//! The window in the person's language: the system's (`LANG` for the app's process), sent to
//! the server so the email and the phone page match; Arabic mirrored, with the number left to
//! right; and every screen under the pseudo-locale, which shows any string that skipped the
//! message files.

use std::time::Duration;

use serde_json::Value;

use crate::harness::{screenshot, Server, TauriDriver};
use crate::steps::*;
use crate::webdriver::Session;

/// The page's `lang` and `dir`.
async fn lang_and_dir(app: &Session) -> (String, String) {
    let found = app
        .execute("return [document.documentElement.lang, document.documentElement.dir];")
        .await;
    (
        found[0].as_str().unwrap_or_default().to_owned(),
        found[1].as_str().unwrap_or_default().to_owned(),
    )
}

/// The app against a fresh server, its process in the system locale `posix` (`LANG`), once
/// its first screen is up and its page says `lang` and `dir`; and that screen's email field.
async fn open_in(posix: &str, lang: &str, dir: &str) -> (Server, TauriDriver, Session, String) {
    let server = Server::start().await;
    let driver = TauriDriver::start_with_env(Some(&server), &[("LANG", posix)]).await;
    let app = driver.launch_app().await;
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(20))
        .await;
    assert_eq!(lang_and_dir(&app).await, (lang.into(), dir.into()));
    (server, driver, app, input)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_the_email_and_the_page_speak_spanish_when_the_system_does() {
    let (server, _driver, app, _) = open_in("es_ES.UTF-8", "es", "ltr").await;
    wait_for_text(&app, "h1", "Entrar", Duration::from_secs(5)).await;
    screenshot("es-email");

    let email = "lucia.e2e@example.com";
    let link = request_links(&app, &server, email).await;
    wait_for_text(
        &app,
        "[data-testid=waiting]",
        "Abre el correo en tu teléfono",
        Duration::from_secs(5),
    )
    .await;
    screenshot("es-waiting");
    // The request carried the language: the email is Spanish, and so is its page.
    let message = server.latest_message_to(email).await;
    assert_eq!(message["subject"], "Tu enlace para entrar en Beckon");
    let page = reqwest::get(&link).await.unwrap().text().await.unwrap();
    assert!(page.contains("<html lang=\"es\" dir=\"ltr\">"), "{page}");
    assert!(page.contains("Sí, quiero entrar"), "{page}");

    assert_eq!(server.confirm(&link).await.0, 200);
    wait_for_text(
        &app,
        "[data-testid=signed-in]",
        "Has entrado",
        Duration::from_secs(10),
    )
    .await;
    screenshot("es-signed-in");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_speaks_german_when_the_system_does() {
    let (server, _driver, app, _) = open_in("de_DE.UTF-8", "de", "ltr").await;
    wait_for_text(&app, "h1", "Anmelden", Duration::from_secs(5)).await;
    screenshot("de-email");
    let email = "jonas.e2e@example.com";
    request_links(&app, &server, email).await;
    wait_for_text(
        &app,
        "[data-testid=waiting]",
        "Öffnen Sie die E-Mail",
        Duration::from_secs(5),
    )
    .await;
    screenshot("de-waiting");
    let message = server.latest_message_to(email).await;
    assert_eq!(message["subject"], "Ihr Anmeldelink für Beckon");
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_window_mirrors_in_arabic_with_the_number_left_to_right() {
    let (server, _driver, app, _) = open_in("ar_EG.UTF-8", "ar", "rtl").await;
    screenshot("ar-email");

    let email = "layla.e2e@example.com";
    let link = request_links(&app, &server, email).await;
    let number = app.text_at("[data-testid=link-number]").await;
    assert!(
        number.len() == 2 && number.bytes().all(|b| b.is_ascii_digit()),
        "{number:?}"
    );
    let element = app.find("[data-testid=link-number]").await.unwrap();
    assert_eq!(app.attribute(&element, "dir").await.as_deref(), Some("ltr"));
    // The whole view mirrors: its start is on the right.
    let mirrored = app
        .execute(
            "return getComputedStyle(document.querySelector('[data-testid=waiting]')).direction;",
        )
        .await;
    assert_eq!(mirrored, "rtl");
    wait_for_text(
        &app,
        "[data-testid=waiting]",
        "افتح البريد على هاتفك",
        Duration::from_secs(5),
    )
    .await;
    screenshot("ar-waiting");
    let message = server.latest_message_to(email).await;
    assert!(message["html"]
        .as_str()
        .unwrap()
        .contains("<html lang=\"ar\" dir=\"rtl\">"));

    assert_eq!(server.confirm(&link).await.0, 200);
    wait_for_text(
        &app,
        "[data-testid=signed-in]",
        "سجّلت الدخول",
        Duration::from_secs(10),
    )
    .await;
    screenshot("ar-signed-in");
    app.quit().await;
}

/// Every run of two or more ASCII letters on the screen that is not a value the person gave
/// or the app's name: under `en-XA` every message's letters are accented, so such a run is
/// a string that skipped the message files. A language's own name (in the chooser) is the
/// exception.
const UNTRANSLATED: &str = r#"
const found = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const parent = node.parentElement;
  if (!parent || parent.closest("script, style, [hidden]")) continue;
  // A language's own name (the chooser's options) is no translation's to change.
  const named = parent.closest("[data-name]");
  const text = named ? node.textContent.replace(named.dataset.name, "") : node.textContent;
  for (const word of text.split(/\s+/)) {
    if (word.includes("@") || word.includes("://") || word.startsWith("BECKON_")) continue;
    const bare = word.replace(/[^A-Za-z]/g, " ").trim();
    for (const run of bare.split(/\s+/)) {
      if (run.length >= 2 && run !== "Beckon") found.push(word);
    }
  }
}
for (const labelled of document.querySelectorAll("[aria-label]")) {
  const label = labelled.getAttribute("aria-label");
  if (/[A-Za-z]{2,}/.test(label.replace(/Beckon/g, ""))) found.push(label);
}
return found;
"#;

/// Each screen is drawn whole (`replaceChildren`), so whatever screen is up when this reads
/// is a complete one, and every screen must pass.
async fn assert_translated(app: &Session, screen: &str) {
    let found = app.execute(UNTRANSLATED).await;
    let words: Vec<&str> = found
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert!(
        words.is_empty(),
        "untranslated on the {screen} screen: {words:?}"
    );
}

async fn click(app: &Session, selector: &str) {
    let element = app.wait_for(selector, Duration::from_secs(10)).await;
    app.click(&element).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_screen_speaks_the_pseudo_locale_so_no_string_skipped_the_files() {
    let (server, _driver, app, input) = open_in("en_XA.UTF-8", "en-XA", "ltr").await;
    assert_translated(&app, "email").await;
    screenshot("pseudo-email");

    // A malformed address: the hint.
    app.send_keys(&input, "nope").await;
    click(&app, "[data-testid=email-submit]").await;
    app.wait_for(
        "[data-testid=email-input][aria-invalid=true]",
        Duration::from_secs(5),
    )
    .await;
    assert_translated(&app, "email with its hint").await;

    // Settings, and back.
    click(&app, "[data-testid=open-settings]").await;
    app.wait_for("[data-testid=settings]", Duration::from_secs(5))
        .await;
    assert_translated(&app, "settings").await;
    click(&app, "[data-testid=settings-back]").await;

    // Waiting, with the code form open and a wrong code's error.
    let email = "pseudo.e2e@example.com";
    let input = app
        .wait_for("[data-testid=email-input]", Duration::from_secs(5))
        .await;
    app.clear(&input).await;
    request_links(&app, &server, email).await;
    // The server wrote the email in the pseudo-locale too.
    let message = server.latest_message_to(email).await;
    assert!(
        !message["subject"].as_str().unwrap().contains("sign-in"),
        "{message}"
    );
    click(&app, "[data-testid=show-code]").await;
    let code = app
        .wait_for("[data-testid=code-input]", Duration::from_secs(5))
        .await;
    app.send_keys(&code, "AAAA-AAAA").await;
    click(&app, "[data-testid=code-submit]").await;
    app.wait_for(
        "[data-testid=code-error]:not([hidden])",
        Duration::from_secs(10),
    )
    .await;
    assert_translated(&app, "waiting").await;
    screenshot("pseudo-waiting");

    // A magic link for this computer, then back to the phone.
    click(&app, "[data-testid=send-magic]").await;
    app.wait_for("[data-testid=magic-sent]", Duration::from_secs(10))
        .await;
    assert_translated(&app, "magic link sent").await;
    click(&app, "[data-testid=use-phone]").await;
    app.wait_for("[data-testid=link-number]", Duration::from_secs(10))
        .await;
    let number = app.text_at("[data-testid=link-number]").await;
    let link = link_numbered(&server, email, &number).await;

    // Signed in, the change-email form, and a change waiting for its tap.
    assert_eq!(server.confirm(&link).await.0, 200);
    app.wait_for("[data-testid=signed-in]", Duration::from_secs(10))
        .await;
    assert_translated(&app, "signed in").await;
    screenshot("pseudo-signed-in");
    click(&app, "[data-testid=change-email]").await;
    let change = app
        .wait_for("[data-testid=change-input]", Duration::from_secs(5))
        .await;
    app.send_keys(&change, email).await;
    click(&app, "[data-testid=change-submit]").await;
    app.wait_for(
        "[data-testid=change-input][aria-invalid=true]",
        Duration::from_secs(5),
    )
    .await;
    assert_translated(&app, "change email").await;
    let change = app.find("[data-testid=change-input]").await.unwrap();
    app.clear(&change).await;
    app.send_keys(&change, "pseudo.new.e2e@example.com").await;
    click(&app, "[data-testid=change-submit]").await;
    app.wait_for("[data-testid=change-number]", Duration::from_secs(10))
        .await;
    assert_translated(&app, "change waiting").await;
    click(&app, "[data-testid=change-cancel]").await;

    // Signed out: the email screen again; then a sign-up for a known address fails.
    click(&app, "[data-testid=sign-out]").await;
    app.wait_for("[data-testid=email-input]", Duration::from_secs(10))
        .await;
    assert_translated(&app, "signed out").await;
    click(&app, "[data-testid=mode-signUp]").await;
    let input = app.find("[data-testid=email-input]").await.unwrap();
    app.clear(&input).await;
    app.send_keys(&input, email).await;
    click(&app, "[data-testid=email-submit]").await;
    app.wait_for("[data-testid=error]", Duration::from_secs(10))
        .await;
    assert_translated(&app, "failed").await;
    screenshot("pseudo-failed");
    app.quit().await;
}
