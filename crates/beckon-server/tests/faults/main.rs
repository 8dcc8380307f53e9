//! The fault suite: beckon-server under the faults a real deployment meets, each case a real
//! server process (or, where the clock must move, a server in this process) on real
//! databases. It prints one line per case and closes with `N passed, N failed`.
//!
//! Needs the `fault-hooks` feature (crash points and SQLite faults, never in a release
//! build), the test PostgreSQL (`BECKON_TEST_POSTGRES`, from `scripts/test-postgres.sh`), which
//! also starts a second, separate PostgreSQL for the restart case, and aiosmtpd in `.venv`.
//! Run: `cargo test -p beckon-server --features fault-hooks --test faults` (a substring after
//! `--` picks cases).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../server/mailer.rs"]
#[allow(dead_code)]
mod mailer;
mod support;

use beckon_testkit::ErrorCode;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use anyhow::{ensure, Context};
use serde_json::json;

use beckon_testkit::{require_for, Service};
use support::{fresh_postgres, sqlite_file, wait_until, Database, Process};

type Outcome = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send>>;

/// A case: its name, what it needs from outside Rust, and what runs it.
struct Case {
    name: &'static str,
    needs: &'static [Service],
    run: fn() -> Outcome,
}

/// What a case on `kind` of database needs: the test PostgreSQL, or nothing.
const fn on(kind: Database) -> &'static [Service] {
    match kind {
        Database::Sqlite => &[],
        Database::Postgres => &[Service::Postgres],
    }
}

fn main() -> std::process::ExitCode {
    let wanted: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    use Database::{Postgres, Sqlite};
    let cases = [
        Case {
            name: "sigkill with 100 sign-ins waiting, sqlite",
            needs: on(Sqlite),
            run: || Box::pin(killed_while_sign_ins_wait(Sqlite)),
        },
        Case {
            name: "sigkill with 100 sign-ins waiting, postgres",
            needs: on(Postgres),
            run: || Box::pin(killed_while_sign_ins_wait(Postgres)),
        },
        Case {
            name: "crash after a confirm is stored, sqlite",
            needs: on(Sqlite),
            run: || Box::pin(crash_after_confirm(Sqlite)),
        },
        Case {
            name: "crash after a confirm is stored, postgres",
            needs: on(Postgres),
            run: || Box::pin(crash_after_confirm(Postgres)),
        },
        Case {
            name: "crash after the session is handed out, sqlite",
            needs: on(Sqlite),
            run: || Box::pin(crash_after_session(Sqlite)),
        },
        Case {
            name: "crash after the session is handed out, postgres",
            needs: on(Postgres),
            run: || Box::pin(crash_after_session(Postgres)),
        },
        Case {
            name: "postgres restarted under a running server",
            needs: on(Postgres),
            run: || Box::pin(postgres_restarted()),
        },
        Case {
            name: "sqlite full",
            needs: on(Sqlite),
            run: || Box::pin(sqlite_full()),
        },
        Case {
            name: "sqlite read-only",
            needs: on(Sqlite),
            run: || Box::pin(sqlite_read_only()),
        },
        Case {
            name: "postgres read-only",
            needs: on(Postgres),
            run: || Box::pin(postgres_read_only()),
        },
        Case {
            name: "smtp down across several retries",
            needs: &[Service::Smtp],
            run: || Box::pin(smtp_down_across_retries()),
        },
    ];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for Case { name, needs, run } in cases {
        if !wanted.is_empty() && !wanted.iter().any(|w| name.contains(w.as_str())) {
            continue;
        }
        if !needs
            .iter()
            .all(|&service| require_for(&format!("fault {name}"), service))
        {
            skipped += 1;
            continue;
        }
        let started = std::time::Instant::now();
        // Each case in a task of its own: a panic fails the case, not the suite.
        let outcome = runtime.block_on(async { tokio::spawn(run()).await });
        let took = started.elapsed().as_secs_f32();
        match outcome {
            Ok(Ok(())) => {
                passed += 1;
                println!("fault {name} ... ok ({took:.1} s)");
            }
            Ok(Err(error)) => {
                failed += 1;
                println!("fault {name} ... FAILED ({took:.1} s): {error:#}");
            }
            Err(panic) => {
                failed += 1;
                println!("fault {name} ... FAILED ({took:.1} s): panicked: {panic}");
            }
        }
    }
    // Whatever a failed case left running is ended with the runtime.
    runtime.shutdown_timeout(Duration::from_secs(5));
    println!("\n{passed} passed, {failed} failed, {skipped} skipped");
    if failed == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}

