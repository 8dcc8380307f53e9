//! The held wait (docs/wire.md §4.5): `pending-session` with `Prefer: wait=N` is answered when
//! the request changes, not a second later. Each test tells a wake from a time-out by the
//! answer itself: a held poll woken by its confirmation is a 200, one that ran out is a 401,
//! so nothing here depends on how fast the machine is.

use beckon_testkit::ErrorCode;
use beckon_testkit::{require, Service};
use std::time::Duration;

use serde_json::{json, Value};

use crate::harness::{assert_error, config_with, fresh_postgres_database, link_numbered, token_of};
use crate::harness::{ServerProcess, TestServer};

/// A long wait: a held poll that ends with a 200 or a decline before this was woken.
const LONG: &str = "wait=20";

/// A poll's answer: status, body, and its `Preference-Applied` header.
type Held = (u16, Value, Option<String>);

/// POSTs one `pending-session` for `pending_ref` to `base`, with these `Prefer` headers.
async fn poll(base: &str, project_id: &str, pending_ref: &str, prefer: &[&str]) -> Held {
    let headers: Vec<(&str, &str)> = prefer.iter().map(|p| ("Prefer", *p)).collect();
    poll_with(base, project_id, pending_ref, &headers).await
}

/// POSTs one `pending-session` for `pending_ref` to `base`, with these headers.
async fn poll_with(
    base: &str,
    project_id: &str,
    pending_ref: &str,
    headers: &[(&str, &str)],
) -> Held {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/v1/auth/enchantedlink/pending-session"))
        .header("Authorization", format!("Bearer {project_id}"))
        .json(&json!({"pendingRef": pending_ref}));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.unwrap();
    let applied = response
        .headers()
        .get("preference-applied")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        response.status().as_u16(),
        response.json().await.unwrap(),
        applied,
    )
}

fn held_poll(
    s: &TestServer,
    pending_ref: &str,
    prefer: &'static str,
) -> tokio::task::JoinHandle<Held> {
    let (base, project, pending_ref) =
        (s.base.clone(), s.project_id.clone(), pending_ref.to_owned());
    tokio::spawn(async move { poll(&base, &project, &pending_ref, &[prefer]).await })
}

/// Waits until `count` polls are held by `s`.
async fn until_held(s: &TestServer, count: usize) {
    for _ in 0..2000 {
        if s.server.state.waits.held() == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{} held, not {count}", s.server.state.waits.held());
}

fn pending_ref(started: &Value) -> String {
    started["pendingRef"].as_str().unwrap().to_owned()
}

fn right_link(started: &Value, links: &[(String, String)]) -> String {
    links
        .iter()
        .find(|(n, _)| *n == started["linkId"])
        .unwrap()
        .1
        .clone()
}

#[tokio::test]
async fn a_held_poll_answers_with_the_session_when_the_link_is_confirmed() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let held = held_poll(&s, &pending_ref(&started), LONG);
    until_held(&s, 1).await;
    assert_eq!(s.verify(&right_link(&started, &links)).await.0, 200);
    let (status, session, applied) = held.await.unwrap();
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "ada@example.com");
    assert_eq!(applied.as_deref(), Some("wait=20"));
    assert_eq!(s.server.state.waits.held(), 0, "nothing stays registered");
}

#[tokio::test]
async fn a_held_poll_answers_declined_when_the_phone_says_no_and_every_link_stops() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let held = held_poll(&s, &pending_ref(&started), LONG);
    until_held(&s, 1).await;
    // "No, this wasn't me" on the page of a link that is not even the right one.
    let wrong = links.iter().find(|(n, _)| *n != started["linkId"]).unwrap();
    let page = s
        .http
        .post(format!("{}/confirm", s.base))
        .form(&[("t", token_of(&wrong.1)), ("answer", "no".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("Declined: nobody was signed in"));
    let (status, body, applied) = held.await.unwrap();
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (400, Some(ErrorCode::Declined.as_str())),
        "{body}"
    );
    assert_eq!(applied.as_deref(), Some("wait=20"));
    for (_, url) in &links {
        assert_error(&s.verify(url).await, 400, ErrorCode::NotFound.as_str());
    }
    assert_error(
        &s.poll(&pending_ref(&started)).await,
        400,
        ErrorCode::Declined.as_str(),
    );
}

#[tokio::test]
async fn a_held_poll_ends_pending_after_its_wait_and_the_wait_is_capped() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        max_wait: Some(2),
        ..Default::default()
    }))
    .await;
    let (started, _) = s.start_link("ada@example.com").await;
    let pending_ref = pending_ref(&started);
    let (status, body, applied) = poll(&s.base, &s.project_id, &pending_ref, &["wait=1"]).await;
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (401, Some(ErrorCode::Pending.as_str()))
    );
    assert_eq!(applied.as_deref(), Some("wait=1"));
    let (status, _, applied) = poll(&s.base, &s.project_id, &pending_ref, &["wait=3600"]).await;
    assert_eq!(status, 401);
    assert_eq!(applied.as_deref(), Some("wait=2"), "max_wait caps it");
}

