use beckon_server::config::Config;
use beckon_server::store::sqlite_url;

use crate::harness::TestServer;

#[tokio::test]
async fn the_project_id_and_key_are_generated_once_and_kept() {
    let path = std::env::temp_dir().join(format!("beckon-test-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let config = Config {
        database: Some(sqlite_url(&path)),
        ..Config::for_tests()
    };
    let first = TestServer::with_config(config.clone()).await;
    let pid = first.project_id.clone();
    assert_eq!(pid.len(), 28);
    assert!(pid.starts_with('P'));
    let jwks = first.jwks().await;
    first.server.stop().await.unwrap();

    let second = TestServer::with_config(config).await;
    assert_eq!(second.project_id, pid);
    assert_eq!(second.jwks().await, jwks);
    second.server.stop().await.unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[tokio::test]
async fn the_jwks_publishes_one_rs256_signing_key() {
    let s = TestServer::start().await;
    let jwks = s.jwks().await;
    let key = &jwks["keys"][0];
    assert_eq!(key["alg"], "RS256");
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
    let other = s
        .http
        .get(format!("{}/v2/keys/P2OPANdSmtackRAJlrRKFxFcoriw", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
}

#[tokio::test]
async fn an_operator_project_id_must_be_usable_by_every_sdk() {
    let config = Config {
        project_id: Some("Pshort".into()),
        ..Config::for_tests()
    };
    let error = beckon_server::start(
        &config,
        std::sync::Arc::new(beckon_server::support::clock::SystemClock),
    )
    .await
    .err()
    .expect("refused");
    assert!(error.to_string().contains("28 characters"), "{error}");
}

/// A file whose name the URL must escape (`%`, `?`, `#`, a space) is the file the server
/// opens, and the one it makes its owner's only.
#[tokio::test]
async fn a_database_named_with_url_characters_opens_and_is_kept_private() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("beckon 100%?#.db");
    let s = TestServer::with_config(Config {
        database: Some(sqlite_url(&path)),
        ..Config::for_tests()
    })
    .await;
    assert_eq!(s.jwks().await["keys"].as_array().unwrap().len(), 1);
    assert!(path.is_file(), "the database is the file named");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{mode:o}");
    }
    s.server.stop().await.unwrap();
}
