//! Messages and pages in the person's language: the request's `locale` (or an update's own),
//! else the user's from their last sign-in, else `default_locale`; the confirm page follows
//! the phone's `Accept-Language` first. A region falls back to its language. The number and
//! the code stay ASCII, left to right, in every language.

use serde_json::{json, Value};

use crate::harness::{assert_error, config_with, TestServer};

/// Starts a sign-up-or-in for `login_id` through `channel` (`email` or `sms`) with `options`
/// as its loginOptions: the answer and the newest sign-in message to it.
async fn start(s: &TestServer, channel: &str, login_id: &str, options: Value) -> (Value, Value) {
    let (status, body) = s
        .post(
            &format!("/v1/auth/enchantedlink/signup-in/{channel}"),
            json!({"loginId": login_id, "loginOptions": options}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    (body, newest_to(s, login_id).await)
}

async fn newest_to(s: &TestServer, to: &str) -> Value {
    s.outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == to && m["kind"] == "sign_in")
        .expect("a sign-in message")
}

fn text(message: &Value, field: &str) -> String {
    message[field].as_str().unwrap().to_owned()
}

/// The confirm page of the link numbered `number` in `message`, asked for with
/// `accept_language` (none: no header).
async fn page(
    s: &TestServer,
    message: &Value,
    number: &Value,
    accept_language: Option<&str>,
) -> String {
    let url = crate::harness::link_numbered(message, number);
    let mut request = s.http.get(url);
    if let Some(languages) = accept_language {
        request = request.header("Accept-Language", languages);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

/// The `lang` and `dir` of a page's or an email's root element.
fn lang_and_dir(html: &str) -> (String, String) {
    let at = html.find("<html ").expect("an html element");
    let tag = &html[at..at + html[at..].find('>').unwrap()];
    let attribute = |name: &str| {
        let open = format!("{name}=\"");
        let from = tag
            .find(&open)
            .unwrap_or_else(|| panic!("no {name} on {tag}"))
            + open.len();
        tag[from..][..tag[from..].find('"').unwrap()].to_owned()
    };
    (attribute("lang"), attribute("dir"))
}

/// In each shipped language, by `loginOptions.locale`: the subject, the text and the HTML of
/// the email, the text message, and the confirm page (which, without an `Accept-Language`,
/// follows the request).
#[tokio::test]
async fn the_email_the_text_and_the_page_follow_the_requests_locale() {
    let s = TestServer::start().await;
    let cases = [
        (
            "en-US",
            "en",
            "ltr",
            "Your Beckon sign-in link",
            "Is this you?",
            "Sign in to Beckon?",
        ),
        (
            "de-AT",
            "de",
            "ltr",
            "Ihr Anmeldelink für Beckon",
            "Sind Sie das?",
            "Bei Beckon anmelden?",
        ),
        (
            "es-MX",
            "es",
            "ltr",
            "Tu enlace para entrar en Beckon",
            "¿Eres tú?",
            "¿Entrar en Beckon?",
        ),
        (
            "ar-EG",
            "ar",
            "rtl",
            "رابط تسجيل الدخول إلى \u{2068}Beckon\u{2069}",
            "هل هذا أنت؟",
            "تسجيل الدخول إلى \u{2068}Beckon\u{2069}؟",
        ),
    ];
    for (i, (locale, lang, dir, subject, is_this_you, title)) in cases.into_iter().enumerate() {
        let email = format!("reader{i}@example.com");
        let (started, message) = start(&s, "email", &email, json!({"locale": locale})).await;
        assert_eq!(text(&message, "subject"), subject, "{locale}");
        assert!(
            text(&message, "text").contains(is_this_you),
            "{locale}: {message}"
        );
        let html = text(&message, "html");
        assert_eq!(
            lang_and_dir(&html),
            (lang.to_owned(), dir.to_owned()),
            "{locale}"
        );
        assert!(html.contains(&format!("<body dir=\"{dir}\"")), "{html}");
        // The code, ASCII and left to right whatever the language.
        let code = beckon_testkit::links::code_in(&text(&message, "text"));
        assert!(
            html.contains("<p dir=\"ltr\" style=\"font-family:ui-monospace"),
            "{html}"
        );
        assert!(html.contains(&code), "{html}");

        let page = page(&s, &message, &started["linkId"], None).await;
        assert_eq!(
            lang_and_dir(&page),
            (lang.to_owned(), dir.to_owned()),
            "{locale}"
        );
        assert!(
            page.contains(&format!("<title>{title}</title>")),
            "{locale}: {page}"
        );

        let phone = format!("+1555010{i:04}");
        let (_, sms) = start(&s, "sms", &phone, json!({"locale": locale})).await;
        let sms_text = text(&sms, "text");
        match lang {
            "en" => assert!(sms_text.starts_with("Beckon sign-in\n"), "{sms_text}"),
            "de" => assert!(sms_text.starts_with("Anmeldung bei Beckon\n"), "{sms_text}"),
            "es" => assert!(sms_text.starts_with("Entrar en Beckon\n"), "{sms_text}"),
            _ => assert!(
                sms_text.starts_with("تسجيل الدخول إلى \u{2068}Beckon\u{2069}\n"),
                "{sms_text}"
            ),
        }
        assert_eq!(beckon_testkit::links::code_in(&sms_text).len(), 9);
    }
}

/// The phone's own languages win on the page (by their q-values), whatever the computer
/// asked for; a region falls back to its language, a language the server lacks to the next.
#[tokio::test]
async fn the_page_follows_the_phones_accept_language_then_the_request() {
    let s = TestServer::start().await;
    let (started, message) = start(&s, "email", "ada@example.com", json!({"locale": "de"})).await;
    let number = &started["linkId"];
    let lang = |page: String| lang_and_dir(&page).0;
    assert_eq!(
        lang(page(&s, &message, number, Some("es-MX,es;q=0.9,en;q=0.5")).await),
        "es"
    );
    assert_eq!(
        lang(page(&s, &message, number, Some("en;q=0.2, ar;q=0.8")).await),
        "ar"
    );
    assert_eq!(
        lang(page(&s, &message, number, Some("fr-FR, fr;q=0.9, es;q=0.1")).await),
        "es"
    );
    // Nothing the server has: the request's language.
    assert_eq!(
        lang(page(&s, &message, number, Some("fr, ja;q=0.5")).await),
        "de"
    );
    assert_eq!(
        lang(page(&s, &message, number, Some("es;q=0, *")).await),
        "de"
    );
    assert_eq!(lang(page(&s, &message, number, None).await), "de");
}

/// The Arabic page mirrors, and its number is a left-to-right run of ASCII digits, in the
/// big number and in the sentence that names it.
#[tokio::test]
async fn the_arabic_page_is_right_to_left_with_the_number_left_to_right() {
    let s = TestServer::start().await;
    let (started, message) = start(&s, "email", "ada@example.com", json!({})).await;
    let number = started["linkId"].as_str().unwrap();
    assert!(number.len() == 2 && number.bytes().all(|b| b.is_ascii_digit()));
    let page = page(&s, &message, &started["linkId"], Some("ar")).await;
    assert_eq!(lang_and_dir(&page), ("ar".to_owned(), "rtl".to_owned()));
    assert!(
        page.contains(&format!(
            "<div class=\"number\" dir=\"ltr\" data-testid=\"number\">{number}</div>"
        )),
        "{page}"
    );
    assert!(
        page.contains(&format!("<b dir=\"ltr\">{number}</b>")),
        "{page}"
    );
    assert!(
        page.contains("لا، لم أكن أنا"),
        "the No button in Arabic: {page}"
    );
}

/// Without a locale, a returning user's messages are in the language of their last sign-in;
/// a first request with none is in `default_locale`.
#[tokio::test]
async fn without_a_locale_the_users_last_one_then_the_default() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        default_locale: Some("es".into()),
        ..Default::default()
    }))
    .await;
    let (_, first) = start(&s, "email", "ada@example.com", json!({})).await;
    assert_eq!(text(&first, "subject"), "Tu enlace para entrar en Beckon");
    // Signed in in German...
    let (started, message) = start(&s, "email", "ada@example.com", json!({"locale": "de"})).await;
    let url = crate::harness::link_numbered(&message, &started["linkId"]);
    assert_eq!(s.verify(&url).await.0, 200);
    // ...so German from now on, when the request names no language.
    let (_, next) = start(&s, "email", "ada@example.com", json!({})).await;
    assert_eq!(text(&next, "subject"), "Ihr Anmeldelink für Beckon");
    // An explicit one still wins.
    let (_, spanish) = start(&s, "email", "ada@example.com", json!({"locale": "ar"})).await;
    assert!(text(&spanish, "subject").starts_with("رابط"), "{spanish}");
}

