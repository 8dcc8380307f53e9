//! What an operator relies on: approved redirects, health endpoints, expired rows cleaned up,
//! settings layered and refused with the fix.

use beckon_server::cli::Cli;
use beckon_server::config::{Config, Settings};
use beckon_testkit::ErrorCode;
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
        assert_error(&response, 400, ErrorCode::InvalidRequest.as_str());
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
    assert_error(&s.poll(pending_ref).await, 400, ErrorCode::Expired.as_str());

    let store = &s.server.state.store;
    store
        .delete_expired(s.clock_now(), i64::MIN, i64::MIN)
        .await
        .unwrap();
    assert_error(&s.poll(pending_ref).await, 400, ErrorCode::Expired.as_str());
    s.clock.advance(3600);
    assert!(
        store
            .delete_expired(s.clock_now(), i64::MIN, i64::MIN)
            .await
            .unwrap()
            >= 1
    );
    assert_error(
        &s.poll(pending_ref).await,
        400,
        ErrorCode::NotFound.as_str(),
    );
}

/// Rows that only grew before: sessions signed out a day ago, past their end, or with no
/// refresh token left go; so do signing keys whose every token has expired. The live ones
/// stay.
#[tokio::test]
async fn ended_sessions_and_retired_signing_keys_are_deleted() {
    let (s, side, _dir) = TestServer::on_sqlite_file(Config {
        refresh_ttl: 3_600,
        ..Config::for_tests()
    })
    .await;
    let count = |table: &'static str| {
        let side = side.clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&side)
                .await
                .unwrap()
        }
    };
    let signed_out = s.sign_up("ada@example.com").await;
    let idle = s.sign_up("bob@example.com").await;
    let _ = idle;
    let (status, _) = s
        .post_as(
            signed_out["refreshJwt"].as_str().unwrap(),
            "/v1/auth/logout",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let first_key = s.jwks().await["keys"][0]["kid"].clone();
    beckon_server::keys::KeyRing::rotate(&s.server.state.store, s.clock_now())
        .await
        .unwrap();
    s.server
        .state
        .keys
        .reload(&s.server.state.store)
        .await
        .unwrap();
    assert_eq!(count("sessions").await, 2);
    assert_eq!(count("signing_keys").await, 2);

    let store = &s.server.state.store;
    let keys = &s.server.state.keys;
    let sweep = || async {
        let now = s.clock_now();
        store
            .delete_expired(now, keys.retired_before(now), i64::MIN)
            .await
            .unwrap()
    };
    sweep().await;
    assert_eq!(count("sessions").await, 2, "nothing has ended long enough");
    assert_eq!(
        count("signing_keys").await,
        2,
        "the old key's tokens still live"
    );

    // A day on: the signed-out session goes; Bob's idle one too (its refresh token expired
    // an hour in); the old key, retired longer than a refresh JWT lives, goes.
    s.clock.advance(86_401);
    sweep().await;
    assert_eq!(count("sessions").await, 0);
    assert_eq!(count("refresh_tokens").await, 0);
    assert_eq!(count("signing_keys").await, 1);
    keys.reload(store).await.unwrap();
    let published = s.jwks().await;
    assert_eq!(published["keys"].as_array().unwrap().len(), 1);
    assert_ne!(published["keys"][0]["kid"], first_key);
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
    let config = Config::from_layers(cli.config.as_deref(), &cli.settings).unwrap();
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

/// A client that trickles its request headers (slowloris) is cut off: before, such a
/// connection stayed open past 45 s, one per connection the attacker could open.
#[tokio::test]
async fn a_client_that_never_finishes_its_headers_is_disconnected() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = TestServer::start().await;
    let addr = s.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: beckon\r\nX-Slow: ")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let closed = tokio::time::timeout(
        std::time::Duration::from_secs(45),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(
        closed.is_ok(),
        "the connection is still open after 45 s with half its headers"
    );
    let answer = String::from_utf8_lossy(&answer);
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
        "{answer}"
    );
    // The server goes on serving everyone else.
    assert_eq!(s.http_get("/healthz").await, 200);
}

/// Clients that hang up mid-request (a desktop cancelling its poll) do not cut the server's
/// work in half. Before, hyper dropped the handler's future, a query dropped midway cost its
/// connection, and on an in-memory database the next connection found no tables: every
/// later request answered 500 (seen as a flaky flow test).
#[tokio::test(flavor = "multi_thread")]
async fn requests_whose_clients_hang_up_leave_the_server_whole() {
    let s = TestServer::start().await;
    let (started, _) = s.start_link("ada@example.com").await;
    let body = json!({"pendingRef": started["pendingRef"]});
    let url = format!("{}/v1/auth/enchantedlink/pending-session", s.base);
    for i in 0..400u64 {
        let sent = reqwest::Client::new()
            .post(&url)
            .header("Authorization", format!("Bearer {}", s.project_id))
            .json(&body)
            .send();
        // Hung up after 0.2 to 2.1 ms: at every point of the request's work.
        let wait = std::time::Duration::from_micros(200 + (i % 20) * 100);
        let _ = tokio::time::timeout(wait, sent).await;
    }
    let (status, body) = s
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": "grace@example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}
