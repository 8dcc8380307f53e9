//! Email over SMTP, against a real SMTP server on loopback (aiosmtpd): what arrives, retries
//! with backoff, refusals, nothing lost across a restart, TLS, and errors as hints.

use beckon_testkit::ErrorCode;
use beckon_testkit::{require, Service};
use std::time::Duration;

use beckon_server::config::{Config, Settings};
use beckon_server::store::sqlite_url;
use serde_json::json;

use crate::harness::{assert_error, config_with, delivered, TestServer};
use crate::mailer::{unused_port, SmtpServer};

/// SMTP with a login, the password in a file (kept while the file handle lives).
fn smtp_login(port: u16, password: &str) -> (Settings, tempfile::NamedTempFile) {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), format!("{password}\n")).unwrap();
    let settings = Settings {
        smtp_username: Some("beckon".into()),
        smtp_password_file: Some(file.path().to_owned()),
        ..smtp(port)
    };
    (settings, file)
}

fn smtp(port: u16) -> Settings {
    Settings {
        smtp_host: Some("127.0.0.1".into()),
        smtp_port: Some(port),
        smtp_security: Some("none".into()),
        smtp_from: Some("Beckon <sign-in@beckon.test>".into()),
        ..Settings::default()
    }
}

async fn sign_up_or_in(s: &TestServer, email: &str) -> serde_json::Value {
    let (status, started) = s
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": email}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    started
}

