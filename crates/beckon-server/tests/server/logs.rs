//! Logs, as an operator collects them: JSON lines, every request logged, and no secret in any
//! line (pendingRefs, link tokens, JWTs), even at debug level.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};

use crate::harness::{link_numbered, server_command, token_of, Api};

/// A server process logging JSON lines, as [`logging_server`] starts it.
struct Logging {
    child: tokio::process::Child,
    /// Every line written so far, stdout and stderr.
    lines: Arc<Mutex<Vec<String>>>,
    /// The banner event.
    banner: Value,
    /// The tasks reading its output, done once it has exited.
    readers: Vec<tokio::task::JoinHandle<()>>,
}

/// A server process logging JSON lines at `level` with `args`, once it has said where it
/// listens.
async fn logging_server(level: &str, args: &[&str]) -> Logging {
    let mut child = server_command()
        .args([
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--database",
            "sqlite::memory:",
            "--log-format",
            "json",
        ])
        .args(args)
        .env("BECKON_LOG", level)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let mut readers = Vec::new();
    for stream in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn tokio::io::AsyncRead + Unpin + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let lines = lines.clone();
        readers.push(tokio::spawn(async move {
            let mut reader = BufReader::new(stream).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                lines.lock().unwrap().push(line);
            }
        }));
    }
    // The banner is a log event: where it listens, and the project.
    let start = std::time::Instant::now();
    let banner = loop {
        let found = lines.lock().unwrap().iter().find_map(|l| {
            let v: Value = serde_json::from_str(l).ok()?;
            (v["fields"]["message"] == "beckon-server listening").then_some(v)
        });
        if let Some(v) = found {
            break v;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "no banner: {:?}",
            lines.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    Logging {
        child,
        lines,
        banner,
        readers,
    }
}

/// `metrics_listen` on an address other than loopback is warned about once, at start, naming
/// the setting: the metrics tell whoever reaches them when people sign in. Before, any
/// address was taken without a word.
#[tokio::test]
async fn metrics_listen_off_loopback_is_warned_about_once() {
    let warnings = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.contains("\"WARN\"") && l.contains("metrics_listen"))
            .count()
    };
    for (address, warned) in [("0.0.0.0:0", 1), ("127.0.0.1:0", 0)] {
        let server = logging_server("info", &["--metrics-listen", address]).await;
        let lines = server.lines.lock().unwrap().clone();
        assert_eq!(warnings(&lines), warned, "{address}: {lines:?}");
    }
}

#[tokio::test]
async fn json_logs_carry_every_request_and_no_secret() {
    let Logging {
        mut child,
        lines,
        banner,
        readers,
    } = logging_server("debug", &["--limit-send-per-login-id", "2/600"]).await;
    let api = Api::new(
        &format!("http://{}", banner["fields"]["listen"].as_str().unwrap()),
        banner["fields"]["project_id"].as_str().unwrap(),
    );

    // A whole enchanted-link sign-in, a refresh, a magic link, a logout, and refusals.
    let mut secrets: Vec<String> = Vec::new();
    let sign_in = json!({"loginId": "ada@example.com"});
    let (_, started) = api
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            None,
            sign_in.clone(),
        )
        .await;
    let pending_ref = started["pendingRef"].as_str().unwrap().to_owned();
    secrets.push(pending_ref.clone());
    let message = api.get("/dev/outbox").await[0].clone();
    for link in message["links"].as_array().unwrap() {
        secrets.push(token_of(link["url"].as_str().unwrap()));
    }
    let right = link_numbered(&message, &started["linkId"]);
    let page = api.http.get(&right).send().await.unwrap();
    assert_eq!(page.status(), 200, "the confirm page");
    let token = json!({"token": token_of(&right)});
    let verify = "/v1/auth/enchantedlink/verify";
    assert_eq!(api.post(verify, None, token.clone()).await.0, 200);
    let poll = json!({"pendingRef": pending_ref});
    let (_, session) = api
        .post("/v1/auth/enchantedlink/pending-session", None, poll)
        .await;
    let mut refresh = session["refreshJwt"].as_str().unwrap().to_owned();
    secrets.push(session["sessionJwt"].as_str().unwrap().to_owned());
    secrets.push(refresh.clone());
    let (_, refreshed) = api
        .post("/v1/auth/refresh", Some(&refresh), json!({}))
        .await;
    secrets.push(refreshed["sessionJwt"].as_str().unwrap().to_owned());
    if let Some(rotated) = refreshed["refreshJwt"].as_str() {
        refresh = rotated.to_owned();
        secrets.push(refresh.clone());
    }
    let magic = json!({"loginId": "grace@example.com", "URI": "beckon://auth"});
    api.post("/v1/auth/magiclink/signup-in/email", None, magic)
        .await;
    let magic = token_of(
        api.get("/dev/outbox").await[0]["links"][0]["url"]
            .as_str()
            .unwrap(),
    );
    secrets.push(magic.clone());
    let (_, magic_session) = api
        .post("/v1/auth/magiclink/verify", None, json!({"token": magic}))
        .await;
    secrets.push(magic_session["refreshJwt"].as_str().unwrap().to_owned());
    assert_eq!(
        api.post("/v1/auth/logout", Some(&refresh), json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        api.post("/v1/auth/refresh", Some(&refresh), json!({}))
            .await
            .0,
        401
    );
    assert_eq!(api.post(verify, None, token).await.0, 400);
    for _ in 0..2 {
        api.post(
            "/v1/auth/enchantedlink/signup-in/email",
            None,
            sign_in.clone(),
        )
        .await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().await.unwrap();
    for reader in readers {
        reader.await.unwrap();
    }

    let lines = lines.lock().unwrap().clone();
    let mut requests = 0;
    for line in &lines {
        let event: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
        assert!(
            event["level"].is_string() && event["timestamp"].is_string(),
            "{line}"
        );
        if event["fields"]["message"] == "request" {
            requests += 1;
        }
        for secret in &secrets {
            assert!(
                !line.contains(secret.as_str()),
                "a secret in the log: {line}"
            );
            assert!(
                !line.contains(&secret[..16]),
                "part of a secret in the log: {line}"
            );
        }
    }
    assert!(
        requests >= 14,
        "each request is logged ({requests}): {lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("429")),
        "the refusal is logged"
    );
    // The audit trail's events are log events too, checked above like every line.
    let audited: Vec<String> = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|e| e["target"] == "beckon_server::audit")
        .map(|e| {
            e["fields"]["action"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    for action in [
        "signin.started",
        "link.confirmed",
        "session.collected",
        "session.refreshed",
        "session.ended",
    ] {
        assert!(
            audited.iter().any(|a| a == action),
            "{action} in {audited:?}"
        );
    }
}
