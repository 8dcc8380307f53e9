//! Two beckon-server processes on one PostgreSQL database behave as one: a link verified
//! through one completes the sign-in polled through the other, sessions and keys are shared,
//! rate limits count across both, and their delivery workers send each message once.
//! Needs the test PostgreSQL server (`BECKON_TEST_POSTGRES`, from `scripts/test-postgres.sh`).

use beckon_testkit::ErrorCode;
use beckon_testkit::{require, Service};
use std::time::Duration;

use serde_json::json;

use crate::harness::{fresh_postgres_database, link_numbered, token_of, ServerProcess};
use crate::mailer::SmtpServer;

#[tokio::test]
async fn two_servers_on_one_database_are_one_service() {
    if !require(Service::Postgres) {
        return;
    }
    let database = fresh_postgres_database().await;
    let args = ["--limit-send-per-login-id", "3/600"];
    let a = ServerProcess::start(&database, &args).await;
    let b = ServerProcess::start(&database, &args).await;
    assert_eq!(a.project_id, b.project_id, "one project, made once");
    let jwks = format!("/v2/keys/{}", a.project_id);
    assert_eq!(a.get(&jwks).await, b.get(&jwks).await, "one signing key");

    // Asked through A; the email is in the shared outbox, so B lists it too.
    let (status, started) = a
        .post(
            "/v1/auth/enchantedlink/signup-in/email",
            None,
            json!({"loginId": "ada@example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{started}");
    let outbox = b.get("/dev/outbox").await;
    let message = &outbox.as_array().unwrap()[0];
    assert_eq!(message["to"], "ada@example.com");
    let url = link_numbered(message, &started["linkId"]);

    // Polled through A: pending. Confirmed through B. Collected through A, once.
    let pending_ref = started["pendingRef"].as_str().unwrap();
    let poll = json!({"pendingRef": pending_ref});
    let (status, body) = a
        .post("/v1/auth/enchantedlink/pending-session", None, poll.clone())
        .await;
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (401, Some(ErrorCode::Pending.as_str()))
    );
    let (status, _) = b
        .post(
            "/v1/auth/enchantedlink/verify",
            None,
            json!({"token": token_of(&url)}),
        )
        .await;
    assert_eq!(status, 200);
    let (status, session) = a
        .post("/v1/auth/enchantedlink/pending-session", None, poll.clone())
        .await;
    assert_eq!(status, 200, "{session}");
    let (status, again) = b
        .post("/v1/auth/enchantedlink/pending-session", None, poll.clone())
        .await;
    let jti = |body: &serde_json::Value| {
        crate::harness::claims(body["refreshJwt"].as_str().unwrap())["jti"].clone()
    };
    assert_eq!(status, 200, "{again}");
    assert_eq!(
        jti(&again),
        jti(&session),
        "one session, whichever replica is asked"
    );

    // The session refreshes through B and ends through A for both.
    let refresh = session["refreshJwt"].as_str().unwrap();
    let (status, refreshed) = b.post("/v1/auth/refresh", Some(refresh), json!({})).await;
    assert_eq!(status, 200, "{refreshed}");
    let (status, _) = a
        .post("/v1/auth/enchantedlink/pending-session", None, poll)
        .await;
    assert_eq!(status, 400, "used, it is not handed out again");
    let refresh = refreshed["refreshJwt"].as_str().unwrap_or(refresh);
    assert_eq!(
        a.post("/v1/auth/logout", Some(refresh), json!({})).await.0,
        200
    );
    assert_eq!(
        b.post("/v1/auth/refresh", Some(refresh), json!({})).await.0,
        401
    );

    // Rate limits count across both: 3 per address, one already spent.
    let send = json!({"loginId": "ada@example.com"});
    let path = "/v1/auth/enchantedlink/signup-in/email";
    assert_eq!(b.post(path, None, send.clone()).await.0, 200);
    assert_eq!(a.post(path, None, send.clone()).await.0, 200);
    let (status, body) = b.post(path, None, send).await;
    assert_eq!(
        (status, body["errorCode"].as_str()),
        (429, Some(ErrorCode::RateLimited.as_str()))
    );
}

#[tokio::test]
async fn two_delivery_workers_send_each_message_once() {
    if !require(Service::Postgres) || !require(Service::Smtp) {
        return;
    }
    let database = fresh_postgres_database().await;
    let mail = SmtpServer::start(&[]).await;
    let port = mail.port.to_string();
    let args = [
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-security",
        "none",
        "--smtp-from",
        "Beckon <sign-in@beckon.test>",
    ];
    let a = ServerProcess::start(&database, &args).await;
    let b = ServerProcess::start(&database, &args).await;
    let count = 12;
    for n in 0..count {
        let replica = if n % 2 == 0 { &a } else { &b };
        let (status, body) = replica
            .post(
                "/v1/auth/magiclink/signup-in/email",
                None,
                json!({"loginId": format!("user{n}@example.com"), "URI": "beckon://auth"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    mail.wait_for("accepted", count).await;
    // Both workers keep looking for a while: nothing goes twice.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(mail.count("accepted"), count);
    let mut recipients: Vec<String> = (1..=count)
        .map(|n| {
            mail.message(n)["headers"]["to"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), count, "each address once");
}