/// The three numbered links of a plain-text body: (number, URL).
fn numbered_links(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let (number, url) = line.trim().split_once(": ")?;
            (number.len() == 2 && number.chars().all(|c| c.is_ascii_digit()))
                .then(|| (number.to_owned(), url.to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn a_sign_in_email_arrives_over_smtp_with_numbered_links_and_signs_in() {
    if !require(Service::Smtp) {
        return;
    }
    let mail = SmtpServer::start(&["--user", "beckon", "--password", "s3cret pass"]).await;
    let (settings, _password) = smtp_login(mail.port, "s3cret pass");
    let s = TestServer::with_config(config_with(settings)).await;
    let started = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/signup-in/email", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .header("User-Agent", "Beckon desktop on ada-laptop")
        .json(&json!({"loginId": "ada@example.com"}))
        .send()
        .await
        .unwrap()
        .json::<serde_json::Value>()
        .await
        .unwrap();
    mail.wait_for("accepted", 1).await;
    let message = mail.message(1);

    let headers = &message["headers"];
    assert_eq!(headers["from"], "Beckon <sign-in@beckon.test>");
    assert_eq!(headers["to"], "ada@example.com");
    assert_eq!(message["rcpt_tos"], json!(["ada@example.com"]));
    assert_eq!(headers["subject"], "Your Beckon sign-in link");
    assert!(headers["message-id"]
        .as_str()
        .unwrap()
        .ends_with("@127.0.0.1>"));
    assert_eq!(message["content_type"], "multipart/alternative");

    // The plain text: three numbered links, what asked and when, and what to do if not you.
    let text = message["text"].as_str().unwrap();
    let links = numbered_links(text);
    assert_eq!(links.len(), 3, "{text}");
    assert!(
        text.contains(
            "  Device: \u{201c}Beckon desktop on ada-laptop\u{201d} (as it says; not checked)"
        ),
        "{text}"
    );
    assert!(
        text.contains("If this wasn't you, ignore this message."),
        "{text}"
    );
    // The HTML: the same links, each number on its own button.
    let html = message["html"].as_str().unwrap();
    for (number, url) in &links {
        assert!(html.contains(&format!(">{number}</a>")), "{html}");
        assert!(html.contains(&url.replace('&', "&amp;")), "{html}");
    }

    // The link with the number the desktop shows signs it in.
    let (_, url) = links.iter().find(|(n, _)| *n == started["linkId"]).unwrap();
    assert_eq!(s.verify(url).await.0, 200);
    let (status, _) = s.poll(started["pendingRef"].as_str().unwrap()).await;
    assert_eq!(status, 200);

    // The development outbox is off once mail is real, and the message is recorded as sent.
    let outbox = s
        .http
        .get(format!("{}/dev/outbox", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(outbox.status(), 404);
    s.wait_for_delivery(delivered(0, 1, 0)).await;
    // No text messages here: asking for one is refused, and nothing is queued.
    let refused = s
        .post(
            "/v1/auth/enchantedlink/signup-in/sms",
            json!({"loginId": "+14155550100"}),
        )
        .await;
    assert_error(&refused, 400, ErrorCode::InvalidRequest.as_str());
    assert!(refused.1["errorDescription"]
        .as_str()
        .unwrap()
        .contains("text messages"));
    s.wait_for_delivery(delivered(0, 1, 0)).await;
}

#[tokio::test]
async fn a_deferred_message_is_sent_once_after_a_backoff() {
    if !require(Service::Smtp) {
        return;
    }
    let mail = SmtpServer::start(&["--fail-first", "1"]).await;
    let s = TestServer::with_config(config_with(smtp(mail.port))).await;
    sign_up_or_in(&s, "ada@example.com").await;
    mail.wait_for("deferred", 1).await;
    s.wait_for_delivery(delivered(1, 0, 0)).await;
    let error = s.delivery_error(1).await;
    assert!(error.contains("451"), "{error}");

    // Not before its backoff (about 5 s on the server's clock: 2 to 7, made random)…
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(mail.count("accepted"), 0);
    // …then once.
    s.clock.advance(8);
    mail.wait_for("accepted", 1).await;
    s.wait_for_delivery(delivered(0, 1, 0)).await;
    s.clock.advance(600);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(mail.count("accepted"), 1, "sent once");
}

#[tokio::test]
async fn a_refused_recipient_is_given_up_with_the_reason() {
    if !require(Service::Smtp) {
        return;
    }
    let mail = SmtpServer::start(&["--reject-to", "nobody"]).await;
    let s = TestServer::with_config(config_with(smtp(mail.port))).await;
    sign_up_or_in(&s, "nobody@example.com").await;
    s.wait_for_delivery(delivered(0, 0, 1)).await;
    let error = s.delivery_error(1).await;
    assert!(
        error.contains("550") && error.contains("smtp_from"),
        "{error}"
    );
    assert_eq!(mail.count("accepted"), 0);
}

#[tokio::test]
async fn mail_queued_while_the_smtp_server_is_down_is_sent_after_a_restart() {
    if !require(Service::Smtp) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = unused_port();
    let config = Config {
        database: Some(sqlite_url(&dir.path().join("beckon.db"))),
        ..config_with(smtp(port))
    };
    // Nothing listens on the SMTP port: the message waits, with a hint.
    let first = TestServer::with_config(config.clone()).await;
    sign_up_or_in(&first, "ada@example.com").await;
    first.wait_for_delivery(delivered(1, 0, 0)).await;
    let error = first.delivery_error(1).await;
    assert!(error.contains("check smtp_host and smtp_port"), "{error}");
    // The server stops (its delivery worker with it)…
    first.server.stop().await.unwrap();

    // …the SMTP server comes up, and the restarted server sends the message, once.
    let mail = SmtpServer::start(&["--port", &port.to_string()]).await;
    let second = TestServer::with_config(config).await;
    // Past the retry's wait (about 5 s, 2 to 7 made random).
    second.clock.advance(8);
    mail.wait_for("accepted", 1).await;
    assert_eq!(mail.message(1)["headers"]["to"], "ada@example.com");
    second.wait_for_delivery(delivered(0, 1, 0)).await;
    second.clock.advance(600);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(mail.count("accepted"), 1);
}

#[tokio::test]
async fn a_wrong_password_is_retried_with_a_hint_naming_the_settings() {
    if !require(Service::Smtp) {
        return;
    }
    let mail = SmtpServer::start(&["--user", "beckon", "--password", "right"]).await;
    let (settings, _password) = smtp_login(mail.port, "wrong");
    let s = TestServer::with_config(config_with(settings)).await;
    sign_up_or_in(&s, "ada@example.com").await;
    s.wait_for_delivery(delivered(1, 0, 0)).await;
    let error = s.delivery_error(1).await;
    assert!(error.contains("535"), "{error}");
    assert!(
        error.contains("smtp_username") && error.contains("smtp_password_file"),
        "{error}"
    );
    assert!(
        !error.contains("wrong"),
        "the password is never in an error: {error}"
    );
}

#[tokio::test]
async fn starttls_with_a_private_ca_and_a_hint_without_it() {
    if !require(Service::Smtp) || !require(Service::Openssl) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    // A private certificate authority, and the server's certificate signed by it.
    let ca_key = dir.path().join("ca-key.pem");
    let ca = dir.path().join("ca.pem");
    let request = dir.path().join("server.csr");
    let openssl = |args: &[&std::ffi::OsStr]| {
        let made = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("openssl runs (scripts/setup.sh installs it)");
        assert!(
            made.status.success(),
            "{}",
            String::from_utf8_lossy(&made.stderr)
        );
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    openssl(&[
        os("req"),
        os("-x509"),
        os("-newkey"),
        os("rsa:2048"),
        os("-nodes"),
        os("-days"),
        os("1"),
        os("-subj"),
        os("/CN=Beckon test CA"),
        os("-keyout"),
        ca_key.as_os_str(),
        os("-out"),
        ca.as_os_str(),
    ]);
    openssl(&[
        os("req"),
        os("-newkey"),
        os("rsa:2048"),
        os("-nodes"),
        os("-subj"),
        os("/CN=127.0.0.1"),
        os("-keyout"),
        key.as_os_str(),
        os("-out"),
        request.as_os_str(),
    ]);
    let extensions = dir.path().join("server.ext");
    std::fs::write(
        &extensions,
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(&[
        os("x509"),
        os("-req"),
        os("-in"),
        request.as_os_str(),
        os("-CA"),
        ca.as_os_str(),
        os("-CAkey"),
        ca_key.as_os_str(),
        os("-CAcreateserial"),
        os("-days"),
        os("1"),
        os("-extfile"),
        extensions.as_os_str(),
        os("-out"),
        cert.as_os_str(),
    ]);
    let mail = SmtpServer::start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ])
    .await;

    // The certificate is not from a public authority: refused, with the setting that fixes it.
    let s = TestServer::with_config(config_with(Settings {
        smtp_security: Some("starttls".into()),
        ..smtp(mail.port)
    }))
    .await;
    sign_up_or_in(&s, "ada@example.com").await;
    let error = s.delivery_error(1).await;
    assert!(error.contains("smtp_ca_file"), "{error}");
    assert_eq!(mail.count("accepted"), 0);

    // Trusting its CA, the mail goes out over STARTTLS.
    let s = TestServer::with_config(config_with(Settings {
        smtp_security: Some("starttls".into()),
        smtp_ca_file: Some(ca.clone()),
        ..smtp(mail.port)
    }))
    .await;
    sign_up_or_in(&s, "grace@example.com").await;
    mail.wait_for("accepted", 1).await;
    assert_eq!(mail.message(1)["headers"]["to"], "grace@example.com");
}

#[test]
fn smtp_settings_that_cannot_work_stop_the_start_with_the_fix() {
    let err = |settings: Settings| Config::from_settings(settings).unwrap_err().to_string();
    let no_from = err(Settings {
        smtp_from: None,
        ..smtp(25)
    });
    assert!(no_from.contains("smtp_from is required"), "{no_from}");
    let stray = err(Settings {
        smtp_port: Some(25),
        ..Settings::default()
    });
    assert!(
        stray.contains("smtp_port is set but smtp_host is not"),
        "{stray}"
    );
    let half = err(Settings {
        smtp_username: Some("beckon".into()),
        ..smtp(25)
    });
    assert!(half.contains("--smtp-password-file"), "{half}");
    let missing_file = err(Settings {
        smtp_username: Some("beckon".into()),
        smtp_password_file: Some("/nonexistent/smtp-password".into()),
        ..smtp(25)
    });
    assert!(
        missing_file.contains("BECKON_SMTP_PASSWORD_FILE") && missing_file.contains("cannot read"),
        "{missing_file}"
    );
    let bad_security = err(Settings {
        smtp_security: Some("ssl".into()),
        ..smtp(25)
    });
    assert!(
        bad_security.contains("starttls (port 587)"),
        "{bad_security}"
    );
    let bad_from = err(Settings {
        smtp_from: Some("not an address".into()),
        ..smtp(25)
    });
    assert!(
        bad_from.contains("Beckon <sign-in@example.com>"),
        "{bad_from}"
    );
}