/// An update's body has no loginOptions: its own top-level `locale` is read.
#[tokio::test]
async fn an_update_takes_a_top_level_locale() {
    let s = TestServer::start().await;
    let session = s.sign_up("ada@example.com").await;
    let refresh = session["refreshJwt"].as_str().unwrap();
    let (status, body) = s
        .post_as(
            refresh,
            "/v1/auth/enchantedlink/update/email",
            json!({"loginId": "ada@example.com", "email": "ada@example.org", "locale": "es"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let message = newest_to(&s, "ada@example.org").await;
    assert_eq!(
        text(&message, "subject"),
        "Confirma tu nueva dirección de correo para Beckon"
    );
}

/// A locale that is not a language tag is refused, in the wire's format, and nothing is sent.
#[tokio::test]
async fn a_locale_that_is_not_a_language_tag_is_refused_and_changes_nothing() {
    let s = TestServer::start().await;
    for bad in [json!("es_MX!"), json!("x".repeat(500)), json!(7)] {
        let before = s.outbox().await.len();
        let answer = s
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": "ada@example.com", "loginOptions": {"locale": bad}}),
            )
            .await;
        assert_eq!(answer.0, 400, "{bad}: {}", answer.1);
        assert_eq!(s.outbox().await.len(), before, "nothing sent for {bad}");
        if bad.is_string() {
            assert_error(&answer, 400, "E011003");
            let description = answer.1["errorDescription"].as_str().unwrap();
            assert!(description.contains("locale"), "{description}");
            assert!(
                description.len() < 200,
                "the bad value is not echoed whole: {description}"
            );
        }
    }
}

/// An operator's own `.ftl` file overrides a message, in one language; the others keep the
/// shipped words.
#[tokio::test]
async fn an_operators_messages_dir_overrides_a_message() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("es")).unwrap();
    std::fs::write(
        dir.path().join("es/acme.ftl"),
        "mail-sign-in-subject = Entra en { $app }, de Acme\n",
    )
    .unwrap();
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        messages_dir: Some(dir.path().to_owned()),
        ..Default::default()
    }))
    .await;
    let (_, spanish) = start(&s, "email", "ada@example.com", json!({"locale": "es"})).await;
    assert_eq!(text(&spanish, "subject"), "Entra en Beckon, de Acme");
    let (_, german) = start(&s, "email", "bob@example.com", json!({"locale": "de"})).await;
    assert_eq!(text(&german, "subject"), "Ihr Anmeldelink für Beckon");
}