#[tokio::test]
async fn without_a_wait_preference_the_answer_is_immediate_and_says_nothing() {
    let s = TestServer::start().await;
    let (started, _) = s.start_link("ada@example.com").await;
    let pending_ref = pending_ref(&started);
    for prefer in [
        &[][..],
        &["wait=soon"],
        &["wait=-1"],
        &["return=minimal"],
        &["wait"],
    ] {
        let (status, body, applied) = poll(&s.base, &s.project_id, &pending_ref, prefer).await;
        assert_eq!(
            (status, body["errorCode"].as_str()),
            (401, Some(ErrorCode::Pending.as_str()))
        );
        assert_eq!(applied, None, "{prefer:?} is not honoured");
    }
    // A held wait can be turned off: max_wait = 0.
    let off = TestServer::with_config(config_with(beckon_server::config::Settings {
        max_wait: Some(0),
        ..Default::default()
    }))
    .await;
    let (started, _) = off.start_link("ada@example.com").await;
    let off_ref = started["pendingRef"].as_str().unwrap();
    let (status, _, applied) = poll(&off.base, &off.project_id, off_ref, &[LONG]).await;
    assert_eq!((status, applied), (401, None));
}

#[tokio::test]
async fn a_request_already_confirmed_answers_at_once_and_says_the_wait_was_honoured() {
    let s = TestServer::start().await;
    let pending_ref = s.confirmed_sign_in("ada@example.com").await;
    let (status, _, applied) = poll(&s.base, &s.project_id, &pending_ref, &[LONG]).await;
    assert_eq!((status, applied.as_deref()), (200, Some("wait=20")));
    let (status, body, applied) = poll(&s.base, &s.project_id, "no-such-ref", &[LONG]).await;
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (400, Some(ErrorCode::NotFound.as_str()))
    );
    assert_eq!(applied.as_deref(), Some("wait=20"));
}

/// The confirmation lands after the poll read "pending" and before its wait registered: it
/// announced to no one, and only the read after registering finds it (without that read this
/// poll sleeps its whole wait and ends pending).
#[tokio::test]
async fn a_confirmation_between_the_read_and_the_registration_is_not_missed() {
    let s = TestServer::start().await;
    let (started, links) = s.start_link("ada@example.com").await;
    let url = right_link(&started, &links);
    let (base, project) = (s.base.clone(), s.project_id.clone());
    s.server.state.checkpoints.set("poll-read", move || {
        let (api, project, token) = (base.clone(), project.clone(), token_of(&url));
        async move {
            let verified = reqwest::Client::new()
                .post(format!("{api}/v1/auth/enchantedlink/verify"))
                .header("Authorization", format!("Bearer {project}"))
                .json(&json!({"token": token}))
                .send()
                .await
                .unwrap();
            assert_eq!(verified.status(), 200);
        }
    });
    let (status, body, _) = poll(&s.base, &s.project_id, &pending_ref(&started), &[LONG]).await;
    assert_eq!(status, 200, "{body}");
}

/// A held poll is one poll for the limits, however long it is held.
#[tokio::test]
async fn a_held_poll_counts_once_against_the_poll_limits() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        limit_poll_per_request: Some("2/60".into()),
        ..Default::default()
    }))
    .await;
    let (started, _) = s.start_link("ada@example.com").await;
    let pending_ref = pending_ref(&started);
    let (status, _, _) = poll(&s.base, &s.project_id, &pending_ref, &["wait=3"]).await;
    assert_eq!(status, 401, "held three seconds: one poll");
    assert_eq!(s.poll(&pending_ref).await.0, 401, "the second");
    assert_error(
        &s.poll(&pending_ref).await,
        429,
        ErrorCode::RateLimited.as_str(),
    );
}

