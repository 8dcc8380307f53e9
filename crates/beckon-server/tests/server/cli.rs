//! The operator CLI (`beckon-server users|audit|management-key`), run as the binary on the
//! database a running server uses: what it does, the server sees at once, and the trail
//! records.

use beckon_server::store::sqlite_url;
use beckon_testkit::ErrorCode;
use serde_json::{json, Value};

use crate::harness::{fresh_postgres_database, on_postgres, server_command, ServerProcess};

/// A database both the CLI and a server process can open: a SQLite file, or a fresh
/// PostgreSQL database on the PostgreSQL pass.
async fn database() -> (String, Option<tempfile::TempDir>) {
    if on_postgres() {
        return (fresh_postgres_database().await, None);
    }
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("beckon.db"));
    (url, Some(dir))
}

/// Runs `beckon-server --database URL ARGS…`: (success, stdout, stderr).
async fn cli(database: &str, args: &[&str]) -> (bool, String, String) {
    let out = server_command()
        .args(["--database", database])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

async fn cli_json(database: &str, args: &[&str]) -> Value {
    let (ok, out, err) = cli(database, args).await;
    assert!(ok, "beckon-server {args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} printed {out:?}: {e}"))
}

#[tokio::test]
async fn the_cli_manages_users_and_keys_on_the_servers_database_and_it_is_audited() {
    let (db, _dir) = database().await;
    let server = ServerProcess::start(&db, &[]).await;

    // A key made by the CLI works on the running server's management API, once revoked no more.
    let made = cli_json(&db, &["management-key", "create", "ci", "--json"]).await;
    let key = made["key"].as_str().unwrap().to_owned();
    let key_id = made["keyId"].as_str().unwrap().to_owned();
    let load = |login: &str| {
        let url = format!("{}/v1/mgmt/user?loginId={login}", server.base);
        let auth = format!("Bearer {}:{key}", server.project_id);
        let http = server.http.clone();
        async move {
            let r = http
                .get(url)
                .header("Authorization", auth)
                .send()
                .await
                .unwrap();
            r.status().as_u16()
        }
    };

    // users create / show / list, in tables and in JSON.
    let (ok, table, err) = cli(
        &db,
        &["users", "create", "ada@example.com", "--name", "Ada"],
    )
    .await;
    assert!(ok, "{err}");
    assert!(table.starts_with("created: U"), "{table}");
    assert!(
        table.contains("ada@example.com") && table.contains("enabled"),
        "{table}"
    );
    assert_eq!(load("ada@example.com").await, 200);
    let shown = cli_json(&db, &["users", "show", "ada@example.com", "--json"]).await;
    assert_eq!(shown["name"], "Ada");
    let user_id = shown["userId"].as_str().unwrap().to_owned();
    let (_, listed, _) = cli(&db, &["users", "list"]).await;
    assert!(
        listed.lines().next().unwrap().starts_with("USER ID"),
        "{listed}"
    );
    assert!(listed.contains(&user_id), "{listed}");

    // disable: the running server refuses the user's sign-in at once.
    let disabled = cli_json(&db, &["users", "disable", &user_id, "--json"]).await;
    assert_eq!(disabled["status"], "disabled");
    let (status, refused) = server
        .post(
            "/v1/auth/enchantedlink/signin/email",
            None,
            json!({"loginId": "ada@example.com"}),
        )
        .await;
    assert_eq!(
        (status, refused["errorCode"].as_str()),
        (401, Some(ErrorCode::UserDisabled.as_str()))
    );
    let (_, only_disabled, _) = cli(&db, &["users", "list", "--disabled"]).await;
    assert!(only_disabled.contains(&user_id), "{only_disabled}");
    cli_json(&db, &["users", "enable", "ada@example.com", "--json"]).await;
    cli_json(&db, &["users", "sign-out", "ada@example.com", "--json"]).await;

    // The trail has each action, by the CLI, newest first.
    let events = cli_json(&db, &["audit", "--user", "ada@example.com", "--json"]).await;
    let actions: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "user.signed_out",
            "user.enabled",
            "signin.started",
            "user.disabled",
            "user.created"
        ]
    );
    let (_, since, _) = cli(&db, &["audit", "--since", "1h"]).await;
    assert!(
        since.contains("management_key.created") && since.contains("user.created"),
        "{since}"
    );
    let (ok, _, err) = cli(&db, &["audit", "--since", "last tuesday"]).await;
    assert!(!ok && err.contains("--since"), "{err}");

    // delete refuses without --yes off a terminal, and deletes with it.
    let (ok, _, err) = cli(&db, &["users", "delete", "ada@example.com"]).await;
    assert!(!ok && err.contains("--yes"), "{err}");
    assert_eq!(load("ada@example.com").await, 200);
    let (ok, said, err) = cli(&db, &["users", "delete", "ada@example.com", "--yes"]).await;
    assert!(ok && said.starts_with("deleted "), "{said}{err}");
    assert_eq!(load("ada@example.com").await, 400);
    let (ok, _, err) = cli(&db, &["users", "show", "ada@example.com"]).await;
    assert!(!ok && err.contains("User not found"), "{err}");

    // keys: listed without the key itself; revoked, refused.
    let (_, keys, _) = cli(&db, &["management-key", "list"]).await;
    assert!(
        keys.contains(&key_id) && keys.contains("ci") && !keys.contains(&key),
        "{keys}"
    );
    let (ok, _, err) = cli(&db, &["management-key", "revoke", &key_id]).await;
    assert!(ok, "{err}");
    assert_eq!(load("anyone@example.com").await, 401);
    let (ok, _, err) = cli(&db, &["management-key", "revoke", &key_id]).await;
    assert!(!ok && err.contains("revoked already"), "{err}");
}

/// `beckon-server users unpause LOGIN_ID` lifts the pause a "No" began, on the running
/// server's database; again, it says there was none.
#[tokio::test]
async fn the_cli_lifts_a_pause_after_a_no() {
    let (db, _dir) = database().await;
    let server = ServerProcess::start(&db, &[]).await;
    let start = || {
        server.post(
            "/v1/auth/enchantedlink/signup-in/email",
            None,
            json!({"loginId": "ada@example.com"}),
        )
    };
    let (status, _) = start().await;
    assert_eq!(status, 200);
    let outbox = server.get("/dev/outbox").await;
    let url = outbox[0]["links"][0]["url"].as_str().unwrap().to_owned();
    let token = crate::harness::token_of(&url);
    let declined = server
        .http
        .post(&url)
        .form(&[("t", token.as_str()), ("answer", "no")])
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), 200);
    let (status, body) = start().await;
    assert_eq!((status, &body["paused"]), (429, &json!(true)), "{body}");

    let said = cli_json(&db, &["users", "unpause", "ADA+x@example.com", "--json"]).await;
    assert_eq!(
        said["unpaused"], true,
        "a tag and capitals name the same mailbox"
    );
    assert_eq!(start().await.0, 200);
    let (ok, out, _) = cli(&db, &["users", "unpause", "ada@example.com"]).await;
    assert!(ok && out.contains("were not paused"), "{out}");
    let trail = cli_json(&db, &["audit", "--json"]).await;
    let lifted: Vec<&Value> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "mailbox.unpaused")
        .collect();
    assert_eq!(lifted.len(), 1, "{trail}");
    assert_eq!(lifted[0]["method"], "cli", "{trail}");
}
