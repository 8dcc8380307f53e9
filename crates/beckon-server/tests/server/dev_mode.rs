//! Development mode is asked for, never fallen into: without `--dev` and without a way to send
//! messages the server does not start; the outbox exists only in development mode, which stays
//! on loopback unless the setting that says it is unsafe is given; unknown `BECKON_*`
//! variables stop the start (a misspelled setting is not silently dropped).

use std::time::Duration;

use crate::harness::{config_with, server_command, TestServer};
use beckon_server::config::Settings;

/// Runs the binary with `args` and `env` (and no other `BECKON_*` variable) and expects it to
/// refuse to start: its exit status and what it said.
async fn refused(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut command = server_command();
    command
        .args(args)
        .envs(env.iter().copied())
        .kill_on_drop(true);
    let out = tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("beckon-server decides within 60 s")
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "beckon-server {args:?} {env:?} started: {said}{}",
        String::from_utf8_lossy(&out.stdout)
    );
    said
}

fn memory() -> [&'static str; 4] {
    ["--listen", "127.0.0.1:0", "--database", "sqlite::memory:"]
}

#[tokio::test]
async fn without_dev_or_a_transport_the_server_refuses_to_start_and_says_what_to_set() {
    let said = refused(&memory(), &[]).await;
    assert!(said.contains("no way to send sign-in messages"), "{said}");
    assert!(
        said.contains("smtp_host") && said.contains("--dev"),
        "{said}"
    );
}

/// The container image's own settings and command (deploy/Containerfile), read from the
/// file: it listens on every address and has no transport, so it must not start as it is,
/// nor in development mode.
#[tokio::test]
async fn the_container_images_command_refuses_to_start_without_a_transport() {
    let file = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy/Containerfile"),
    )
    .unwrap();
    let joined = file.replace("\\\n", " ");
    let env: Vec<(String, String)> = joined
        .lines()
        .filter_map(|line| line.trim().strip_prefix("ENV "))
        .flat_map(|pairs| pairs.split_whitespace())
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    assert!(
        env.iter()
            .any(|(k, v)| k == "BECKON_LISTEN" && v.starts_with("0.0.0.0")),
        "the image listens on every address: {env:?}"
    );
    let entrypoint: Vec<String> = joined
        .lines()
        .find_map(|line| line.trim().strip_prefix("ENTRYPOINT "))
        .map(|json| serde_json::from_str(json).unwrap())
        .unwrap();
    assert_eq!(entrypoint, ["/usr/local/bin/beckon-server"], "no arguments");
    assert!(!joined.lines().any(|l| l.trim().starts_with("CMD ")));

    // The volume's path does not exist here: an in-memory database instead, all else as in
    // the image, with the README's `docker run -e` variable.
    let mut env: Vec<(&str, &str)> = env
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .filter(|(k, _)| *k != "BECKON_DATABASE")
        .collect();
    env.push(("BECKON_DATABASE", "sqlite::memory:"));
    env.push(("BECKON_PUBLIC_URL", "https://auth.example.com"));
    // Port 0: a refusal must come from the settings, not from a busy port.
    env.retain(|(k, _)| *k != "BECKON_LISTEN");
    env.push(("BECKON_LISTEN", "0.0.0.0:0"));
    let said = refused(&[], &env).await;
    assert!(said.contains("no way to send sign-in messages"), "{said}");

    env.push(("BECKON_DEV", "true"));
    let said = refused(&[], &env).await;
    assert!(
        said.contains("loopback only") && said.contains("dev_unsafe_on_network"),
        "{said}"
    );
}

#[tokio::test]
async fn dev_mode_stays_on_loopback_unless_the_unsafe_setting_says_otherwise() {
    let said = refused(
        &[
            "--dev",
            "--listen",
            "0.0.0.0:0",
            "--database",
            "sqlite::memory:",
        ],
        &[],
    )
    .await;
    assert!(said.contains("BECKON_DEV_UNSAFE_ON_NETWORK"), "{said}");
    let said = refused(&["--dev-unsafe-on-network", "--dev=false"], &[]).await;
    assert!(said.contains("only goes with dev"), "{said}");

    // Asked for by name, it may (checked without binding every address here).
    let mut config = config_with(Settings::default());
    config.listen = "0.0.0.0:8787".parse().unwrap();
    assert!(config.check_serving().is_err());
    config.dev_unsafe_on_network = true;
    config.check_serving().unwrap();
}