/// Development-mode server arguments with the per-IP limits off: every request here comes
/// from one address.
const ONE_ADDRESS: &[&str] = &[
    "--dev",
    "--limit-send-per-ip",
    "off",
    "--limit-verify-per-ip",
    "off",
    "--limit-poll-per-ip",
    "off",
];

async fn database(kind: Database) -> anyhow::Result<(String, Option<tempfile::TempDir>)> {
    Ok(match kind {
        Database::Sqlite => {
            let (url, dir) = sqlite_file();
            (url, Some(dir))
        }
        Database::Postgres => (fresh_postgres(None).await?, None),
    })
}

/// `kill -9` while 100 people wait for their links: after a restart on the same database
/// every one of them confirms and signs in; none is lost.
async fn killed_while_sign_ins_wait(kind: Database) -> anyhow::Result<()> {
    let (url, _dir) = database(kind).await?;
    let mut server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let mut waiting = Vec::new();
    for n in 0..100 {
        let email = format!("person{n}@example.com");
        let started = server.start_sign_in(&email).await?;
        waiting.push((email, started));
    }
    server.kill().await;
    let server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let links = support::links_in_outbox(&url).await?;
    let people: std::collections::HashSet<&String> = links.keys().map(|(to, _)| to).collect();
    ensure!(
        people.len() == 100,
        "messages for {} people kept, not 100",
        people.len()
    );
    for (email, (pending_ref, link_id)) in &waiting {
        let token = links
            .get(&(email.clone(), link_id.clone()))
            .with_context(|| format!("no link {link_id} for {email}"))?;
        let (status, body) = server
            .post("/v1/auth/enchantedlink/verify", json!({"token": token}))
            .await?;
        ensure!(status == 200, "confirming {email}: {status} {body}");
        let (status, body) = server.poll(pending_ref).await?;
        ensure!(
            status == 200 && body["user"]["email"] == email.as_str(),
            "{email}: {status} {body}"
        );
    }
    Ok(())
}

/// A server on `url` that crashes at `point`, and a sign-in started there for `email`: its
/// pendingRef and the token of its right link.
async fn crashing_at(
    point: &str,
    url: &str,
    email: &str,
) -> anyhow::Result<(Process, String, String)> {
    let server = Process::start(url, ONE_ADDRESS, &[("BECKON_FAULT_CRASH_AT", point)]).await?;
    let (pending_ref, link_id) = server.start_sign_in(email).await?;
    let token = support::links_in_outbox(url).await?[&(email.to_owned(), link_id)].clone();
    Ok((server, pending_ref, token))
}

/// The server dies right after a confirmation is stored, before the phone hears back: the
/// sign-in completes on the desktop all the same, after a restart.
async fn crash_after_confirm(kind: Database) -> anyhow::Result<()> {
    let email = "ada@example.com";
    let (url, _dir) = database(kind).await?;
    let (mut server, pending_ref, token) = crashing_at("confirm-committed", &url, email).await?;
    let answer = server
        .post("/v1/auth/enchantedlink/verify", json!({"token": token}))
        .await;
    ensure!(answer.is_err(), "the confirm was answered: {answer:?}");
    server.wait_for_exit().await?;
    let server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let (status, body) = server.poll(&pending_ref).await?;
    ensure!(status == 200, "after the restart: {status} {body}");
    ensure!(body["user"]["email"] == email);
    Ok(())
}

