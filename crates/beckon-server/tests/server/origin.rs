//! "Is this you?": the confirm page and the email say where a sign-in request came from, from
//! the requesting address (behind a proxy, the one `client_ip_header` gives) and the
//! operator's place database (`geoip_database`; here the test database, made by
//! tests/fixtures/make-geoip.py from documentation networks).

use serde_json::{json, Value};

use crate::harness::{config_with, TestServer};

fn fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geoip-test.mmdb")
}

async fn server(geoip: bool) -> TestServer {
    TestServer::with_config(config_with(beckon_server::config::Settings {
        geoip_database: geoip.then(fixture),
        client_ip_header: Some("X-Forwarded-For".into()),
        ..Default::default()
    }))
    .await
}

/// Starts a sign-in for `email` as if from `from` (through the proxy): the email's text and
/// the confirm page of its first link.
async fn started_from(s: &TestServer, email: &str, from: &str) -> (String, String) {
    let response = s
        .http
        .post(format!("{}/v1/auth/enchantedlink/signup-in/email", s.base))
        .header("Authorization", format!("Bearer {}", s.project_id))
        .header("X-Forwarded-For", from)
        .header("User-Agent", "Acme/2.0 (Windows NT 10.0)")
        .json(&json!({"loginId": email}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let message: Value = s
        .outbox()
        .await
        .into_iter()
        .find(|m| m["to"] == email)
        .expect("a message to that address");
    let url = message["links"][0]["url"].as_str().unwrap().to_owned();
    let page = s
        .http
        .get(&url)
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (message["text"].as_str().unwrap().to_owned(), page)
}

/// The text of the page's element `data-testid="origin-{what}"`.
fn shown(page: &str, what: &str) -> String {
    let open = format!("data-testid=\"origin-{what}\">");
    let at = page
        .find(&open)
        .unwrap_or_else(|| panic!("no {what} on {page}"))
        + open.len();
    page[at..][..page[at..].find("</dd>").unwrap()].replace("&#39;", "'")
}

#[tokio::test]
async fn the_page_and_the_email_say_where_a_request_came_from() {
    let s = server(true).await;
    for (email, from, place) in [
        (
            "known@example.com",
            "203.0.113.9",
            "Near Lisbon, Portugal (approximate)",
        ),
        (
            "country@example.com",
            "198.51.100.7",
            "Near Japan (approximate)",
        ),
        (
            "six@example.com",
            "2001:db8:1::42",
            "Near Bergen, Vestland, Norway (approximate)",
        ),
        ("unknown@example.com", "198.51.100.200", "Unknown"),
        ("home@example.com", "192.168.1.20", "On your local network"),
        (
            "here@example.com",
            "127.0.0.1",
            "On this computer (the server's own)",
        ),
    ] {
        let (text, page) = started_from(&s, email, from).await;
        assert_eq!(shown(&page, "where"), place, "{from}");
        assert_eq!(shown(&page, "address"), from);
        assert!(
            shown(&page, "device").contains("Acme/2.0 (Windows NT 10.0)"),
            "the device as it says"
        );
        assert!(text.contains(&format!("  Where: {place}\n")), "{text}");
        assert!(text.contains(&format!("  Address: {from}\n")), "{text}");
    }
}

#[tokio::test]
async fn without_a_database_the_place_is_unknown_not_guessed() {
    let s = server(false).await;
    let (text, page) = started_from(&s, "ada@example.com", "203.0.113.9").await;
    assert_eq!(shown(&page, "where"), "Unknown");
    assert_eq!(shown(&page, "address"), "203.0.113.9");
    assert!(text.contains("  Where: Unknown\n"), "{text}");
}

/// The page says when in words and in UTC, which reads right without scripts; its one script
/// (the phone's local time) is allowed by its hash and by nothing else.
#[tokio::test]
async fn the_time_reads_right_without_the_script_which_only_its_hash_allows() {
    use base64::Engine;
    use sha2::Digest;
    let s = server(true).await;
    let (text, _) = started_from(&s, "ada@example.com", "203.0.113.9").await;
    let when = text
        .lines()
        .find_map(|l| l.strip_prefix("  When: "))
        .unwrap_or_default();
    assert!(
        when.contains(", 2026, ") && when.ends_with(" UTC"),
        "the email's time is absolute, as English writes it: {text}"
    );
    assert!(text.contains(" UTC\n"), "{text}");
    s.clock.advance(150);
    let url = s.links_to("ada@example.com").await[0].1.clone();
    let response = s.http.get(&url).send().await.unwrap();
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let page = response.text().await.unwrap();
    let when = shown(&page, "when");
    assert!(
        when.starts_with("2 minutes ago<br><time datetime=\"2026-"),
        "{when}"
    );
    assert!(when.ends_with(" UTC</time>"), "{when}");
    let scripts: Vec<&str> = page.split("<script>").skip(1).collect();
    assert_eq!(scripts.len(), 1, "one script");
    let script = &scripts[0][..scripts[0].find("</script>").unwrap()];
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script));
    let script_src: Vec<&str> = policy
        .split(';')
        .map(str::trim)
        .filter(|d| d.starts_with("script-src"))
        .collect();
    assert_eq!(
        script_src,
        [format!("script-src 'sha256-{hash}'")],
        "{policy}"
    );
}
