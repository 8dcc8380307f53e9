//! Signing-key rotation with overlap: the new key signs, tokens from the old one stay valid
//! until they expire, and the old key leaves the key set after that. Keys never leave the
//! database, which only its owner can read.

use std::time::Duration;

use beckon_server::config::{Config, Settings};
use beckon_server::keys::KeyRing;
use beckon_server::store::sqlite_url;

use crate::harness::{claims, config_with, TestServer};

fn kid_of(jwt: &str) -> String {
    jsonwebtoken::decode_header(jwt).unwrap().kid.unwrap()
}

async fn jwks(s: &TestServer) -> Vec<String> {
    s.jwks().await["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_rotated_key_signs_and_the_old_one_stays_until_its_tokens_expire() {
    // Refresh JWTs live a day here.
    let s = TestServer::with_config(config_with(Settings {
        refresh_ttl: Some(86_400),
        ..Settings::default()
    }))
    .await;
    let before = s.sign_up("ada@example.com").await;
    let old_kid = kid_of(before["sessionJwt"].as_str().unwrap());
    assert_eq!(jwks(&s).await, std::slice::from_ref(&old_kid));

    let store = &s.server.state.store;
    let new_kid = KeyRing::rotate(store, s.clock_now()).await.unwrap();
    s.server.state.keys.reload(store).await.unwrap();
    assert_eq!(
        jwks(&s).await,
        [new_kid.clone(), old_kid.clone()],
        "both published"
    );

    // New tokens carry the new key; the old refresh JWT still works, and what it gets back
    // is signed by the new key.
    let after = s.sign_up("grace@example.com").await;
    assert_eq!(kid_of(after["sessionJwt"].as_str().unwrap()), new_kid);
    let old_refresh = before["refreshJwt"].as_str().unwrap();
    let (status, refreshed) = s
        .post_as(old_refresh, "/v1/auth/refresh", serde_json::json!({}))
        .await;
    assert_eq!(status, 200, "{refreshed}");
    assert_eq!(kid_of(refreshed["sessionJwt"].as_str().unwrap()), new_kid);
    assert_eq!(
        claims(refreshed["sessionJwt"].as_str().unwrap())["sub"],
        claims(old_refresh)["sub"]
    );

    // A refresh JWT's lifetime (and a minute) after the rotation, the old key is gone.
    s.clock.advance(86_400 + 59);
    assert_eq!(jwks(&s).await.len(), 2);
    s.clock.advance(1);
    assert_eq!(jwks(&s).await, [new_kid]);
}

#[tokio::test]
async fn the_key_rotates_by_itself_when_it_is_old_and_other_servers_pick_it_up() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        database: Some(sqlite_url(&dir.path().join("beckon.db"))),
        ..config_with(Settings {
            key_rotation_days: Some(30),
            ..Settings::default()
        })
    };
    let a = TestServer::with_config(config.clone()).await;
    let b = TestServer::with_config(config).await;
    let first = jwks(&a).await;
    assert_eq!(first.len(), 1);
    assert_eq!(jwks(&b).await, first, "one key for both");

    // 30 days on (by A's clock), A rotates within its next check; B reads the new key.
    a.clock.advance(30 * 86_400);
    b.clock.advance(30 * 86_400);
    let start = std::time::Instant::now();
    while jwks(&a).await.len() < 2 || jwks(&b).await.len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "rotated and shared"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let rotated = jwks(&a).await;
    assert_eq!(rotated[1], first[0]);
    assert_eq!(jwks(&b).await, rotated);
    // A token signed by the new key (through A) refreshes through B.
    let session = a.sign_up("ada@example.com").await;
    assert_eq!(kid_of(session["sessionJwt"].as_str().unwrap()), rotated[0]);
    let (status, _) = b
        .post_as(
            session["refreshJwt"].as_str().unwrap(),
            "/v1/auth/refresh",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn rotate_key_on_the_command_line_and_the_running_server_takes_it_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("beckon.db");
    let url = sqlite_url(&path);
    let s = TestServer::with_config(Config {
        database: Some(url.clone()),
        ..Config::for_tests()
    })
    .await;
    let before = jwks(&s).await;

    // Waited for without blocking: the server in this process keeps running meanwhile.
    let out = crate::harness::server_command()
        .args(["--database", &url, "rotate-key"])
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8(out.stdout).unwrap();
    assert!(said.starts_with("new signing key "), "{said}");
    assert!(!said.contains("PRIVATE KEY"), "{said}");

    // The running server reads its keys every few seconds.
    let start = std::time::Instant::now();
    loop {
        let now = jwks(&s).await;
        if now.len() == 2 {
            assert_eq!(now[1], before[0]);
            assert!(said.contains(&now[0]), "{said}");
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "taken up");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The file holding the keys is its owner's only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
}

#[tokio::test]
async fn a_database_from_before_rotation_keeps_its_key() {
    use rsa::pkcs8::{EncodePrivateKey, LineEnding};
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("beckon.db"));
    // The first versions kept their one key in settings.
    let pem = rsa::RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048)
        .unwrap()
        .to_pkcs8_pem(LineEnding::LF)
        .unwrap()
        .to_string();
    let store = beckon_server::store::Store::connect(&url).await.unwrap();
    store
        .insert_setting_if_absent("signing_key_pkcs8", &pem)
        .await
        .unwrap();
    let kid = beckon_server::keys::SigningKey::from_pem(&pem)
        .unwrap()
        .kid()
        .to_owned();

    let s = TestServer::with_config(Config {
        database: Some(url),
        ..Config::for_tests()
    })
    .await;
    assert_eq!(jwks(&s).await, [kid]);
}