/// The server dies after handing out the session and before the answer reaches the desktop:
/// the desktop asks again after the restart and gets that same session.
async fn crash_after_session(kind: Database) -> anyhow::Result<()> {
    let email = "ada@example.com";
    let (url, _dir) = database(kind).await?;
    let (mut server, pending_ref, token) = crashing_at("session-committed", &url, email).await?;
    let (status, _) = server
        .post("/v1/auth/enchantedlink/verify", json!({"token": token}))
        .await?;
    ensure!(status == 200, "confirm: {status}");
    let answer = server.poll(&pending_ref).await;
    ensure!(answer.is_err(), "the poll was answered: {answer:?}");
    server.wait_for_exit().await?;
    let server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let (status, body) = server.poll(&pending_ref).await?;
    ensure!(status == 200, "after the restart: {status} {body}");
    let refresh = body["refreshJwt"].as_str().context("a refresh JWT")?;
    let (status, me) = server.get_as("/v1/auth/me", refresh).await?;
    ensure!(status == 200 && me["email"] == email, "{status} {me}");
    Ok(())
}

/// PostgreSQL (its own instance, not the suite's shared one) goes down under a running
/// server and comes back: `/readyz` says 503 meanwhile, requests fail in the wire format, and
/// the server recovers without a restart of its own; a sign-in started before completes.
async fn postgres_restarted() -> anyhow::Result<()> {
    let instance = support::OwnPostgres::start(55433).await?;
    let url = fresh_postgres(Some(&instance.admin_url)).await?;
    let server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let (pending_ref, link_id) = server.start_sign_in("ada@example.com").await?;
    let token =
        support::links_in_outbox(&url).await?[&("ada@example.com".to_owned(), link_id)].clone();
    ensure!(server.status("/readyz").await? == 200);

    instance.down().await?;
    wait_until("/readyz says 503", Duration::from_secs(40), || async {
        Ok(server.status("/readyz").await? == 503)
    })
    .await?;
    let (status, body) = server
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": "grace@example.com"}),
        )
        .await?;
    ensure!(
        status >= 500 && body["errorCode"] == ErrorCode::Internal.as_str(),
        "while down: {status} {body}"
    );

    instance.up().await?;
    wait_until("/readyz says 200", Duration::from_secs(60), || async {
        Ok(server.status("/readyz").await? == 200)
    })
    .await?;
    let (status, body) = server
        .post("/v1/auth/enchantedlink/verify", json!({"token": token}))
        .await?;
    ensure!(status == 200, "confirm after: {status} {body}");
    let (status, body) = server.poll(&pending_ref).await?;
    ensure!(status == 200, "poll after: {status} {body}");
    Ok(())
}

/// The SQLite database cannot grow: sign-ins are refused with a clear error (507, which no
/// SDK retries) and nothing half-written; once it has room, all works and nothing was lost.
async fn sqlite_full() -> anyhow::Result<()> {
    let (url, _dir) = sqlite_file();
    let mut first = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let (pending_ref, link_id) = first.start_sign_in("ada@example.com").await?;
    first.kill().await;
    let full = [("BECKON_FAULT_SQLITE", "full")];
    let mut server = Process::start(&url, ONE_ADDRESS, &full).await?;
    let mut refused = None;
    for n in 0..2000 {
        let before = support::row_counts(&url).await?;
        let (status, body) = server
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": format!("person{n}@example.com")}),
            )
            .await?;
        if status != 200 {
            let after = support::row_counts(&url).await?;
            ensure!(before == after, "half-written: {before:?} then {after:?}");
            refused = Some((status, body));
            break;
        }
    }
    let (status, body) = refused.context("the database never filled")?;
    ensure!(
        status == 507 && body["errorDescription"] == "The server's database is full",
        "{status} {body}"
    );
    server.kill().await;
    let server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let token =
        support::links_in_outbox(&url).await?[&("ada@example.com".to_owned(), link_id)].clone();
    let (status, _) = server
        .post("/v1/auth/enchantedlink/verify", json!({"token": token}))
        .await?;
    ensure!(status == 200);
    ensure!(server.poll(&pending_ref).await?.0 == 200);
    Ok(())
}

/// The SQLite database is read-only: requests that write are refused, saying so, and reads
/// still answer; nothing changes.
async fn sqlite_read_only() -> anyhow::Result<()> {
    let (url, _dir) = sqlite_file();
    let mut first = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let (pending_ref, _) = first.start_sign_in("ada@example.com").await?;
    first.kill().await;
    let before = support::row_counts(&url).await?;
    let read_only = [("BECKON_FAULT_SQLITE", "read-only")];
    let server = Process::start(&url, ONE_ADDRESS, &read_only).await?;
    read_only_refusals(&server, &pending_ref).await?;
    ensure!(
        support::row_counts(&url).await? == before,
        "something changed"
    );
    Ok(())
}