#[tokio::test]
async fn dev_mode_and_a_transport_do_not_go_together() {
    let said = refused(
        &[
            "--dev",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-from",
            "b@example.com",
        ],
        &[],
    )
    .await;
    assert!(said.contains("cannot be combined"), "{said}");
}

#[tokio::test]
async fn an_unknown_beckon_variable_stops_the_start_by_name() {
    let mut args = vec!["--dev"];
    args.extend(memory());
    let said = refused(&args, &[("BECKON_SMTP_HOTS", "mail.example.com")]).await;
    assert!(said.contains("BECKON_SMTP_HOTS"), "{said}");
    assert!(said.contains("beckon-server --help"), "{said}");
}

/// Kubernetes puts service-link variables into every pod of a namespace for each Service in
/// it: a Service named `beckon` or `beckon-server` gives `BECKON_PORT`, `BECKON_SERVICE_HOST`,
/// `BECKON_SERVER_PORT_8787_TCP`…. They are not settings and must not stop the server; a
/// setting that got one's value (from a Service named `beckon-smtp`) is refused with the cure,
/// and a misspelt setting is still refused.
#[tokio::test]
async fn kubernetes_service_links_are_ignored_and_a_setting_given_one_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = beckon_server::store::sqlite_url(&dir.path().join("beckon.db"));
    let list = ["--database", db.as_str(), "users", "list"];
    let links = [
        ("BECKON_SERVICE_HOST", "10.96.0.12"),
        ("BECKON_SERVICE_PORT", "8787"),
        ("BECKON_SERVICE_PORT_HTTP", "8787"),
        ("BECKON_PORT", "tcp://10.96.0.12:8787"),
        ("BECKON_PORT_8787_TCP", "tcp://10.96.0.12:8787"),
        ("BECKON_PORT_8787_TCP_PROTO", "tcp"),
        ("BECKON_PORT_8787_TCP_PORT", "8787"),
        ("BECKON_PORT_8787_TCP_ADDR", "10.96.0.12"),
        ("BECKON_SERVER_SERVICE_HOST", "fd00::12"),
        ("BECKON_SERVER_PORT", "tcp://[fd00::12]:8787"),
        ("BECKON_SERVER_PORT_8787_TCP_ADDR", "fd00::12"),
    ];
    let out = server_command()
        .args(list)
        .envs(links)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = refused(&list, &[("BECKON_SMTP_PORT", "tcp://10.96.0.14:25")]).await;
    assert!(said.contains("BECKON_SMTP_PORT"), "{said}");
    assert!(said.contains("enableServiceLinks"), "{said}");
    for misspelt in [
        ("BECKON_SMPT_PORT", "2525"),
        ("BECKON_SMTP_HOTS", "10.96.0.14"),
    ] {
        let said = refused(&list, &[misspelt]).await;
        assert!(said.contains(misspelt.0), "{said}");
    }
}

#[tokio::test]
async fn without_dev_mode_there_is_no_outbox_and_the_project_is_still_public() {
    let mut config = config_with(Settings::default());
    config.dev = false;
    config.sms = Some(beckon_server::delivery::sms::SmsSettings {
        base_url: "http://127.0.0.1:1".parse().unwrap(),
        account_sid: "AC1".into(),
        auth_token: beckon_server::support::secrets::Secret::new("token"),
        from: "+14155550100".into(),
    });
    let s = TestServer::with_config(config).await;
    assert_eq!(s.http_get("/dev/outbox").await, 404);
    assert_eq!(s.http_get("/dev/project").await, 404);
    let project: serde_json::Value = s
        .http
        .get(format!("{}/.well-known/beckon-project", s.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(project["projectId"], s.project_id.as_str());

    let dev = TestServer::start().await;
    assert_eq!(dev.http_get("/dev/outbox").await, 200);
    assert_eq!(
        dev.http_get("/dev/project").await,
        404,
        "gone: not a dev page"
    );
}
