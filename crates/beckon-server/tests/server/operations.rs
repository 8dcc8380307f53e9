//! What an operator relies on: approved redirects, health endpoints, expired rows cleaned up,
//! settings layered and refused with the fix.

use beckon_server::config::{Cli, Config, Settings};
use clap::Parser;
use serde_json::json;

use crate::harness::{assert_error, TestServer};

#[tokio::test]
async fn a_redirect_outside_the_approved_domains_is_refused_and_sends_nothing() {
    let s = TestServer::start().await;
    for uri in [
        "https://evil.example.net/steal",
        "https://app.example.com.evil.net/",
        "otherapp://auth",
    ] {
        let response = s
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": "ada@example.com", "URI": uri}),
            )
            .await;
        assert_error(&response, 400, "E011003");
        assert!(response.1["errorMessage"]
            .as_str()
            .unwrap()
            .contains("approved_domains"));
    }
    assert!(s.outbox().await.is_empty());

    // Approved: a subdomain of an approved domain, and the app's own scheme.
    for (uri, path) in [
        (
            "https://eu.app.example.com/verify",
            "/v1/auth/enchantedlink/signup-in/email",
        ),
        ("beckon://auth", "/v1/auth/magiclink/signup-in/email"),
    ] {
        let (status, body) = s
            .post(path, json!({"loginId": "ada@example.com", "URI": uri}))
            .await;
        assert_eq!(status, 200, "{uri}: {body}");
    }
}

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let s = TestServer::start().await;
    for (path, status) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let response = s
            .http
            .get(format!("{}{path}", s.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["status"], status);
    }
}

#[tokio::test]
async fn expired_requests_are_cleaned_up_an_hour_after_they_expire() {
    let s = TestServer::start().await;
    let (started, _) = s.start_link("ada@example.com").await;
    let pending_ref = started["pendingRef"].as_str().unwrap();
    s.clock.advance(301);
    assert_error(&s.poll(pending_ref).await, 400, "E062504");

    let store = &s.server.state.store;
    store.delete_expired(s.clock_now()).await.unwrap();
    assert_error(&s.poll(pending_ref).await, 400, "E062504");
    s.clock.advance(3600);
    assert!(store.delete_expired(s.clock_now()).await.unwrap() >= 1);
    assert_error(&s.poll(pending_ref).await, 400, "E063010");
}

#[test]
fn flags_win_over_the_environment_which_wins_over_the_file() {
    let dir = std::env::temp_dir().join(format!("beckon-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("beckon.toml");
    std::fs::write(
        &file,
        "link_ttl = 120\nsession_ttl = 900\nrefresh_ttl = 3600\napproved_domains = [\"example.com\"]\n",
    )
    .unwrap();
    // Clap reads the environment itself; this test's variable is one no other test sets.
    std::env::set_var("BECKON_SESSION_TTL", "1200");
    std::env::set_var("BECKON_REFRESH_TTL", "7200");
    let cli = Cli::try_parse_from([
        "beckon-server",
        "--config",
        file.to_str().unwrap(),
        "--refresh-ttl",
        "9000",
    ])
    .unwrap();
    std::env::remove_var("BECKON_SESSION_TTL");
    std::env::remove_var("BECKON_REFRESH_TTL");
    let config = Config::from_cli(&cli).unwrap();
    assert_eq!(config.link_ttl, 120, "the file");
    assert_eq!(config.session_ttl, 1200, "the environment over the file");
    assert_eq!(config.refresh_ttl, 9000, "the flag over both");
    assert_eq!(
        config.approved_domains,
        Some(vec!["example.com".to_owned()])
    );
    assert_eq!(config.link_ttl, 120);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_wrong_or_unknown_setting_is_refused_with_the_fix() {
    let dir = std::env::temp_dir().join(format!("beckon-config-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("beckon.toml");
    std::fs::write(&file, "link_ttl = 120\nsmtp_hots = \"mail\"\n").unwrap();
    let err = Settings::from_file(&file).unwrap_err().to_string();
    assert!(err.contains("smtp_hots"), "{err}");
    assert!(err.contains("beckon-server --help"), "{err}");

    let err = Config::from_settings(Settings {
        limit_send_per_ip: Some("lots".into()),
        ..Settings::default()
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("--limit-send-per-ip") && err.contains("COUNT/SECONDS"),
        "{err}"
    );

    let err = Config::from_settings(Settings {
        public_url: Some("ftp://example.com".parse().unwrap()),
        ..Settings::default()
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("BECKON_PUBLIC_URL"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_database_url_that_cannot_work_says_why_without_its_password() {
    let err = beckon_server::store::Store::connect("mysql://root:hunter2@db/beckon")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("postgres://USER:PASSWORD@HOST:5432/DATABASE"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");

    // Nothing listens on port 1.
    let err = beckon_server::store::Store::connect("postgres://beckon:hunter2@127.0.0.1:1/beckon")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("cannot connect to PostgreSQL at postgres://beckon:***@127.0.0.1:1/beckon"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[tokio::test]
async fn sigterm_lets_a_request_under_way_finish_then_exits_cleanly() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut server = crate::harness::ServerProcess::start("sqlite::memory:", &[]).await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let body = json!({"loginId": "ada@example.com"}).to_string();
    let (first, rest) = body.split_at(10);
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /v1/auth/enchantedlink/signup-in/email HTTP/1.1\r\nHost: {addr}\r\n\
         Authorization: Bearer {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        server.project_id,
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();

    // Half the body is in; the server is asked to stop.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let pid = server.child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;

    // The request still completes…
    stream.write_all(rest.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("pendingRef"), "{answer}");
    // …and then the server exits, successfully.
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), server.child.wait())
        .await
        .expect("exits after the request")
        .unwrap();
    assert!(status.success(), "{status}");
    // A new connection is refused now.
    assert!(tokio::net::TcpStream::connect(&addr).await.is_err());
}