/// PostgreSQL turns read-only under a running server (`default_transaction_read_only`, as
/// on a replica after a failover): the same clear refusals; writable again, it recovers.
async fn postgres_read_only() -> anyhow::Result<()> {
    let url = fresh_postgres(None).await?;
    let server = Process::start(&url, ONE_ADDRESS, &[]).await?;
    let (pending_ref, _) = server.start_sign_in("ada@example.com").await?;
    support::set_read_only(&url, true).await?;
    let before = support::row_counts(&url).await?;
    read_only_refusals(&server, &pending_ref).await?;
    ensure!(
        support::row_counts(&url).await? == before,
        "something changed"
    );
    support::set_read_only(&url, false).await?;
    wait_until("writes work again", Duration::from_secs(30), || async {
        let (status, _) = server
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                json!({"loginId": "grace@example.com"}),
            )
            .await?;
        Ok(status == 200)
    })
    .await
}

async fn read_only_refusals(server: &Process, pending_ref: &str) -> anyhow::Result<()> {
    let (status, body) = server
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": "grace@example.com"}),
        )
        .await?;
    ensure!(
        status == 500 && body["errorDescription"] == "The server's database is read-only",
        "a sign-in: {status} {body}"
    );
    // A poll writes its rate-limit count first: refused the same way, and clearly.
    let (status, body) = server.poll(pending_ref).await?;
    ensure!(
        body["errorDescription"] == "The server's database is read-only" || status == 401,
        "a poll: {status} {body}"
    );
    ensure!(server.status("/healthz").await? == 200);
    Ok(())
}

/// The SMTP server is down across several attempts (the server's clock moved, not a real
/// minute waited); when it is back the message is sent, once.
async fn smtp_down_across_retries() -> anyhow::Result<()> {
    use beckon_server::config::{Config, Settings};
    let port = mailer::unused_port();
    let (url, _dir) = sqlite_file();
    let config = Config {
        listen: "127.0.0.1:0".parse()?,
        database: Some(url.clone()),
        ..Config::from_settings(Settings {
            smtp_host: Some("127.0.0.1".into()),
            smtp_port: Some(port),
            smtp_security: Some("none".into()),
            smtp_from: Some("Beckon <sign-in@beckon.test>".into()),
            ..Settings::default()
        })?
    };
    let beckon_testkit::ClockedServer { server, clock } =
        beckon_testkit::ClockedServer::start(&config, beckon_testkit::START).await;
    let api = support::Api::new(&server.base_url(), &server.state.project_id);
    let (status, body) = api
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            json!({"loginId": "ada@example.com"}),
        )
        .await?;
    ensure!(status == 200, "{status} {body}");
    // Three attempts fail: about 5 s, 15 s, 45 s apart on the server's clock (each made
    // random, from half to one and a half times it: the clock moves past the most).
    for (attempt, wait) in [(1, 0), (2, 8), (3, 23)] {
        clock.advance(wait);
        wait_until(
            &format!("attempt {attempt}"),
            Duration::from_secs(20),
            || async { Ok(support::attempts(&url).await? >= attempt) },
        )
        .await?;
    }
    let smtp = mailer::SmtpServer::start(&["--port", &port.to_string()]).await;
    clock.advance(68);
    wait_until("the message is sent", Duration::from_secs(20), || async {
        Ok(smtp.count("accepted") == 1)
    })
    .await?;
    // Sent once: later looks send nothing more.
    clock.advance(600);
    tokio::time::sleep(Duration::from_secs(2)).await;
    ensure!(
        smtp.count("accepted") == 1,
        "sent {} times",
        smtp.count("accepted")
    );
    let counts = server.state.store.delivery_counts().await?;
    ensure!(counts.sent == 1 && counts.queued == 0, "{counts:?}");
    server.stop().await?;
    Ok(())
}