#[tokio::test]
async fn the_enchanted_update_of_an_email_is_collected_by_a_held_poll() {
    let s = TestServer::start().await;
    let ada = s.sign_up("ada@example.com").await;
    let refresh = ada["refreshJwt"].as_str().unwrap();
    let (status, started) = s
        .post_as(
            refresh,
            "/v1/auth/enchantedlink/update/email",
            json!({"loginId": "ada@example.com", "email": "ada@new.example"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let held = held_poll(&s, &pending_ref(&started), LONG);
    until_held(&s, 1).await;
    let links = s.links_to("ada@new.example").await;
    assert_eq!(s.verify(&right_link(&started, &links)).await.0, 200);
    let (status, session, _) = held.await.unwrap();
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["user"]["email"], "ada@new.example");
}

/// A stop answers held polls at once, pending, so their clients ask again elsewhere.
#[tokio::test]
async fn a_stopping_server_answers_its_held_polls_at_once() {
    let s = TestServer::start().await;
    let (started, _) = s.start_link("ada@example.com").await;
    let held = held_poll(&s, &pending_ref(&started), "wait=25");
    until_held(&s, 1).await;
    let asked = std::time::Instant::now();
    s.server.stop().await.unwrap();
    let (status, body, applied) = held.await.unwrap();
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (401, Some(ErrorCode::Pending.as_str()))
    );
    assert_eq!(applied.as_deref(), Some("wait=25"));
    assert!(
        asked.elapsed() < Duration::from_secs(20),
        "answered on the stop, not at the end of its 25 s wait"
    );
}

/// SIGTERM to the process: held polls answered at once, and the process ends.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_answers_held_polls_and_the_server_exits() {
    let dir = tempfile::tempdir().unwrap();
    let database = beckon_server::store::sqlite_url(&dir.path().join("beckon.db"));
    let mut server = ServerProcess::start(&database, &[]).await;
    let (status, started) = server
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            None,
            json!({"loginId": "ada@example.com"}),
        )
        .await;
    assert_eq!(status, 200);
    let (base, project, pending_ref) = (
        server.base.clone(),
        server.project_id.clone(),
        pending_ref(&started),
    );
    let held = tokio::spawn(async move { poll(&base, &project, &pending_ref, &["wait=25"]).await });
    until_held_by(&server, 1).await;
    let asked = std::time::Instant::now();
    let pid = server.child.id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (status, body, _) = held.await.unwrap();
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (401, Some(ErrorCode::Pending.as_str()))
    );
    let exit = tokio::time::timeout(Duration::from_secs(30), server.child.wait())
        .await
        .expect("the server exits")
        .unwrap();
    assert!(exit.success(), "{exit:?}");
    assert!(
        asked.elapsed() < Duration::from_secs(20),
        "not at the end of the wait"
    );
}

/// Two servers on one PostgreSQL database: confirmed through A, the poll held by B wakes
/// (A's NOTIFY reaches B's listener); and again when both listening connections are killed
/// while the poll is held and the confirmation comes right after (B's listener connects
/// again and its held polls read their rows again, or the NOTIFY reaches the new listener).
#[tokio::test]
async fn across_replicas_a_confirmation_wakes_a_poll_held_by_the_other_even_after_its_listener_is_killed(
) {
    if !require(Service::Postgres) {
        return;
    }
    let database = fresh_postgres_database().await;
    let a = ServerProcess::start(&database, &[]).await;
    let b = ServerProcess::start(&database, &[]).await;
    until_listening(&database).await;
    for (round, kill) in [("listening", false), ("listener killed", true)] {
        let login = format!("ada.{}@example.com", round.replace(' ', "."));
        let (status, started) = a
            .post(
                "/v1/auth/enchantedlink/signup-in/email",
                None,
                json!({"loginId": login}),
            )
            .await;
        assert_eq!(status, 200, "{started}");
        let (base, project, pending) =
            (b.base.clone(), b.project_id.clone(), pending_ref(&started));
        let held = tokio::spawn(async move { poll(&base, &project, &pending, &[LONG]).await });
        until_held_by(&b, 1).await;
        if kill {
            kill_listeners(&database).await;
        }
        let outbox = a.get("/dev/outbox").await;
        let message = outbox
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["to"] == login.as_str())
            .unwrap()
            .clone();
        let url = link_numbered(&message, &started["linkId"]);
        let (status, _) = a
            .post(
                "/v1/auth/enchantedlink/verify",
                None,
                json!({"token": token_of(&url)}),
            )
            .await;
        assert_eq!(status, 200);
        let (status, session, applied) = held.await.unwrap();
        assert_eq!(status, 200, "{round}: {session}");
        assert_eq!(applied.as_deref(), Some("wait=20"));
        until_listening(&database).await;
    }
}

/// Waits until the server process holds `count` polls (its metrics say so).
async fn until_held_by(server: &ServerProcess, count: u64) {
    for _ in 0..2000 {
        if server.held().await == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server did not hold {count} polls");
}

/// Kills every connection that listens for confirmations (both servers'), as a network cut
/// or a database restart would.
async fn kill_listeners(database: &str) {
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(database)
        .await
        .unwrap();
    let killed: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
    )
    .bind(beckon_server::WAITS_APPLICATION_NAME)
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(killed, vec![true, true], "both servers' listeners");
}

/// Waits until both servers' listeners are connected.
async fn until_listening(database: &str) {
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(database)
        .await
        .unwrap();
    for _ in 0..1000 {
        let listening: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()",
        )
        .bind(beckon_server::WAITS_APPLICATION_NAME)
        .fetch_one(&mut conn)
        .await
        .unwrap();
        if listening == 2 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the servers' listeners did not connect");
}

/// A held poll from `ip` (through `X-Forwarded-For`, which the server is told to trust).
fn held_poll_from(
    s: &TestServer,
    pending_ref: &str,
    ip: &'static str,
) -> tokio::task::JoinHandle<Held> {
    let (base, project, pending_ref) =
        (s.base.clone(), s.project_id.clone(), pending_ref.to_owned());
    tokio::spawn(async move {
        let headers = [("X-Forwarded-For", ip), ("Prefer", LONG)];
        poll_with(&base, &project, &pending_ref, &headers).await
    })
}

/// Past `max_held_waits_per_ip` (an IPv4 address, or an IPv6 /64) a poll asking to be held is
/// answered at once as an unheld poll: pending, without `Preference-Applied`, so its client
/// polls. Another address is held still. Before, only the poll rate limits bounded held
/// waits: about 1 200 at once from one address.
#[tokio::test]
async fn past_the_held_waits_of_one_address_a_poll_is_answered_unheld() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        max_held_waits_per_ip: Some(2),
        client_ip_header: Some("X-Forwarded-For".into()),
        ..Default::default()
    }))
    .await;
    let (started, _) = s.start_link("ada@example.com").await;
    let pending_ref = pending_ref(&started);
    let first = held_poll_from(&s, &pending_ref, "2001:db8:0:1::1");
    let second = held_poll_from(&s, &pending_ref, "2001:db8:0:1::2");
    until_held(&s, 2).await;
    // The same /64: answered at once, unheld.
    let (status, body, applied) = held_poll_from(&s, &pending_ref, "2001:db8:0:1::3")
        .await
        .unwrap();
    assert_eq!((status, applied), (401, None), "{body}");
    assert_eq!(body["errorCode"], ErrorCode::Pending.as_str());
    // Another /64 is held.
    let other = held_poll_from(&s, &pending_ref, "2001:db8:0:2::1");
    until_held(&s, 3).await;
    for held in [first, second, other] {
        held.abort();
    }
}

/// Past `max_held_waits` in all, a poll asking to be held is answered at once, unheld.
#[tokio::test]
async fn past_the_held_waits_of_the_server_a_poll_is_answered_unheld() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        max_held_waits: Some(2),
        client_ip_header: Some("X-Forwarded-For".into()),
        ..Default::default()
    }))
    .await;
    let (started, _) = s.start_link("ada@example.com").await;
    let pending_ref = pending_ref(&started);
    let first = held_poll_from(&s, &pending_ref, "192.0.2.1");
    let second = held_poll_from(&s, &pending_ref, "192.0.2.2");
    until_held(&s, 2).await;
    let (status, body, applied) = held_poll_from(&s, &pending_ref, "192.0.2.3").await.unwrap();
    assert_eq!((status, applied), (401, None), "{body}");
    first.abort();
    second.abort();
}

/// A held wait whose read after a wake fails answers "pending" (its client polls again),
/// never 500. Before, a read that failed (a PostgreSQL reconnect, a table locked) answered
/// 500 to every held wait at once.
#[tokio::test]
async fn a_held_wait_whose_read_fails_answers_pending() {
    let (s, side, _dir) =
        TestServer::on_sqlite_file(beckon_server::config::Config::for_tests()).await;
    let (started, _) = s.start_link("ada@example.com").await;
    let held = held_poll(&s, &pending_ref(&started), LONG);
    until_held(&s, 1).await;
    sqlx::query("ALTER TABLE pending_logins RENAME TO pending_logins_away")
        .execute(&side)
        .await
        .unwrap();
    s.server.state.waits.wake_everyone();
    let (status, body, _) = held.await.unwrap();
    sqlx::query("ALTER TABLE pending_logins_away RENAME TO pending_logins")
        .execute(&side)
        .await
        .unwrap();
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["errorCode"], ErrorCode::Pending.as_str());
}

/// `/healthz` says only that the process lives: how many polls are held (which tells anyone
/// when someone is signing in) is on the metrics listener, never on the public address.
#[tokio::test]
async fn healthz_says_nothing_of_held_waits_and_the_metrics_do() {
    let s = TestServer::with_config(config_with(beckon_server::config::Settings {
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..Default::default()
    }))
    .await;
    let (started, _) = s.start_link("ada@example.com").await;
    let held = held_poll(&s, &pending_ref(&started), LONG);
    until_held(&s, 1).await;
    let health = s.get_json("/healthz").await;
    assert_eq!(health, json!({"status": "ok"}));
    let text = crate::metrics::scrape(&s).await;
    assert_eq!(
        beckon_testkit::metrics::sample(&text, beckon_testkit::metrics::HELD_WAITS),
        Some(1.0),
        "{text}"
    );
    held.abort();
}
